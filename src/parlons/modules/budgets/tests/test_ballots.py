"""Casting ballots: every ballot type, every limit refused with its reason and nothing
written; one ballot per participant, editable until the close; paper ballots."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parlons.core.audit.models import AuditEntry
from parlons.core.permissions import Refused
from parlons.modules.budgets.ballots import Choice
from parlons.modules.budgets.models import Ballot, VoterMark
from parlons.modules.budgets.services import (
    current_choices,
    do_cast_ballot,
    do_close_budget,
    do_enter_paper_ballot,
    receipt_hash,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(pb, make_phase):
    make_phase(pb.process, openings=[(pb.instance, "vote"), (pb.instance, "mediate")])
    return pb


def ids(budget, *positions):
    return [Choice(budget.made[p].pk) for p in positions]


def test_an_approval_ballot_is_recorded_apart_from_its_voter(voting, make_budget, voter):
    budget = make_budget(voting, ballot_type="approval", min_choices=1, max_choices=2)
    person = voter()
    receipt = do_cast_ballot(person=person, budget=budget, choices=ids(budget, 0, 2))
    ballot = Ballot.objects.get(budget=budget)
    assert ballot.choices == [[budget.made[0].pk, 1], [budget.made[2].pk, 1]]
    assert ballot.receipt_hash == receipt_hash(receipt)
    assert not ballot.paper
    assert [f.name for f in Ballot._meta.get_fields() if f.is_relation] == ["budget"]
    assert VoterMark.objects.filter(budget=budget, participant=person).count() == 1
    assert AuditEntry.objects.filter(code="budgets.ballot.cast").count() == 1
    assert current_choices(person=person, budget=budget) == ids(budget, 0, 2)


@pytest.mark.parametrize(
    ("fields", "positions", "message"),
    [
        ({"ballot_type": "approval", "max_choices": 2}, (0, 1, 2), "Choose at most 2 projects"),
        ({"ballot_type": "approval", "min_choices": 2}, (0,), "Choose at least 2 projects."),
        ({"ballot_type": "approval", "max_cost": 500}, (0, 1), "the ballot allows 500"),
        ({"ballot_type": "knapsack"}, (0, 1), "more than the budget of 600"),
    ],
)
def test_a_ballot_over_a_limit_is_refused_with_its_reason(
    voting, make_budget, voter, fields, positions, message
):
    budget = make_budget(voting, **fields)
    with pytest.raises(ValidationError) as error:
        do_cast_ballot(person=voter(), budget=budget, choices=ids(budget, *positions))
    assert message in " ".join(error.value.messages)
    assert Ballot.objects.count() == VoterMark.objects.count() == 0


def test_cumulative_points_and_their_limits(voting, make_budget, voter):
    budget = make_budget(voting, ballot_type="cumulative", points=10, max_points_per_project=6)
    a, b = budget.made[0].pk, budget.made[1].pk
    with pytest.raises(ValidationError, match="You gave 11 points"):
        do_cast_ballot(person=voter(), budget=budget, choices=[Choice(a, 6), Choice(b, 5)])
    with pytest.raises(ValidationError, match="at most 6 points to one project"):
        do_cast_ballot(person=voter(), budget=budget, choices=[Choice(a, 7)])
    do_cast_ballot(person=voter(), budget=budget, choices=[Choice(a, 6), Choice(b, 4)])
    assert Ballot.objects.get().choices == [[a, 6], [b, 4]]


def test_a_ranking_numbers_projects_without_gaps(voting, make_budget, voter):
    budget = make_budget(voting, ballot_type="ranking", max_choices=3, rule="greedy")
    a, b, c = (p.pk for p in budget.made[:3])
    with pytest.raises(ValidationError, match="without gaps"):
        do_cast_ballot(person=voter(), budget=budget, choices=[Choice(a, 1), Choice(b, 3)])
    do_cast_ballot(person=voter(), budget=budget, choices=[Choice(c, 1), Choice(a, 2)])
    assert Ballot.objects.get().choices == [[c, 1], [a, 2]]


def test_one_ballot_per_voter_changed_until_the_close(voting, make_budget, voter):
    budget = make_budget(voting, max_choices=2)
    person = voter()
    first = do_cast_ballot(person=person, budget=budget, choices=ids(budget, 0))
    assert do_cast_ballot(person=person, budget=budget, choices=ids(budget, 1, 3)) is None
    assert Ballot.objects.count() == VoterMark.objects.count() == 1
    ballot = Ballot.objects.get()
    assert ballot.choices == [[budget.made[1].pk, 1], [budget.made[3].pk, 1]]
    assert ballot.receipt_hash == receipt_hash(first)
    do_close_budget(actor=voting.admin, budget=budget)
    with pytest.raises(Refused, match="closed"):
        do_cast_ballot(person=person, budget=budget, choices=ids(budget, 0))
    assert Ballot.objects.get().choices == ballot.choices


def test_no_vote_outside_the_phase_nor_outside_the_area(pb, make_phase, make_budget, voter):
    budget = make_budget(pb, area=pb.area)
    make_phase(pb.process, when="after", openings=[(pb.instance, "vote")])
    with pytest.raises(Refused, match="not open"):
        do_cast_ballot(person=voter(), budget=budget, choices=ids(budget, 0))
    make_phase(pb.process, openings=[(pb.instance, "vote")])
    with pytest.raises(Refused, match="residents of its area"):
        do_cast_ballot(person=voter(), budget=budget, choices=ids(budget, 0))
    from parlons.core.participants.models import Verification

    resident = voter()
    Verification.objects.create(
        participant=resident, organisation=pb.organisation, method="postcode", area=pb.area
    )
    assert do_cast_ballot(person=resident, budget=budget, choices=ids(budget, 0))
    assert Ballot.objects.count() == 1


def test_a_project_not_on_the_ballot_is_refused(voting, make_budget, voter):
    budget = make_budget(voting)
    other = make_budget(voting)
    with pytest.raises(ValidationError, match="not on it"):
        do_cast_ballot(person=voter(), budget=budget, choices=[Choice(other.made[0].pk)])
    assert Ballot.objects.count() == 0


def test_mediators_enter_paper_ballots_once_per_sheet(voting, make_budget, voter):
    budget = make_budget(voting, max_choices=2)
    do_enter_paper_ballot(
        actor=voting.mediator, budget=budget, choices=ids(budget, 1), reference="A-17"
    )
    with pytest.raises(ValidationError, match="A-17 is already entered"):
        do_enter_paper_ballot(
            actor=voting.mediator, budget=budget, choices=ids(budget, 2), reference="A-17"
        )
    with pytest.raises(Refused):
        do_enter_paper_ballot(actor=voter(), budget=budget, choices=ids(budget, 2), reference="B")
    assert list(Ballot.objects.values_list("paper", flat=True)) == [True]
    entry = AuditEntry.objects.get(code="budgets.ballot.paper_entered")
    assert entry.actor == voting.mediator and entry.data == {"sheet": "A-17"}
