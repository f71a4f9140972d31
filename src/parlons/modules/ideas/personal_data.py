"""The idea box's part of "download my data" and "delete my account"."""

from __future__ import annotations

from typing import Any

from parlons.contributions.personal_data import erase_contributions, export_contributions
from parlons.modules.ideas.models import Idea


def export(*, participant: Any) -> dict:
    """The ideas the participant wrote, and their contributions on ideas."""
    return {
        "ideas": [
            {
                "id": idea.pk,
                "idea_box": f"{idea.instance.process.slug}/{idea.instance.slug}",
                "title": idea.title,
                "body": idea.body,
                "status": idea.status,
                "created_at": idea.created_at,
                "edited_at": idea.edited_at,
            }
            for idea in Idea.objects.filter(author=participant).select_related("instance__process")
        ],
        **export_contributions(participant=participant, module="ideas"),
    }


def erase(*, participant: Any) -> None:
    """Ideas and comments stay, anonymous; supports keep counting without the person."""
    Idea.objects.filter(author=participant).update(author=None)
    erase_contributions(participant=participant, module="ideas")
