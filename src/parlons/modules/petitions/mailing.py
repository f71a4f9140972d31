"""E-mails to signers, always in batches from tasks: confirmation links, 'already signed',
and the owner's updates and the target's response (to consenting signers, with unsubscribe).
"""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from parlons.core.notifications.services import Recipient, queue_bulk_email
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

    Each batch is claimed under ``FOR UPDATE SKIP LOCKED`` and marked sent in the same
    transaction that queues the e-mails, so two workers never send the same one.
    """
    sent = 0
    with scopes_disabled():
        for _round in range(rounds):
            with transaction.atomic():
                owed = list(
                    Signature._base_manager.select_for_update(skip_locked=True, of=("self",))
                    .filter(mail_due__gt=0, email__isnull=False)
                    .select_related("petition__instance__process__organisation")
                    .order_by("pk")[:batch]
                )
                if not owed:
                    break
                for kind, group in itertools.groupby(
                    sorted(owed, key=lambda s: s.mail_due), key=lambda s: s.mail_due
                ):
                    sent += queue_bulk_email(
                        recipients=[_recipient(kind, s) for s in group],
                        template=TEMPLATES[kind],
                    )
                Signature._base_manager.filter(pk__in=[s.pk for s in owed]).update(mail_due=0)
    return sent


def _recipient(kind: int, signature: Signature) -> Recipient:
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
