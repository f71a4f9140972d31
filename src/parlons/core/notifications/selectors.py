"""The local mailbox of the embedded mode: the e-mails Django's file backend wrote.

The file backend writes one ``<date>-<time>-<number>.log`` file per connection, holding
one or more messages, each followed by a line of 79 dashes.  Staff read them on the
site, so that a demo without a mail server is usable (sign-up confirmations, codes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.html import strip_tags

from parlons.core.organisations.models import Member
from parlons.core.tenancy import scopes_disabled

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"
KEY = re.compile(r"^(?P<stem>\d{8}-\d{6}-\d+)-(?P<index>\d+)$")


@dataclass(frozen=True, kw_only=True)
class MailboxMessage:
    """One e-mail of the local mailbox, as staff read it."""

    key: str
    date: datetime | None
    sender: str
    to: str
    subject: str
    text: str


def get_mailbox_directory() -> Path | None:
    """The directory the default mailer writes e-mails to; None when they really leave."""
    config = getattr(settings, "MAILERS", {}).get("default", {})
    if config.get("BACKEND") != FILE_BACKEND:
        return None
    return Path(config["OPTIONS"]["file_path"])


def is_mailbox_reader(person: Any) -> bool:
    """Staff read the mailbox: superusers and members of any organisation."""
    if not getattr(person, "is_authenticated", False):
        return False
    if person.is_superuser:
        return True
    with scopes_disabled():
        return Member.objects.filter(participant=person).exists()


def access_mailbox(*, person: Any) -> Path:
    """The mailbox directory if there is a mailbox and ``person`` may read it.

    No mailbox (e-mails go to SMTP or a provider) and not staff raise the same Http404.
    """
    directory = get_mailbox_directory()
    if directory is None or not is_mailbox_reader(person):
        raise Http404("No mailbox")
    return directory


def _date(message: EmailMessage) -> datetime | None:
    try:
        return message["Date"].datetime if message["Date"] else None
    except (AttributeError, TypeError, ValueError):
        return None


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    return strip_tags(content) if part.get_content_subtype() == "html" else content


def _read(path: Path) -> list[MailboxMessage]:
    parser = BytesParser(policy=policy.default)
    messages = []
    for index, raw in enumerate(path.read_bytes().split(SEPARATOR)):
        if not raw.strip():
            continue
        message = parser.parsebytes(raw)
        messages.append(
            MailboxMessage(
                key=f"{path.stem}-{index}",
                date=_date(message),
                sender=str(message["From"] or ""),
                to=str(message["To"] or ""),
                subject=str(message["Subject"] or ""),
                text=_text(message),
            )
        )
    return messages


def get_mailbox_messages(*, directory: Path) -> list[MailboxMessage]:
    """Every e-mail in ``directory``, newest first."""
    if not directory.is_dir():
        return []
    # Files in the order they were written (their names hold an arbitrary number).
    paths = sorted(directory.glob("*.log"), key=lambda path: (path.stat().st_mtime_ns, path.name))
    messages = [message for path in paths for message in _read(path)]
    oldest = datetime.min.replace(tzinfo=UTC)
    # A stable sort: messages dated the same second stay newest first, as written.
    messages.reverse()
    messages.sort(key=lambda message: message.date or oldest, reverse=True)
    return messages


def access_mailbox_message(*, person: Any, key: str) -> MailboxMessage:
    """One e-mail of the mailbox by its key; Http404 when missing or not allowed."""
    directory = access_mailbox(person=person)
    match = KEY.match(key)
    path = directory / f"{match['stem']}.log" if match else None
    if path is None or not path.is_file():
        raise Http404("No such e-mail")
    for message in _read(path):
        if message.key == key:
            return message
    raise Http404("No such e-mail")
