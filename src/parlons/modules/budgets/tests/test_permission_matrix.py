"""Who may vote, enter paper ballots, review and close: role × phase × verification,
and a refused action changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parlons.core.permissions import Refused
from parlons.modules.budgets.ballots import Choice
from parlons.modules.budgets.models import Ballot, Budget, Project, VoterMark
from parlons.modules.budgets.services import (
    do_cast_ballot,
    do_close_budget,
    do_enter_paper_ballot,
    do_evaluate_project,
)

pytestmark = pytest.mark.django_db
WHEN = ("before", "during", "after")


def _phase(pb, make_phase, when):
    make_phase(pb.process, when=when, openings=[(pb.instance, "vote"), (pb.instance, "mediate")])


@pytest.mark.parametrize("when", WHEN)
@pytest.mark.parametrize("verified", [True, False])
def test_vote_needs_the_live_phase_and_the_required_verification(
    pb, make_phase, make_budget, voter, make_verification, when, verified
):
    pb.instance.required_verifications = {"census": {}}
    pb.instance.save()
    _phase(pb, make_phase, when)
    budget = make_budget(pb)
    person = voter()
    if verified:
        make_verification(person, method="census", organisation=pb.organisation)
    allowed = when == "during" and verified
    if allowed:
        assert do_cast_ballot(person=person, budget=budget, choices=[Choice(budget.made[3].pk)])
    else:
        with pytest.raises(Refused):
            do_cast_ballot(person=person, budget=budget, choices=[Choice(budget.made[3].pk)])
    assert Ballot.objects.count() == VoterMark.objects.count() == int(allowed)


@pytest.mark.parametrize("when", WHEN)
@pytest.mark.parametrize("role", ["admin", "mediator", "evaluator", "moderator", None])
def test_paper_ballots_need_the_mediator_role_and_the_phase(
    pb, make_phase, make_budget, make_member, voter, when, role
):
    _phase(pb, make_phase, when)
    budget = make_budget(pb)
    actor = make_member(pb.organisation, role) if role else voter()
    allowed = when == "during" and role in ("admin", "mediator")
    choices = [Choice(budget.made[3].pk)]
    if allowed:
        do_enter_paper_ballot(actor=actor, budget=budget, choices=choices, reference="1")
    else:
        with pytest.raises(Refused):
            do_enter_paper_ballot(actor=actor, budget=budget, choices=choices, reference="1")
    assert Ballot.objects.filter(paper=True).count() == int(allowed)


@pytest.mark.parametrize("role", ["admin", "evaluator", "mediator", "moderator", None])
def test_reviews_need_an_evaluator_and_closing_an_admin(pb, make_budget, make_member, voter, role):
    budget = make_budget(pb)
    actor = make_member(pb.organisation, role) if role else voter()
    project = budget.made[0]
    if role in ("admin", "evaluator"):
        do_evaluate_project(
            actor=actor,
            project=project,
            status="infeasible",
            revised_cost=None,
            justification="Too close to the river.",
        )
    else:
        with pytest.raises(Refused):
            do_evaluate_project(
                actor=actor,
                project=project,
                status="infeasible",
                revised_cost=None,
                justification="Too close to the river.",
            )
    assert Project.objects.get(pk=project.pk).status == (
        "infeasible" if role in ("admin", "evaluator") else "feasible"
    )
    if role == "admin":
        do_close_budget(actor=actor, budget=budget)
        with pytest.raises(ValidationError, match="already closed"):
            do_close_budget(actor=actor, budget=budget)
    else:
        with pytest.raises(Refused):
            do_close_budget(actor=actor, budget=budget)
    assert (Budget.objects.get(pk=budget.pk).closed_at is not None) == (role == "admin")
