"""E-mails to signers, always in batches from tasks: confirmation links, 'already signed',
and the owner's updates and the target's response (to consenting signers, with unsubscribe).
"""

from __future__ import annotations

import binascii
import email.policy
import itertools
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, mailers, make_msgid
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape

from parlons.core.notifications.services import (
    Recipient,
    queue_bulk_email,
    render_email,
)
from parlons.core.tenancy import scopes_disabled
from parlons.modules.petitions.counting import COUNTED
from parlons.modules.petitions.models import Mail, Petition, Signature, Update
from parlons.modules.petitions.signing import confirmation_token, unsubscribe_token

BATCH = 500
TEMPLATES = {Mail.CONFIRM: "petitions/email/confirm", Mail.ALREADY: "petitions/email/already"}


def petition_kwargs(petition: Petition) -> dict[str, object]:
    process = petition.instance.process
    return {
        "organisation_slug": process.organisation.slug,
        "process_slug": process.slug,
        "instance_slug": petition.instance.slug,
        "pk": petition.pk,
    }


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _link(name: str, signature: Signature, token: str) -> str:
    with translation.override(signature.language):
        return absolute(
            reverse(
                f"petitions:{name}", kwargs={**petition_kwargs(signature.petition), "token": token}
            )
        )


def do_send_signature_mails(*, batch: int = BATCH, rounds: int = 20) -> int:
    """Send the e-mails signers are owed (confirmation or 'already signed'); returns how many.

    The signatures are their own outbox: each batch is claimed under ``FOR UPDATE SKIP
    LOCKED``, sent over one mailer connection, and marked sent in the same transaction,
    so two workers never send the same e-mail, and a worker that dies mid-batch leaves
    it owed (it is sent again: at least once, never lost).  Each template is rendered
    once per petition, kind and language; the signer's name and link are filled in.
    """
    sent = 0
    with scopes_disabled():
        for _round in range(rounds):
            with transaction.atomic():
                owed = list(
                    Signature._base_manager.select_for_update(skip_locked=True, of=("self",))
                    .filter(mail_due__gt=0, email__isnull=False)
                    .select_related("petition__instance__process__organisation")
                    .only(
                        "pk",
                        "email",
                        "name",
                        "language",
                        "mail_due",
                        "petition__title",
                        "petition__instance__slug",
                        "petition__instance__process__slug",
                        "petition__instance__process__organisation__slug",
                    )
                    .order_by("pk")[:batch]
                )
                if not owed:
                    break
                drafts: dict[tuple, tuple] = {}
                messages = [_signature_mail(s, drafts) for s in owed]
                with mailers["default"] as connection:
                    connection.send_messages(messages)
                Signature._base_manager.filter(pk__in=[s.pk for s in owed]).update(mail_due=0)
                sent += len(messages)
    return sent


# stand-ins in the drafts, filled in per signer (the token one survives URL quoting)
NAME, LINK, TOKEN = "\x1aname\x1a", "\x1alink\x1a", "0signertoken0"


def _signature_mail(signature: Signature, drafts: dict) -> EmailMessage:
    """The e-mail ``signature`` is owed, from a draft rendered once per group."""
    kind = signature.mail_due
    key = (signature.petition_id, kind, signature.language)
    draft = drafts.get(key)
    if draft is None:
        context = {"name": NAME, "title": signature.petition.title, "page": _page(signature)}
        if kind == Mail.CONFIRM:
            context["link"] = LINK
        rendered = render_email(
            to="", template=TEMPLATES[kind], context=context, language=signature.language
        )
        link = _link("confirm", signature, TOKEN) if kind == Mail.CONFIRM else ""
        draft = drafts[key] = (rendered, link, urlsplit(settings.SITE_URL).hostname or "localhost")
    rendered, link, domain = draft
    body = rendered["body"].replace(NAME, conditional_escape(signature.name))
    if kind == Mail.CONFIRM:
        token = confirmation_token(signature)
        body = body.replace(LINK, conditional_escape(link.replace(TOKEN, token)))
    return DraftedEmail(
        subject=rendered["subject"],
        body=body,
        from_email=rendered["from_email"],
        to=[signature.email],
        headers={"Message-ID": make_msgid(domain=domain)},
        drafts=drafts,
    )


# stand-ins for the recipient and the Message-ID in a draft's headers
TO, MESSAGE_ID = "recipient@draft.invalid", "<draft@draft.invalid>"


