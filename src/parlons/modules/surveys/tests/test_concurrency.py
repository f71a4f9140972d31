"""Two parallel submissions of a participant's only response leave exactly one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parlons.testing.concurrency import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_submissions_of_the_only_allowed_response_leave_one(
    make_questionnaire, make_participant
):
    from parlons.core.tenancy import scopes_disabled
    from parlons.modules.surveys.models import Questionnaire, Response
    from parlons.modules.surveys.services import do_submit_response

    questionnaire = make_questionnaire()
    person = make_participant()

    def submit(n):
        with scopes_disabled():
            fresh = Questionnaire.objects.select_related("instance__process__organisation").get(
                pk=questionnaire.pk
            )
            return do_submit_response(
                questionnaire=fresh, person=person, answers={"mode": 2}, language="fr"
            )

    results = in_parallel(submit, range(8), threads=8)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 7, results
    assert Response.objects.filter(questionnaire=questionnaire, participant=person).count() == 1


def test_parallel_completions_of_one_draft_complete_it_once(make_questionnaire, make_participant):
    from parlons.core.tenancy import scopes_disabled
    from parlons.modules.surveys.models import Questionnaire, Response
    from parlons.modules.surveys.services import do_save_draft, do_submit_response

    questionnaire = make_questionnaire()
    person = make_participant()
    draft, _token = do_save_draft(
        questionnaire=questionnaire,
        person=person,
        draft=None,
        answers={"mode": 1},
        page="p2",
        language="fr",
    )

    def submit(n):
        with scopes_disabled():
            fresh = Questionnaire.objects.select_related("instance__process__organisation").get(
                pk=questionnaire.pk
            )
            mine = Response.objects.get(pk=draft.pk)
            return do_submit_response(
                questionnaire=fresh,
                person=person,
                answers={"mode": 1, "why": f"r{n}"},
                language="fr",
                draft=mine,
            )

    results = in_parallel(submit, range(6), threads=6)
    assert sum(isinstance(r, ValidationError) for r in results) == 5, results
    assert Response.objects.filter(questionnaire=questionnaire).count() == 1
    assert Response.objects.get().status == "complete"
