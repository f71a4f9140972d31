"""Every change to participants, their verifications and their profile."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parlons.core.audit.services import log_action
from parlons.core.organisations.models import Organisation
from parlons.core.participants.models import (
    CensusEntry,
    Demographics,
    Participant,
    Verification,
    VerificationConflict,
    VotingCode,
)
from parlons.core.processes.models import Area

VALIDITY = timedelta(days=365)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed


def hash_identity(*, organisation: Organisation, parts: Iterable[str]) -> str:
    """A keyed hash of an identity (census line, code): the plain value is never stored."""
    normalised = "|".join(str(part).strip().upper().replace(" ", "") for part in parts)
    message = f"{organisation.pk}|{normalised}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def do_record_email_verification(*, participant: Participant) -> Verification:
    """Record that the participant confirmed their e-mail address (idempotent)."""
    verification, created = Verification.objects.get_or_create(
        participant=participant, method="email", organisation=None, revoked_at=None
    )
    if created:
        log_action(actor=participant, code="participants.email.verified", target=participant)
    return verification


def _holder(*, participant, organisation, method, identity_hash) -> Verification | None:
    """Another account's unrevoked verification of the same identity (expired ones too)."""
    if not identity_hash:
        return None
    return (
        Verification.objects.filter(
            organisation=organisation,
            method=method,
            identity_hash=identity_hash,
            revoked_at__isnull=True,
        )
        .exclude(participant=participant)
        .select_related("participant")
        .first()
    )


def _record_conflict(*, participant, organisation, method, identity_hash, holder) -> None:
    VerificationConflict.objects.create(
        organisation=organisation,
        method=method,
        identity_hash=identity_hash,
        holder=holder.participant if holder is not None else None,
        claimant=participant,
    )
    log_action(
        actor=participant,
        code="participants.verification.conflicted",
        target=participant,
        organisation=organisation,
        data={"method": method},
    )


def _record(*, participant, organisation, method, identity_hash="", area=None, data=None):
    """Create a verification; an identity already held by someone else is a conflict.

    An identity stays with the account that verified it until an administrator revokes
    that verification, even after it expires: expiry asks its holder to verify again,
    it does not free the identity for a second account.
    """
    identity = {"organisation": organisation, "method": method, "identity_hash": identity_hash}
    holder = _holder(participant=participant, **identity)
    if holder is not None:
        _record_conflict(participant=participant, holder=holder, **identity)
        return None
    # The new verification replaces the person's earlier ones by this method, expired
    # ones included (the unique constraint counts every unrevoked row).
    Verification.objects.filter(
        participant=participant, organisation=organisation, method=method, revoked_at=None
    ).update(revoked_at=timezone.now())
    try:
        with transaction.atomic():
            verification = Verification.objects.create(
                participant=participant,
                area=area,
                data=data or {},
                expires_at=timezone.now() + VALIDITY,
                **identity,
            )
    except IntegrityError:  # a parallel claim of the same identity won
        holder = _holder(participant=participant, **identity)
        _record_conflict(participant=participant, holder=holder, **identity)
        return None
    log_action(
        actor=participant,
        code="participants.verification.granted",
        target=participant,
        organisation=organisation,
        data={"method": method},
    )
    return verification


CONFLICT = gettext_lazy(
    "This identity is already used by another account. The organisers have been "
    "told and will look into it."
)


@transaction.atomic
def do_verify_postcode(
    *, participant: Participant, organisation: Organisation, postcode: str
) -> Verification:
    """Residency by postcode, against the postcodes of the organisation's areas."""
    postcode = postcode.strip().upper().replace(" ", "")
    area = next(
        (
            a
            for a in Area.objects.filter(organisation=organisation)
            if postcode in {p.upper().replace(" ", "") for p in a.postcodes}
        ),
        None,
    )
    if area is None:
        raise ValidationError(
            _("This postcode is not in the area of %(name)s.") % {"name": organisation.name},
            code="postcode",
        )
    return _record(participant=participant, organisation=organisation, method="postcode", area=area)


@transaction.atomic
def do_import_census(
    *, organisation: Organisation, rows: Iterable[tuple[str, str]], actor: Any, replace: bool = True
) -> int:
    """Load a census or voter list as keyed hashes of (identifier, birth date)."""
    hashes = {hash_identity(organisation=organisation, parts=row) for row in rows}
    if replace:
        CensusEntry.objects.filter(organisation=organisation).delete()
    CensusEntry.objects.bulk_create(
        [CensusEntry(organisation=organisation, identity_hash=h) for h in hashes],
        ignore_conflicts=True,
    )
    log_action(
        actor=actor,
        code="participants.census.imported",
        target=organisation,
        organisation=organisation,
        data={"entries": len(hashes)},
    )
    return len(hashes)