class DraftedEmail(EmailMessage):
    """A plain-text e-mail whose bytes are made from headers built once per group.

    Django's message building (the ``email`` package's policy parses and folds every
    header) cost more than the rest of sending; the headers of a batch's e-mails differ
    only by recipient and Message-ID.  So for the SMTP backend, the first message of a
    group (same subject, sender, headers) is built by Django with stand-ins, and each
    message's bytes are those headers with its recipient and Message-ID put in, and its
    own body encoded in quoted-printable as Django encodes it.  Any other use (another
    backend, an address that is not ASCII, copies or attachments) goes through Django.
    """

    def __init__(self, *args, drafts: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._drafts = drafts

    def message(self, *, policy=None):
        address, message_id = self.to[0], self.extra_headers.get("Message-ID", "")
        if (
            policy is not email.policy.SMTP  # the SMTP backend's call; others get Django's
            or len(self.to) != 1
            or self.cc
            or self.bcc
            or self.reply_to
            or self.attachments
            or not (address + message_id).isascii()
            or any(c in address + message_id for c in "\r\n")
        ):
            return super().message(policy=policy)
        others = tuple(sorted((k, v) for k, v in self.extra_headers.items() if k != "Message-ID"))
        key = ("headers", self.subject, self.from_email, others, policy)
        head = self._drafts.get(key)
        if head is None:
            stand_in = EmailMessage(
                subject=self.subject,
                body="",
                from_email=self.from_email,
                to=[TO],
                headers={**self.extra_headers, "Message-ID": MESSAGE_ID},
            )
            built = stand_in.message(policy=policy)
            built.set_param("charset", "utf-8")
            del built["Content-Transfer-Encoding"]
            built["Content-Transfer-Encoding"] = "quoted-printable"
            head = built.as_bytes().split(b"\r\n\r\n", 1)[0]
            self._drafts[key] = head
        return _Bytes(head, address, message_id, self.body)


class _Bytes:
    """What a mail backend reads of a message: its bytes (and its string)."""

    def __init__(self, head: bytes, address: str, message_id: str, body: str):
        encoded = binascii.b2a_qp(body.encode(), istext=True).replace(b"\n", b"\r\n")
        self._bytes = (
            head.replace(TO.encode(), address.encode(), 1).replace(
                MESSAGE_ID.encode(), message_id.encode(), 1
            )
            + b"\r\n\r\n"
            + encoded
        )

    def as_bytes(self, *args, **kwargs) -> bytes:
        return self._bytes

    def as_string(self, *args, **kwargs) -> str:
        return self._bytes.decode("ascii")


def _recipient(kind: int, signature: Signature) -> Recipient:
    """One signer as a bulk-e-mail recipient, rendered the kernel's way (tests compare)."""
    context = {
        "name": signature.name,
        "title": signature.petition.title,
        "page": _page(signature),
    }
    if kind == Mail.CONFIRM:
        context["link"] = _link("confirm", signature, confirmation_token(signature))
    return Recipient(email=signature.email, language=signature.language, context=context)


def _page(signature: Signature) -> str:
    with translation.override(signature.language):
        return absolute(reverse("petitions:petition", kwargs=petition_kwargs(signature.petition)))


def do_send_update(*, update_id: int) -> int:
    """E-mail an update (or the response) to the signers who consented; safe to retry.

    Message-IDs are fixed per update and signer, so a retried task sends nobody twice.
    """
    with scopes_disabled():
        update = Update.objects.select_related("petition__instance__process__organisation").get(
            pk=update_id
        )
        petition = update.petition
        signers = (
            Signature._base_manager.filter(
                COUNTED, petition=petition, consent=True, unsubscribed_at__isnull=True
            )
            .exclude(email__isnull=True)
            .only("pk", "email", "name", "language", "petition_id")
            .order_by("pk")
        )
        domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        total = 0
        for chunk in itertools.batched(signers.iterator(chunk_size=BATCH), BATCH):
            recipients = []
            for signature in chunk:
                signature.petition = petition
                leave = _link("unsubscribe", signature, unsubscribe_token(signature))
                recipients.append(
                    Recipient(
                        email=signature.email,
                        language=signature.language,
                        context={"name": signature.name, "unsubscribe": leave},
                        headers={
                            "Message-ID": f"<petition-update-{update.pk}-{signature.pk}@{domain}>",
                            "List-Unsubscribe": f"<{leave}>",
                            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                        },
                    )
                )
            with transaction.atomic():
                total += queue_bulk_email(
                    recipients=recipients,
                    template="petitions/email/update",
                    context={
                        "update": update,
                        "title": petition.title,
                        "response": update.kind == Update.Kind.RESPONSE,
                        "page": absolute(
                            reverse("petitions:petition", kwargs=petition_kwargs(petition))
                        ),
                    },
                )
        Update._base_manager.filter(pk=update.pk).update(recipients=total)
    return total
