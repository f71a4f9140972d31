"""Background work on participants' data (scheduled in ``core.operations.schedule``)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from parlons.core.participants.privacy import (
    do_clear_expired_sessions,
    do_erase_expired_guests,
    do_prune_task_results,
)


@task()
def erase_expired_guests() -> int:
    """Retention: erase guests' e-mail addresses N months after their process ended."""
    return do_erase_expired_guests(months=settings.PARLONS["GUEST_RETENTION_MONTHS"])


@task()
def prune_expired_data() -> dict[str, int]:
    """Retention: finished tasks (their arguments hold whole e-mails) after a week, and
    expired sessions."""
    return {"tasks": do_prune_task_results(), "sessions": do_clear_expired_sessions()}
