"""Background work on participants' data."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from parlons.core.participants.privacy import do_erase_expired_guests


@task()
def erase_expired_guests() -> int:
    """Retention: erase guests' e-mail addresses N months after their process ended."""
    return do_erase_expired_guests(months=settings.PARLONS["GUEST_RETENTION_MONTHS"])
