"""The surveys API router: a questionnaire's definition, and its results once published."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from ninja import Router, Schema

from parlons.core.organisations.models import Organisation
from parlons.core.tenancy import scope

router = Router(tags=["surveys"])
# Addresses are slugs; anything else names nothing (and must not reach the database:
# PostgreSQL refuses a NUL character in a query with an error, not a miss).
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


class QuestionnaireOut(Schema):
    instance: str
    title: dict[str, str]
    is_quiz: bool
    results_published: bool
    definition: dict[str, Any]


class ChoiceOut(Schema):
    label: str
    count: int | None
    percent: float | None


class TableOut(Schema):
    title: str
    base: int
    choices: list[ChoiceOut]


class QuestionResultOut(Schema):
    key: str
    type: str
    text: str
    answered: int
    tables: list[TableOut]


class ResultsOut(Schema):
    instance: str
    responses: int | None
    minimum_cell_size: int
    questions: list[QuestionResultOut]


def _questionnaire(request, organisation: str, process: str, instance: str):
    from parlons.modules.surveys.selectors import access_questionnaire

    if not all(SLUG.match(part) for part in (organisation, process, instance)):
        raise Http404
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    return org, lambda: access_questionnaire(
        person=request.user, process_slug=process, instance_slug=instance
    )


@router.get("/{organisation}/{process}/{instance}", response=QuestionnaireOut)
def get_questionnaire(request, organisation: str, process: str, instance: str):
    """The definition of a questionnaire (pages, questions, options, conditions)."""
    org, find = _questionnaire(request, organisation, process, instance)
    with scope(organisation=org):
        questionnaire = find()
        definition = questionnaire.definition
        if questionnaire.is_quiz:  # right answers stay secret until answered
            definition = {
                **definition,
                "pages": [
                    {
                        **p,
                        "questions": [
                            {k: v for k, v in q.items() if k not in ("correct", "explanation")}
                            for q in p["questions"]
                        ],
                    }
                    for p in definition["pages"]
                ],
            }
        return {
            "instance": questionnaire.instance.slug,
            "title": questionnaire.instance.title,
            "is_quiz": questionnaire.is_quiz,
            "results_published": questionnaire.results_published,
            "definition": definition,
        }


@router.get("/{organisation}/{process}/{instance}/results", response=ResultsOut)
def get_results(request, organisation: str, process: str, instance: str):
    """Published results: counts and percentages, cells under the minimum size hidden (null)."""
    from parlons.modules.surveys.results import question_results
    from parlons.modules.surveys.selectors import load_response_data

    org, find = _questionnaire(request, organisation, process, instance)
    with scope(organisation=org):
        questionnaire = find()
        if not questionnaire.results_published:
            raise Http404
        data = load_response_data(questionnaire=questionnaire)
        minimum = questionnaire.min_cell_size
        results = question_results(
            questionnaire=questionnaire, data=data, minimum=minimum, charts=False, public=True
        )
    return {
        "instance": questionnaire.instance.slug,
        "responses": len(data) if len(data) >= minimum else None,
        "minimum_cell_size": minimum,
        "questions": [
            {
                "key": r.key,
                "type": r.kind,
                "text": r.text,
                "answered": r.answered if r.answered >= minimum else 0,
                "tables": [
                    {
                        "title": t.title,
                        "base": t.base,
                        "choices": [
                            {"label": row.label, "count": row.count, "percent": row.percent}
                            for row in t.rows
                        ],
                    }
                    for t in r.tables
                ],
            }
            for r in results
            if r.kind not in ("short_text", "long_text", "file")
        ],
    }
