"""The budget's part of "download my data" and "delete my account"."""

from __future__ import annotations

from typing import Any

from parlons.contributions.personal_data import erase_contributions, export_contributions
from parlons.modules.budgets.models import Project, VoterMark


def export(*, participant: Any) -> dict:
    """The projects the participant proposed and the budgets they voted on (a ballot's
    contents are not linked to anyone, so they are not part of it)."""
    return {
        "projects": [
            {
                "id": p.pk,
                "budget": f"{p.instance.process.slug}/{p.instance.slug}/{p.budget.slug}",
                "title": p.title,
                "body": p.body,
                "cost": p.cost,
                "status": p.status,
                "created_at": p.created_at,
            }
            for p in Project.objects.filter(author=participant).select_related(
                "instance__process", "budget"
            )
        ],
        "voted_on": [
            f"{m.budget.instance.process.slug}/{m.budget.instance.slug}/{m.budget.slug}"
            for m in VoterMark.objects.filter(participant=participant).select_related(
                "budget__instance__process"
            )
        ],
        **export_contributions(participant=participant, module="budgets"),
    }


def erase(*, participant: Any) -> None:
    """Projects and comments stay, anonymous; ballots keep counting without the person."""
    Project.objects.filter(author=participant).update(author=None)
    VoterMark.objects.filter(participant=participant).update(participant=None)
    erase_contributions(participant=participant, module="budgets")
