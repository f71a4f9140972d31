"""Every change to participants and their verifications."""

from __future__ import annotations

from django.db import transaction

from parlons.core.audit.services import log_action
from parlons.core.participants.models import Participant, Verification


@transaction.atomic
def do_record_email_verification(*, participant: Participant) -> Verification:
    """Record that the participant confirmed their e-mail address (idempotent)."""
    verification, created = Verification.objects.get_or_create(
        participant=participant, method="email", organisation=None, revoked_at=None
    )
    if created:
        log_action(actor=participant, code="participants.email.verified", target=participant)
    return verification
