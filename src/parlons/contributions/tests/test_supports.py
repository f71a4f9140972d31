"""Supports: once per participant, only while the phase opens them, counted in batches."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import translation

from parlons.contributions.models import PendingCount, Support
from parlons.contributions.services import do_support, do_withdraw_support
from parlons.core.audit.models import AuditEntry
from parlons.core.permissions import Refused

pytestmark = pytest.mark.django_db


def test_a_support_is_a_row_and_the_count_follows_in_the_batch(
    idea_box, make_idea, make_participant, refresh_counts
):
    idea = make_idea(idea_box)
    people = [make_participant() for _ in range(3)]
    for person in people:
        do_support(person=person, obj=idea)

    idea.refresh_from_db()
    assert idea.support_count == 0  # never a synchronous +1 on the idea's row
    assert Support.objects.filter(target_type="ideas.idea", target_id=idea.pk).count() == 3
    assert PendingCount.objects.count() == 3

    assert refresh_counts() == 1
    idea.refresh_from_db()
    assert (idea.support_count, PendingCount.objects.count()) == (3, 0)
    assert AuditEntry.objects.filter(code="ideas.support.given").count() == 3


def test_supporting_twice_is_refused_with_a_clear_message_and_changes_nothing(
    idea_box, make_idea, make_participant
):
    idea = make_idea(idea_box)
    person = make_participant()
    do_support(person=person, obj=idea)
    before = (Support.objects.count(), PendingCount.objects.count(), AuditEntry.objects.count())

    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        do_support(person=person, obj=idea)
    assert refused.value.messages == ["Vous soutenez déjà ceci."]
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        do_support(person=person, obj=idea)
    assert refused.value.messages == ["Sie unterstützen dies bereits."]
    after = (Support.objects.count(), PendingCount.objects.count(), AuditEntry.objects.count())
    assert after == before


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("before", "Ce n'est pas ouvert en ce moment."),
        ("after", "Ce n'est pas ouvert en ce moment."),
    ],
)
def test_supporting_outside_the_phase_is_refused_and_changes_nothing(
    make_idea_box, make_idea, make_participant, when, message
):
    box = make_idea_box(when=when)
    idea = make_idea(box)
    with translation.override("fr"), pytest.raises(Refused) as refused:
        do_support(person=make_participant(), obj=idea)
    assert (refused.value.decision.reason, str(refused.value.decision.message)) == (
        "phase_closed",
        message,
    )
    assert (Support.objects.count(), PendingCount.objects.count()) == (0, 0)


def test_supporting_needs_the_phase_to_open_support(make_idea_box, make_idea, make_participant):
    box = make_idea_box(opens=("submit", "comment"))
    idea = make_idea(box)
    with pytest.raises(Refused) as refused:
        do_support(person=make_participant(), obj=idea)
    assert refused.value.decision.reason == "phase_closed"
    assert Support.objects.count() == 0


def test_anonymous_visitors_are_asked_to_log_in(idea_box, make_idea):
    idea = make_idea(idea_box)
    with pytest.raises(Refused) as refused:
        do_support(person=AnonymousUser(), obj=idea)
    assert refused.value.decision.reason == "login_required"


def test_withdrawing_is_allowed_at_the_limit_and_frees_a_support(
    make_idea_box, make_idea, make_participant
):
    box = make_idea_box(settings={"max_supports_per_participant": 2})
    first, second, third = (make_idea(box) for _ in range(3))
    person = make_participant()
    do_support(person=person, obj=first)
    do_support(person=person, obj=second)
    with translation.override("en"), pytest.raises(Refused) as refused:
        do_support(person=person, obj=third)
    assert refused.value.decision.reason == "limit_reached"
    assert str(refused.value.decision.message) == (
        "You have given your 2 supports: withdraw one to support another idea."
    )

    do_withdraw_support(person=person, obj=first)
    do_support(person=person, obj=third)
    assert sorted(
        Support.objects.filter(participant=person).values_list("target_id", flat=True)
    ) == sorted([second.pk, third.pk])


def test_withdrawing_what_one_does_not_support_is_refused(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    with translation.override("en"), pytest.raises(ValidationError, match="do not support"):
        do_withdraw_support(person=make_participant(), obj=idea)


def test_a_reaction_against_turns_into_a_support_and_back(
    idea_box, make_idea, make_participant, refresh_counts
):
    from parlons.contributions.services import do_comment

    idea = make_idea(idea_box)
    comment = do_comment(person=make_participant(), obj=idea, body="Bonne idée, vraiment.")
    person = make_participant()
    do_support(person=person, obj=comment, value=-1)
    refresh_counts()
    comment.refresh_from_db()
    assert (comment.support_count, comment.oppose_count) == (0, 1)
    do_support(person=person, obj=comment, value=1)
    refresh_counts()
    comment.refresh_from_db()
    assert (comment.support_count, comment.oppose_count) == (1, 0)
    assert Support.objects.filter(target_type="contributions.comment").count() == 1


def test_ideas_take_no_reaction_against(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    with pytest.raises(Refused) as refused:
        do_support(person=make_participant(), obj=idea, value=-1)
    assert refused.value.decision.reason == "not_offered"


def test_a_withdrawn_or_hidden_idea_takes_no_support(idea_box, make_idea, make_participant):
    from django.utils import timezone

    withdrawn = make_idea(idea_box, status="withdrawn")
    hidden = make_idea(idea_box, hidden_at=timezone.now())
    for idea, reason in ((withdrawn, "not_allowed"), (hidden, "hidden")):
        with pytest.raises(Refused) as refused:
            do_support(person=make_participant(), obj=idea)
        assert refused.value.decision.reason == reason
    assert Support.objects.count() == 0


def test_the_support_threshold_moves_an_idea_both_ways(
    make_idea_box, make_idea, make_participant, refresh_counts
):
    box = make_idea_box(settings={"support_threshold": 2})
    idea = make_idea(box)
    people = [make_participant(), make_participant()]
    for person in people:
        do_support(person=person, obj=idea)
    refresh_counts()
    idea.refresh_from_db()
    assert (idea.support_count, idea.status) == (2, "threshold_reached")
    do_withdraw_support(person=people[0], obj=idea)
    refresh_counts()
    idea.refresh_from_db()
    assert (idea.support_count, idea.status) == (1, "published")


def test_imported_supports_are_added_to_the_rows_counted(
    idea_box, make_idea, make_participant, refresh_counts
):
    idea = make_idea(idea_box, support_offset=6560, support_count=6560)
    do_support(person=make_participant(), obj=idea)
    refresh_counts()
    idea.refresh_from_db()
    assert idea.support_count == 6561
