"""What petitions hold about one participant: their signatures (by account or e-mail)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from parlons.core.tenancy import scopes_disabled
from parlons.modules.petitions.models import Petition, Signature
from parlons.modules.petitions.signing import normalise_email


def _theirs(participant: Any):
    return Signature._base_manager.filter(
        Q(participant=participant) | Q(email=normalise_email(participant.email or "x@invalid"))
    )


def export(*, participant: Any) -> dict:
    with scopes_disabled():
        rows = _theirs(participant).select_related("petition").order_by("pk")
        return {
            "signatures": [
                {
                    "petition": s.petition.title,
                    "name": s.name,
                    "email": s.email,
                    "postcode": s.postcode,
                    "comment": s.comment,
                    "consent": s.consent,
                    "signed_at": s.created_at.isoformat(),
                    "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                }
                for s in rows
            ],
            "petitions_owned": list(
                Petition.objects.filter(owner=participant).values_list("title", flat=True)
            ),
        }


def erase(*, participant: Any) -> None:
    """Signatures stay counted but lose the name, e-mail, address and comment."""
    with scopes_disabled():
        _theirs(participant).update(
            email=None, name="", ip=None, participant=None, comment="", mail_due=0
        )
