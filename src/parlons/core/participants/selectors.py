"""Reads about participants."""

from __future__ import annotations

from django.db.models import Q

from parlons.core.participants.models import Participant
from parlons.core.tenancy import scopes_disabled


def participant_linked_to(*, organisation, email: str) -> Participant | None:
    """The account with ``email`` if it ever took part in ``organisation``, else None.

    Taking part means a role, an invitation, a verification, a voting code used, or any
    entry of the organisation's audit log made by the person (every contribution to a
    module leaves one).  An administrator handling a data request sees no one else.
    """
    from parlons.core.audit.models import AuditEntry
    from parlons.core.organisations.models import Member
    from parlons.core.participants.models import Verification, VotingCode

    email = email.strip()
    if not email:
        return None
    with scopes_disabled():
        person = Participant.objects.filter(email__iexact=email, erased_at__isnull=True).first()
        if person is None:
            return None
        linked = (
            Member.objects.filter(organisation=organisation, participant=person).exists()
            or person.invited_processes.filter(organisation=organisation).exists()
            or Verification.objects.filter(organisation=organisation, participant=person).exists()
            or VotingCode.objects.filter(organisation=organisation, used_by=person).exists()
            or AuditEntry.objects.filter(
                Q(actor=person)
                | Q(target_type="participants.participant", target_id=str(person.pk)),
                organisation=organisation,
            ).exists()
        )
    return person if linked else None
