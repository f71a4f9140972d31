"""Guests: people who take part without an account, confirmed by a link sent by e-mail.

A module that accepts guests (a survey answer, a signature) calls :func:`do_open_guest`
inside the transaction of the contribution, and sends the returned link in its own
e-mail.  Following the link calls :func:`do_confirm_guest` and then the module's
``guest_confirmed(request=, guest=)`` (declared in its ``module.py``), which counts the
contribution and answers the guest.  The token is kept only as a hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from parlons.core.participants.models import Guest

LINK_VALIDITY = timedelta(days=7)
INVALID_LINK = _(
    "This confirmation link is not valid or has expired. Take part again to receive a new one."
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_open_guest(
    *, organisation, process, email: str, language: str, module: str
) -> tuple[Guest, str]:
    """A new unconfirmed guest and the path of its confirmation link (to e-mail)."""
    token = secrets.token_urlsafe(24)
    guest = Guest.objects.create(
        organisation=organisation,
        process=process,
        email=email.strip().lower(),
        module=module,
        language=language,
        token_hash=token_hash(token),
    )
    with translation.override(language):
        return guest, reverse("guest_confirm", kwargs={"token": token})


@transaction.atomic
def do_confirm_guest(*, token: str) -> tuple[Guest, bool]:
    """Confirm the guest holding ``token``; returns (guest, first time).

    Following a link twice confirms once; an unknown, erased or expired link raises
    ValidationError and changes nothing.
    """
    guest = (
        Guest.objects.select_for_update()
        .filter(token_hash=token_hash(token), erased_at__isnull=True)
        .first()
    )
    if guest is None or guest.created_at < timezone.now() - LINK_VALIDITY:
        raise ValidationError(INVALID_LINK, code="link")
    if guest.confirmed_at is not None:
        return guest, False
    guest.confirmed_at = timezone.now()
    guest.save(update_fields=["confirmed_at"])
    return guest, True
