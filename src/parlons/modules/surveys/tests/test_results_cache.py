"""The decoded responses kept between requests: reused while nothing changed, never stale."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from django.utils import translation

from parlons.modules.surveys.matrix_cache import MATRICES, MatrixCache, Stamp
from parlons.modules.surveys.models import Response
from parlons.modules.surveys.results import question_results
from parlons.modules.surveys.selectors import load_response_data, remember, response_stamp
from parlons.modules.surveys.services import (
    do_confirm_guest_response,
    do_save_definition,
    do_save_draft,
    do_submit_response,
)
from parlons.modules.surveys.versions import bump_results_version

from .conftest import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_matrix_cache")]


@pytest.fixture
def two_answers(make_questionnaire, make_participant):
    questionnaire = make_questionnaire()
    for mode in (1, 2):
        submit(questionnaire, make_participant(), {"mode": mode})
    return questionnaire


def submit(questionnaire, person, answers, **extra):
    if answers.get("mode") == 1:  # cyclists are asked why, and must say
        answers = {**answers, "why": "Rapide"}
    return do_submit_response(
        questionnaire=questionnaire, person=person, answers=answers, language="fr", **extra
    )


def mode_counts(questionnaire) -> list[int]:
    data = load_response_data(questionnaire=questionnaire)
    mode = next(
        r for r in question_results(questionnaire=questionnaire, data=data) if r.key == "mode"
    )
    return [row.count for row in mode.tables[0].rows]


def test_a_second_read_reuses_the_arrays_after_one_query(two_answers, django_assert_num_queries):
    first = load_response_data(questionnaire=two_answers)
    with django_assert_num_queries(1):
        second = load_response_data(questionnaire=two_answers)
    assert second.matrix.codes is first.matrix.codes
    assert second.participants is first.participants
    assert mode_counts(two_answers) == [1, 1, 0]


def test_cached_arrays_cannot_be_changed_in_place(two_answers):
    data = load_response_data(questionnaire=two_answers)
    for array in (data.matrix.codes, data.matrix.numbers, data.days, data.participants):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0
    assert mode_counts(two_answers) == [1, 1, 0]


def test_a_new_response_is_counted_at_the_next_read(two_answers, make_participant):
    assert mode_counts(two_answers) == [1, 1, 0]
    submit(two_answers, make_participant(), {"mode": 2})
    assert mode_counts(two_answers) == [1, 2, 0]


def test_a_draft_completed_later_is_counted(two_answers, make_participant):
    person = make_participant()
    draft, _token = do_save_draft(
        questionnaire=two_answers,
        person=person,
        draft=None,
        answers={"mode": 1},
        page="p1",
        language="fr",
    )
    submit(two_answers, make_participant(), {"mode": 2})  # a newer id than the draft
    assert mode_counts(two_answers) == [1, 2, 0]
    submit(two_answers, person, {"mode": 1}, draft=draft)
    assert mode_counts(two_answers) == [2, 2, 0]


def test_a_guest_response_counts_once_confirmed(make_questionnaire, make_participant):
    questionnaire = make_questionnaire(guests=True, confirm_guests=True)
    submit(questionnaire, make_participant(), {"mode": 1})
    from django.contrib.auth.models import AnonymousUser

    guest = submit(questionnaire, AnonymousUser(), {"mode": 2}, guest_email="g@example.org")
    assert mode_counts(questionnaire) == [1, 0, 0]
    do_confirm_guest_response(guest=guest.guest)  # the guest followed the link
    assert mode_counts(questionnaire) == [1, 1, 0]


def test_an_erased_participant_leaves_the_cached_respondents(two_answers):
    from parlons.modules.surveys.personal_data import erase

    before = load_response_data(questionnaire=two_answers)
    person = Response.objects.order_by("pk").first().participant
    assert person.pk in before.participants.tolist()
    erase(participant=person)
    after = load_response_data(questionnaire=two_answers)
    assert person.pk not in after.participants.tolist()
    assert len(after) == 2  # the tally stays


def test_a_response_coded_by_an_older_layout_is_recoded_before_it_is_counted(two_answers):
    # What a submission that read the questionnaire just before its layout changed leaves.
    assert mode_counts(two_answers) == [1, 1, 0]
    definition = copy.deepcopy(two_answers.definition)
    mode = definition["pages"][0]["questions"][0]
    mode["options"].insert(0, {"code": 9, "label": text("À pied", "Zu Fuß")})
    do_save_definition(questionnaire=two_answers, definition=definition, actor=None)
    late = Response.objects.order_by("pk").last()
    Response.objects.filter(pk=late.pk).update(fingerprint="older")
    bump_results_version(questionnaire_ids=[two_answers.pk])  # as that submission did
    assert mode_counts(two_answers) == [0, 1, 1, 0]
    late.refresh_from_db()
    assert late.fingerprint == two_answers.fingerprint


def test_a_new_option_recodes_and_reloads(two_answers):
    assert mode_counts(two_answers) == [1, 1, 0]
    definition = copy.deepcopy(two_answers.definition)
    mode = definition["pages"][0]["questions"][0]
    mode["options"].insert(0, {"code": 9, "label": text("À pied", "Zu Fuß")})
    do_save_definition(questionnaire=two_answers, definition=definition, actor=None)
    assert mode_counts(two_answers) == [0, 1, 1, 0]


def test_an_edited_label_shows_at_once_on_the_same_arrays(two_answers):
    first = load_response_data(questionnaire=two_answers)
    definition = copy.deepcopy(two_answers.definition)
    definition["pages"][0]["questions"][0]["options"][0]["label"] = text("Vélo", "Rad", "Bike")
    do_save_definition(questionnaire=two_answers, definition=definition, actor=None)
    second = load_response_data(questionnaire=two_answers)
    assert second.matrix.codes is first.matrix.codes  # same layout: nothing to read again
    with translation.override("fr"):  # whatever language an earlier test left active
        mode = next(
            r for r in question_results(questionnaire=two_answers, data=second) if r.key == "mode"
        )
    assert mode.tables[0].rows[0].label == "Vélo"


def test_arrays_read_while_a_response_arrived_are_served_but_not_kept(
    two_answers, make_participant
):
    stamp = response_stamp(questionnaire=two_answers)
    submit(two_answers, make_participant(), {"mode": 1})  # between the stamp and the read
    remember(stamp, (np.zeros((3, 1), np.int32),), questionnaire=two_answers)
    assert MATRICES.get(stamp) is None
    fresh = response_stamp(questionnaire=two_answers)
    assert fresh != stamp
    remember(fresh, (np.zeros((3, 1), np.int32),), questionnaire=two_answers)
    assert MATRICES.get(fresh) is not None


def stamp(questionnaire: int, version: int) -> Stamp:
    return Stamp("db", questionnaire, "f", ((0, version),))


def test_the_cache_keeps_the_most_recently_used_within_its_budget():
    cache = MatrixCache(budget=2 * 800)
    for q in (1, 2):
        cache.put(stamp(q, 1), (np.zeros(100),))  # 800 bytes each
    assert cache.get(stamp(1, 1)) is not None  # 1 is now the most recent
    cache.put(stamp(3, 1), (np.zeros(100),))
    assert cache.get(stamp(2, 1)) is None and cache.get(stamp(1, 1)) is not None
    assert cache.get(stamp(1, 2)) is None  # another state of questionnaire 1
    cache.put(stamp(4, 1), (np.zeros(1000),))  # larger than the whole budget: not kept
    assert cache.get(stamp(4, 1)) is None and len(cache) == 2
