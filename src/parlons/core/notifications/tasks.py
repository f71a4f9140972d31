"""Tasks of the notifications app: sending e-mails queued by :mod:`.services`."""

from __future__ import annotations

from django.tasks import task

from parlons.core.notifications.services import OutgoingEmail, do_send_emails


@task()
def send_email(*, email: OutgoingEmail) -> int:
    """Send one rendered e-mail (safe to retry: sent at most once per Message-ID)."""
    return do_send_emails(emails=[email])


@task()
def send_email_batch(*, emails: list[OutgoingEmail]) -> int:
    """Send a chunk of rendered e-mails over one connection (safe to retry)."""
    return do_send_emails(emails=emails)
