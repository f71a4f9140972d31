"""Download my data and delete my account, across the kernel and every module.

Each module declares ``personal_data`` (export and erase) in its ``module.py``; the kernel
collects them here.  Erasure keeps contributions and tallies but cuts them from the
person: the account row stays as an anonymous tombstone (no e-mail, no name, no
password) so that counts do not change and contributions show "Anonymous participant".
What is kept, why and for how long is listed in ``docs/privacy.md``: keep both true.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parlons.core.audit.models import AuditEntry
from parlons.core.audit.services import log_action
from parlons.core.participants.models import Demographics, Guest, Participant, Verification
from parlons.core.registry import ModuleRegistry, registry
from parlons.core.tenancy import scopes_disabled

# One month of the retention settings, in days (GUEST_RETENTION_MONTHS).
MONTH = timedelta(days=30)


def _verified_addresses(participant: Participant) -> list[str]:
    from allauth.account.models import EmailAddress

    return [
        address.lower()
        for address in EmailAddress.objects.filter(user=participant, verified=True).values_list(
            "email", flat=True
        )
    ]


def _profile(participant: Participant) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

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
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=participant).order_by("pk")
        ],
        "two_factor": sorted(
            Authenticator.objects.filter(user=participant).values_list("type", flat=True)
        ),
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
            "data": v.data,
            "verified_at": v.verified_at,
            "expires_at": v.expires_at,
            "revoked_at": v.revoked_at,
        }
        for v in Verification.objects.filter(participant=participant)
        .select_related("organisation", "area")
        .order_by("verified_at", "pk")
    ]


def _roles(participant: Participant) -> dict:
    return {
        "roles": [
            {"organisation": m.organisation.slug, "role": m.role, "since": m.created_at}
            for m in participant.memberships.select_related("organisation").order_by("pk")
        ],
        "invited_to": [
            {"organisation": p.organisation.slug, "process": p.slug}
            for p in participant.invited_processes.select_related("organisation").order_by("pk")
        ],
    }


def _api_tokens(participant: Participant) -> list[dict]:
    return [
        {
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at,
        }
        for t in participant.api_tokens.order_by("pk")
    ]


def _guests(participant: Participant) -> list[dict]:
    """Times the person took part without an account, with an address they confirmed."""
    return [
        {
            "organisation": g.organisation.slug,
            "process": g.process.slug if g.process else None,
            "module": g.module,
            "email": g.email,
            "created_at": g.created_at,
            "confirmed_at": g.confirmed_at,
        }
        for g in Guest.objects.filter(
            email__in=_verified_addresses(participant), erased_at__isnull=True
        )
        .select_related("organisation", "process")
        .order_by("pk")
    ]


def _audit(participant: Participant) -> list[dict]:
    about = Q(actor=participant) | Q(
        target_type="participants.participant", target_id=str(participant.pk)
    )
    return [
        {
            "code": e.code,
            "at": e.created_at,
            "by_me": e.actor_id == participant.pk,
            "target": f"{e.target_type}#{e.target_id}",
            "data": e.data,
        }
        for e in AuditEntry.objects.filter(about).order_by("created_at", "pk")
    ]


def personal_data_files(*, participant: Participant, modules: ModuleRegistry = registry) -> dict:
    """Every document of the export, by file name (JSON-ready values)."""
    with scopes_disabled():
        files: dict[str, Any] = {
            "profile.json": _profile(participant),
            "demographics.json": _demographics(participant),
            "verifications.json": _verifications(participant),
            "roles.json": _roles(participant),
            "api_tokens.json": _api_tokens(participant),
            "guests.json": _guests(participant),
            "audit.json": _audit(participant),
        }
        for declaration in modules:
            if declaration.personal_data is not None:
                files[f"modules/{declaration.key}.json"] = declaration.personal_data.export(
                    participant=participant
                )
    return files


def export_personal_data(*, participant: Participant, modules: ModuleRegistry = registry) -> bytes:
    """A ZIP of JSON files (see :func:`personal_data_files`) and a README in their language."""
    files = personal_data_files(participant=participant, modules=modules)
    with translation.override(participant.language):
        readme = render_to_string(
            "participants/export_readme.txt", {"participant": participant, "files": files}
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, content in files.items():
            archive.writestr(
                name, json.dumps(content, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            )
    return buffer.getvalue()


@transaction.atomic
def do_export_personal_data(
    *,
    participant: Participant,
    actor: Any,
    organisation: Any = None,
    modules: ModuleRegistry = registry,
) -> bytes:
    """The export, recorded in the audit log (in ``organisation``'s when an admin asks)."""
    archive = export_personal_data(participant=participant, modules=modules)
    log_action(
        actor=actor,
        code="participants.data.exported",
        target=participant,
        organisation=organisation,
        data={"by": "self" if actor == participant else "admin"},
    )
    return archive


def check_erase_participant(*, participant: Participant) -> None:
    """Refuse to erase the last administrator of an organisation (it would be orphaned)."""
    from parlons.core.organisations.models import Member, Role

    with scopes_disabled():
        held = Member.objects.filter(participant=participant, role=Role.ADMIN).values_list(
            "organisation", flat=True
        )
        orphaned = [
            organisation
            for organisation in held
            if not Member.objects.filter(organisation=organisation, role=Role.ADMIN)
            .exclude(participant=participant)
            .exists()
        ]
    if orphaned:
        raise ValidationError(
            _(
                "This account is the last administrator of an organisation. Give the "
                "administrator role to someone else first."
            ),
            code="last_admin",
        )


@transaction.atomic
def do_erase_participant(
    *,
    participant: Participant,
    actor: Any,
    organisation: Any = None,
    modules: ModuleRegistry = registry,
) -> None:
    """Delete the account's personal data; contributions become anonymous, tallies stay.

    Call :func:`check_erase_participant` first.  The account row stays as a tombstone:
    audit entries and contributions keep pointing at it and show "Anonymous participant".
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    by = "self" if actor == participant else "admin"
    with scopes_disabled():
        for declaration in modules:
            if declaration.personal_data is not None:
                declaration.personal_data.erase(participant=participant)
        Guest.objects.filter(
            email__in=_verified_addresses(participant), erased_at__isnull=True
        ).update(email="", erased_at=timezone.now())
        Demographics.objects.filter(participant=participant).delete()
        Verification.objects.filter(participant=participant).delete()
        EmailAddress.objects.filter(user=participant).delete()
        Authenticator.objects.filter(user=participant).delete()
        participant.memberships.all().delete()
        participant.api_tokens.all().delete()
        participant.invited_processes.clear()
    participant.email = f"erased-{participant.pk}@invalid"
    participant.display_name = ""
    participant.set_unusable_password()
    participant.is_active = False  # its sessions stop authenticating at once
    participant.is_staff = participant.is_superuser = False
    participant.notify_replies = participant.notify_updates = False
    participant.last_login = None
    participant.erased_at = timezone.now()
    participant.save()
    log_action(
        actor=None if by == "self" else actor,
        code="participants.account.erased",
        target=participant,
        organisation=organisation,
        data={"by": by},
    )


@transaction.atomic
def do_erase_expired_guests(*, months: int, now=None) -> int:
    """Erase guests' e-mail addresses ``months`` after their process ended (retention).

    A process ends with its last phase.  Guests whose process was deleted are erased
    ``months`` after they took part.  Returns how many guests were erased.
    """
    from parlons.core.processes.models import Phase

    now = now or timezone.now()
    cutoff = now - months * MONTH
    with scopes_disabled():
        ended = (
            Phase.objects.values("process")
            .order_by()
            .annotate(last=Max("ends_at"))
            .filter(last__lt=cutoff)
            .values("process")
        )
        guests = Guest.objects.filter(erased_at__isnull=True).filter(
            Q(process__in=ended) | Q(process__isnull=True, created_at__lt=cutoff)
        )
        return guests.update(email="", erased_at=now)


# Finished background tasks are deleted after this long: their arguments hold whole
# e-mails (addresses, login codes, confirmation links).
TASK_RESULTS_KEPT = timedelta(days=7)


def do_prune_task_results(*, now=None) -> int:
    """Delete task results finished more than :data:`TASK_RESULTS_KEPT` ago."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    deleted, _by_model = DBTaskResult.objects.filter(
        finished_at__lt=now - TASK_RESULTS_KEPT
    ).delete()
    return deleted


def do_clear_expired_sessions(*, now=None) -> int:
    """Delete expired sessions (Django keeps them until told; they name their account)."""
    from django.contrib.sessions.models import Session

    deleted, _by_model = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted
