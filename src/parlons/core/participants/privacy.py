"""Download my data and delete my account, across the kernel and every module.

Each module declares ``personal_data`` (export and erase) in its ``module.py``; the kernel
collects them here.  Erasure keeps contributions and tallies but cuts them from the
person: the account row stays as an anonymous tombstone so that counts do not change.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from parlons.core.audit.models import AuditEntry
from parlons.core.audit.services import log_action
from parlons.core.participants.models import Demographics, Guest, Participant, Verification
from parlons.core.registry import registry
from parlons.core.tenancy import scopes_disabled


def _profile(participant: Participant) -> dict:
    return {
        "email": participant.email,
        "display_name": participant.display_name,
        "language": participant.language,
        "date_joined": participant.date_joined,
        "last_login": participant.last_login,
        "notifications": {
            "replies": participant.notify_replies,
            "updates": participant.notify_updates,
        },
    }


def _demographics(participant: Participant) -> dict | None:
    row = Demographics.objects.filter(participant=participant).first()
    if row is None:
        return None
    return {
        "consented_at": row.consented_at,
        "age_band": row.age_band,
        "gender": row.gender,
        "area": row.area_code,
        "extra": row.extra,
    }


def _verifications(participant: Participant) -> list[dict]:
    return [
        {
            "method": v.method,
            "organisation": v.organisation.slug if v.organisation else None,
            "area": v.area.code if v.area else None,
            "verified_at": v.verified_at,
            "expires_at": v.expires_at,
            "revoked_at": v.revoked_at,
        }
        for v in Verification.objects.filter(participant=participant).select_related(
            "organisation", "area"
        )
    ]


def _audit(participant: Participant) -> list[dict]:
    about = Q(actor=participant) | Q(
        target_type="participants.participant", target_id=str(participant.pk)
    )
    return [
        {
            "code": e.code,
            "at": e.created_at,
            "target": f"{e.target_type}#{e.target_id}",
            "data": e.data,
        }
        for e in AuditEntry.objects.filter(about).order_by("created_at")
    ]


def export_personal_data(*, participant: Participant) -> bytes:
    """A ZIP of JSON files: profile, demographics, verifications, audit, one per module."""
    with scopes_disabled():
        files: dict[str, Any] = {
            "profile.json": _profile(participant),
            "demographics.json": _demographics(participant),
            "verifications.json": _verifications(participant),
            "audit.json": _audit(participant),
        }
        for declaration in registry:
            if declaration.personal_data is not None:
                files[f"modules/{declaration.key}.json"] = declaration.personal_data.export(
                    participant=participant
                )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(
                name, json.dumps(content, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            )
    return buffer.getvalue()


@transaction.atomic
def do_erase_participant(*, participant: Participant, actor: Any) -> None:
    """Delete the account's personal data; contributions become anonymous, tallies stay."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    with scopes_disabled():
        for declaration in registry:
            if declaration.personal_data is not None:
                declaration.personal_data.erase(participant=participant)
        Demographics.objects.filter(participant=participant).delete()
        Verification.objects.filter(participant=participant).delete()
        EmailAddress.objects.filter(user=participant).delete()
        Authenticator.objects.filter(user=participant).delete()
        participant.memberships.all().delete()
        AuditEntry.objects.filter(actor=participant).update(actor=None)
    participant.email = f"erased-{participant.pk}@invalid"
    participant.display_name = ""
    participant.set_unusable_password()
    participant.is_active = False  # its sessions stop authenticating at once
    participant.erased_at = timezone.now()
    participant.save()
    log_action(
        actor=None,
        code="participants.account.erased",
        target=participant,
        data={"by": "self" if actor == participant else "admin"},
    )


@transaction.atomic
def do_erase_expired_guests(*, months: int) -> int:
    """Erase the e-mail of guests whose process ended ``months`` ago (retention)."""
    from parlons.core.processes.models import Phase

    cutoff = timezone.now() - timedelta(days=30 * months)
    with scopes_disabled():
        ended = (
            Phase.objects.values("process")
            .order_by()
            .annotate(last=Max("ends_at"))
            .filter(last__lt=cutoff)
            .values("process")
        )
        guests = Guest.objects.filter(erased_at__isnull=True, process__in=ended)
        count = guests.update(email="", erased_at=timezone.now())
    return count
