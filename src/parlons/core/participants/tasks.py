"""Background work on participants' data (scheduled in ``core.operations.schedule``)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from parlons.core.participants.privacy import do_erase_expired_guests, do_prune_task_results


@task()
def erase_expired_guests() -> int:
    """Retention: erase guests' e-mail addresses N months after their process ended."""
    return do_erase_expired_guests(months=settings.PARLONS["GUEST_RETENTION_MONTHS"])


@task()
def prune_task_results() -> int:
    """Retention: delete finished tasks (their arguments hold whole e-mails) after a week."""
    return do_prune_task_results()
