"""E-mail: rendered in the recipient's language, sent by a task after the transaction commits.

Callers never send mail themselves.  They call :func:`queue_email` (one message) or
:func:`queue_bulk_email` (many recipients) inside the transaction of their change;
nothing leaves if that transaction rolls back.  The task worker then calls
:func:`do_send_emails`, which goes through Django's default mailer (files in
``var/mail/`` embedded, SMTP or a provider in production) and is safe to retry.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers, make_msgid
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_str

from parlons.core.notifications.models import Delivery

BULK_CHUNK_SIZE = 100


class OutgoingEmail(TypedDict):
    """A rendered e-mail, as a task argument (JSON: strings, lists, one dict)."""

    to: list[str]
    subject: str
    body: str
    html_body: str
    from_email: str
    reply_to: list[str]
    headers: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class Recipient:
    """One addressee of a bulk e-mail, with what differs for them.

    ``context`` completes the shared template context (a greeting, an unsubscribe
    link); ``headers`` completes the shared headers (``List-Unsubscribe``).
    """

    email: str
    language: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)


def _message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return make_msgid(domain=domain)


def render_email(
    *,
    to: str | Sequence[str],
    subject: str = "",
    template: str = "",
    context: Mapping[str, Any] | None = None,
    body: str = "",
    html_body: str = "",
    language: str | None = None,
    reply_to: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    from_email: str = "",
) -> OutgoingEmail:
    """Render one e-mail in ``language`` (the active language when None).

    Give either ``template``, a prefix naming ``<prefix>_subject.txt``,
    ``<prefix>_message.txt`` and, optionally, ``<prefix>_message.html`` rendered with
    ``context``; or ``subject`` and ``body`` (and ``html_body``), which may be lazy
    translations.  A ``subject`` given with a template wins over the subject template.
    The Message-ID is fixed here, so a retried task sends the same message.
    """
    if bool(template) == bool(body):
        raise ValueError("Give either a template or a body")
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        if template:
            context = dict(context or {})
            subject = subject or render_to_string(f"{template}_subject.txt", context)
            body = render_to_string(f"{template}_message.txt", context)
            try:
                html_body = render_to_string(f"{template}_message.html", context)
            except TemplateDoesNotExist:
                html_body = ""
        headers = {name: force_str(value) for name, value in (headers or {}).items()}
        headers.setdefault("Message-ID", _message_id())
        return OutgoingEmail(
            to=[to] if isinstance(to, str) else list(to),
            subject=" ".join(force_str(subject).split()),
            body=force_str(body).strip() + "\n",
            html_body=force_str(html_body).strip(),
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            reply_to=list(reply_to),
            headers=headers,
        )


def queue_email(
    *,
    to: str | Sequence[str],
    subject: str = "",
    template: str = "",
    context: Mapping[str, Any] | None = None,
    body: str = "",
    html_body: str = "",
    language: str | None = None,
    reply_to: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    from_email: str = "",
) -> OutgoingEmail:
    """Render one e-mail now (see :func:`render_email`) and send it by a task after commit.

    Call it inside the transaction of the change the e-mail reports: if that
    transaction rolls back, nothing is sent.  Returns the rendered e-mail.
    """
    from parlons.core.notifications.tasks import send_email  # the task calls this module

    email = render_email(
        to=to,
        subject=subject,
        template=template,
        context=context,
        body=body,
        html_body=html_body,
        language=language,
        reply_to=reply_to,
        headers=headers,
        from_email=from_email,
    )
    transaction.on_commit(lambda: send_email.enqueue(email=email))
    return email


def queue_bulk_email(
    *,
    recipients: Iterable[Recipient],
    subject: str = "",
    template: str = "",
    context: Mapping[str, Any] | None = None,
    body: str = "",
    html_body: str = "",
    reply_to: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    from_email: str = "",
    chunk_size: int = BULK_CHUNK_SIZE,
) -> int:
    """Render one e-mail per recipient, each in its own language, and send them after commit.

    Each chunk of ``chunk_size`` e-mails is one task, sent over one mailer connection.
    Every rendered chunk waits in memory for the commit, so call this from a task (or
    outside a transaction) for very long lists.  Returns the number of e-mails queued.
    """
    from parlons.core.notifications.tasks import send_email_batch

    queued = 0
    for chunk in itertools.batched(recipients, chunk_size):
        emails = [
            render_email(
                to=recipient.email,
                subject=subject,
                template=template,
                context={**(context or {}), **recipient.context},
                body=body,
                html_body=html_body,
                language=recipient.language,
                reply_to=reply_to,
                headers={**(headers or {}), **recipient.headers},
                from_email=from_email,
            )
            for recipient in chunk
        ]
        transaction.on_commit(functools.partial(send_email_batch.enqueue, emails=emails))
        queued += len(emails)
    return queued


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email["subject"],
        body=email["body"],
        from_email=email["from_email"] or None,
        to=email["to"],
        reply_to=email["reply_to"],
        headers=email["headers"],
    )
    if email["html_body"]:
        message.attach_alternative(email["html_body"], "text/html")
    return message


def do_send_emails(*, emails: Sequence[OutgoingEmail], mailer: str = "default") -> int:
    """Send the e-mails not sent yet, over one connection; return how many were sent.

    Safe to retry: an e-mail whose Message-ID has a :class:`Delivery` is skipped, and
    each delivery is recorded as soon as the mailer has accepted the message.  A
    failure raises (the task fails and may be retried); the e-mails before it stay sent.
    """
    ids = [email["headers"]["Message-ID"] for email in emails]
    sent = set(Delivery.objects.filter(message_id__in=ids).values_list("message_id", flat=True))
    pending = [email for email in emails if email["headers"]["Message-ID"] not in sent]
    if not pending:
        return 0
    with mailers[mailer] as connection:
        for email in pending:
            connection.send_messages([_message(email)])
            Delivery.objects.get_or_create(message_id=email["headers"]["Message-ID"])
    return len(pending)
