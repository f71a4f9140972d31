"""Every change to organisations and their members."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parlons.core.audit.services import log_action
from parlons.core.organisations.models import Member, Organisation, Role
from parlons.core.participants.models import Participant

BRANDING_FIELDS = (
    "name",
    "description",
    "logo",
    "primary_colour",
    "accent_colour",
    "languages",
    "default_language",
)


@transaction.atomic
def do_update_branding(*, organisation: Organisation, actor: Any, values: dict) -> Organisation:
    """Change an organisation's name, description, logo, colours and languages."""
    for name in BRANDING_FIELDS:
        if name in values:
            setattr(organisation, name, values[name])
    organisation.full_clean()
    organisation.save()
    log_action(
        actor=actor,
        code="organisations.branding.updated",
        target=organisation,
        organisation=organisation,
    )
    return organisation


@transaction.atomic
def do_add_member(*, organisation: Organisation, actor: Any, email: str, role: str) -> Member:
    """Give the account with ``email`` a role in ``organisation``."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    participant = Participant.objects.filter(email__iexact=email.strip()).first()
    if participant is None:
        raise ValidationError(
            _("No account uses this e-mail address. Ask the person to sign up first.")
        )
    member, created = Member.objects.get_or_create(
        organisation=organisation, participant=participant, role=role
    )
    if not created:
        raise ValidationError(_("This person already has this role."))
    log_action(
        actor=actor,
        code="organisations.member.added",
        target=participant,
        organisation=organisation,
        data={"role": role},
    )
    return member


@transaction.atomic
def do_remove_member(*, member: Member, actor: Any) -> None:
    """Take a role away.  The last administrator cannot be removed."""
    organisation = member.organisation
    if (
        member.role == Role.ADMIN
        and Member.objects.filter(organisation=organisation, role=Role.ADMIN).count() == 1
    ):
        raise ValidationError(_("An organisation keeps at least one administrator."))
    log_action(
        actor=actor,
        code="organisations.member.removed",
        target=member.participant,
        organisation=organisation,
        data={"role": member.role},
    )
    member.delete()
