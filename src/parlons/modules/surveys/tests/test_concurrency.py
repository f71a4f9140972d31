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


def test_parallel_submissions_are_all_counted_by_the_cached_results(
    make_questionnaire, make_participant
):
    from parlons.core.tenancy import scopes_disabled
    from parlons.modules.surveys.matrix_cache import MATRICES
    from parlons.modules.surveys.models import Questionnaire, Response
    from parlons.modules.surveys.selectors import load_response_data
    from parlons.modules.surveys.services import do_submit_response
    from parlons.modules.surveys.versions import results_version

    questionnaire = make_questionnaire()
    people = [make_participant() for _ in range(24)]
    MATRICES.clear()
    assert len(load_response_data(questionnaire=questionnaire)) == 0  # cached, empty

    def fresh():
        with scopes_disabled():
            return Questionnaire.objects.select_related("instance__process__organisation").get(
                pk=questionnaire.pk
            )

    def work(n):
        # Three readers of the results among 24 respondents, all at once.
        if n < 3:
            with scopes_disabled():
                return len(load_response_data(questionnaire=fresh()))
        with scopes_disabled():
            return do_submit_response(
                questionnaire=fresh(), person=people[n - 3], answers={"mode": 2}, language="fr"
            )

    results = in_parallel(work, range(27), threads=9)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []  # no deadlock, no serialization failure
    assert Response.objects.filter(questionnaire=questionnaire, status="complete").count() == 24
    with scopes_disabled():
        assert len(load_response_data(questionnaire=fresh())) == 24
        assert 1 <= len(results_version(questionnaire_id=questionnaire.pk)) <= 9
    MATRICES.clear()