def do_verify_census(
    *, participant: Participant, organisation: Organisation, identifier: str, birth_date: date
) -> Verification:
    """Eligibility by the census list; also proves the age the list gives."""
    identity = hash_identity(organisation=organisation, parts=(identifier, birth_date.isoformat()))
    if not CensusEntry.objects.filter(organisation=organisation, identity_hash=identity).exists():
        raise ValidationError(
            _(
                "We could not find this number with this date of birth on "
                "the list. Check both and try again."
            ),
            code="census",
        )
    with transaction.atomic():  # a conflict is recorded even though the claim fails
        verification = _record(
            participant=participant,
            organisation=organisation,
            method="census",
            identity_hash=identity,
        )
        if verification is not None:
            _record(
                participant=participant,
                organisation=organisation,
                method="age",
                data={"birth_date": birth_date.isoformat(), "source": "census"},
            )
    if verification is None:
        raise ValidationError(CONFLICT, code="conflict")
    return verification


def new_code(length: int = 10) -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def do_generate_codes(
    *, organisation: Organisation, count: int, batch: str, actor: Any
) -> list[str]:
    """Create ``count`` single-use codes; the plain codes are returned once, for printing."""
    if not 1 <= count <= 100_000:
        raise ValidationError(_("Generate between 1 and 100,000 codes at a time."))
    codes = [new_code() for _ in range(count)]
    VotingCode.objects.bulk_create(
        [
            VotingCode(
                organisation=organisation,
                batch=batch,
                code_hash=hash_identity(organisation=organisation, parts=(code,)),
            )
            for code in codes
        ]
    )
    log_action(
        actor=actor,
        code="participants.codes.generated",
        target=organisation,
        organisation=organisation,
        data={"batch": batch, "count": count},
    )
    return codes


INVALID_CODE = gettext_lazy("This code is not valid or has already been used.")


@transaction.atomic
def do_redeem_code(
    *, participant: Participant, organisation: Organisation, code: str
) -> Verification:
    """Use a code once: a conditional update decides the single winner of parallel tries."""
    code_hash = hash_identity(organisation=organisation, parts=(code,))
    won = VotingCode.objects.filter(
        organisation=organisation, code_hash=code_hash, used_at__isnull=True
    ).update(used_by=participant, used_at=timezone.now())
    if won != 1:
        raise ValidationError(INVALID_CODE, code="code")
    verification = _record(
        participant=participant, organisation=organisation, method="code", identity_hash=code_hash
    )
    if verification is None:
        raise ValidationError(CONFLICT, code="conflict")
    return verification


@transaction.atomic
def do_verify_age(*, participant: Participant, birth_date: date) -> Verification:
    """A declared date of birth (a process needing proof asks for the census instead)."""
    if birth_date > timezone.localdate() or birth_date.year < 1900:
        raise ValidationError(_("Enter a real date of birth."), code="age")
    return _record(
        participant=participant,
        organisation=None,
        method="age",
        data={"birth_date": birth_date.isoformat(), "source": "declared"},
    )


@transaction.atomic
def do_revoke_verification(*, verification: Verification, actor: Any, reason: str = "") -> None:
    """Withdraw a verification; it stops counting at once."""
    verification.revoked_at = timezone.now()
    verification.save(update_fields=["revoked_at"])
    log_action(
        actor=actor,
        code="participants.verification.revoked",
        target=verification.participant,
        organisation=verification.organisation,
        data={"method": verification.method, "reason": reason},
    )


@transaction.atomic
def do_update_profile(*, participant: Participant, values: dict) -> Participant:
    """Display name, language and notification choices."""
    for name in ("display_name", "language", "notify_replies", "notify_updates"):
        if name in values:
            setattr(participant, name, values[name])
    participant.full_clean(exclude=["password"])
    participant.save()
    log_action(actor=participant, code="participants.profile.updated", target=participant)
    return participant


@transaction.atomic
def do_save_demographics(
    *, participant: Participant, consent: bool, values: dict
) -> Demographics | None:
    """Keep the demographic profile only with consent; without it, delete any kept."""
    if not consent:
        Demographics.objects.filter(participant=participant).delete()
        log_action(
            actor=participant, code="participants.demographics.withdrawn", target=participant
        )
        return None
    demographics, _created = Demographics.objects.update_or_create(
        participant=participant,
        defaults={
            "consented_at": timezone.now(),
            **{k: values.get(k, "") for k in ("age_band", "gender", "area_code")},
            "extra": values.get("extra", {}),
        },
    )
    log_action(actor=participant, code="participants.demographics.saved", target=participant)
    return demographics
