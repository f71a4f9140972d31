"""What the surveys module holds about one participant: their responses."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage

from parlons.lib.i18n import pick
from parlons.modules.surveys.models import Response
from parlons.modules.surveys.versions import bump_results_version


def export(*, participant: Any) -> dict:
    """Every response of the participant, with its answers as stored."""
    rows = Response.objects.filter(participant=participant).select_related(
        "questionnaire__instance"
    )
    return {
        "responses": [
            {
                "questionnaire": pick(r.questionnaire.instance.title),
                "status": r.status,
                "started_at": r.started_at,
                "submitted_at": r.submitted_at,
                "language": r.language,
                "score": r.score,
                "answers": r.answers,
            }
            for r in rows.order_by("pk")
        ]
    }


def erase(*, participant: Any) -> None:
    """Cut responses from the person (tallies stay), delete drafts and uploaded files.

    The results of each questionnaire answered get a new version (its cached arrays
    name the respondents).
    """
    responses = Response.objects.filter(participant=participant)
    responses.filter(status="draft").delete()
    answered = set()
    for response in responses:
        answered.add(response.questionnaire_id)
        for value in response.answers.values():
            if isinstance(value, dict) and value.get("path"):
                default_storage.delete(value["path"])
                value.pop("path")
        response.participant = None
        response.single_key = f"erased:{response.pk}" if response.single_key else ""
        response.save(update_fields=["participant", "single_key", "answers"])
    bump_results_version(questionnaire_ids=answered)
