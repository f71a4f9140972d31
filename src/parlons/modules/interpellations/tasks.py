"""Tasks: the follow-up e-mail that asks participants whether they had a reply."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from parlons.core.registry import Periodic
from parlons.core.tenancy import scopes_disabled

FOLLOWUPS = Periodic(
    key="interpellations.followups.send",
    every=timedelta(hours=1),
    task="parlons.modules.interpellations.tasks.send_followups",
)


@task()
def send_followups() -> int:
    """Send the follow-ups that are due (safe to run late or twice)."""
    from parlons.modules.interpellations.services import do_send_followups

    with scopes_disabled():
        return do_send_followups()
