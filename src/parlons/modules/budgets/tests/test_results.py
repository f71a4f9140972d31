"""The close: outcome of the published rule, greedy for comparison, explanations, and the
published .pb file that pabutools recounts to the same winners."""

from __future__ import annotations

import hashlib
import random

import pytest
from django.core.exceptions import ValidationError

from parlons.engine.budgets.reference import parse_reference, reference_outcome
from parlons.modules.budgets.ballots import Choice
from parlons.modules.budgets.explanations import explain
from parlons.modules.budgets.models import Project
from parlons.modules.budgets.services import (
    do_cast_ballot,
    do_close_budget,
    do_enter_paper_ballot,
    do_save_budget,
    receipt_hash,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(pb, make_phase):
    make_phase(pb.process, openings=[(pb.instance, "vote"), (pb.instance, "mediate")])
    return pb


def recount(tmp_path, budget, rule):
    path = tmp_path / "ballots.pb"
    path.write_text(budget.published_pb, encoding="utf-8")
    instance, profile = parse_reference(path=path)
    return reference_outcome(instance=instance, profile=profile, rule=rule)


def test_greedy_and_equal_shares_differ_and_are_explained(voting, make_budget, voter):
    # 6 voters like the two big projects, 4 like the two small ones: greedy spends all on
    # the majority, equal shares gives the minority its share.
    budget = make_budget(voting, costs=(300, 300, 100, 100), amount=600, rule="mes", max_choices=4)
    big, small = budget.made[:2], budget.made[2:]
    receipts = []
    for _n in range(6):
        receipts.append(
            do_cast_ballot(person=voter(), budget=budget, choices=[Choice(p.pk) for p in big])
        )
    for _n in range(4):
        do_cast_ballot(person=voter(), budget=budget, choices=[Choice(p.pk) for p in small])
    do_close_budget(actor=voting.admin, budget=budget)
    budget.refresh_from_db()
    data = budget.results
    assert data["voters"] == 10
    assert set(data["greedy"]["winners"]) == {str(big[0].pk), str(big[1].pk)}
    assert set(data["winners"]) == {str(big[0].pk), str(small[0].pk), str(small[1].pk)}
    assert data["total_cost"] == 500
    assert data["votes"] == {str(p.pk): n for p, n in zip(budget.made, (6, 6, 4, 4), strict=True)}
    assert set(Project.objects.filter(selected=True).values_list("pk", flat=True)) == {
        big[0].pk,
        small[0].pk,
        small[1].pk,
    }
    sentences = explain(steps=data["steps"][str(small[0].pk)], budget=budget)
    assert sentences == [
        "Funded by equal shares: its 4 supporters paid 100 EUR together; "
        "0 of them spent all they had left."
    ]
    assert budget.published_sha256 == hashlib.sha256(budget.published_pb.encode()).hexdigest()
    lines = budget.published_pb.splitlines()
    assert "rule;mes" in lines and "vote_type;approval" in lines
    votes = lines[lines.index("VOTES") + 1 :]
    assert votes[0] == "voter_id;vote;voting_method;receipt_hash"
    assert receipt_hash(receipts[0]) in {line.split(";")[-1] for line in votes[1:]}


@pytest.mark.parametrize(
    ("ballot_type", "rule", "fields"),
    [
        ("approval", "mes+greedy", {"max_choices": 4}),
        ("knapsack", "mes", {}),
        ("approval", "phragmen", {"max_choices": 3}),
        ("cumulative", "mes+greedy", {"points": 5}),
        ("ranking", "greedy", {"max_choices": 3}),
    ],
)
def test_pabutools_recounts_the_published_file_to_the_same_winners(
    voting, make_budget, voter, tmp_path, ballot_type, rule, fields
):
    budget = make_budget(
        voting,
        costs=(250, 180, 120, 90, 60),
        amount=400,
        ballot_type=ballot_type,
        rule=rule,
        min_choices=1,
        **fields,
    )
    draw = random.Random(5)
    pks = [p.pk for p in budget.made]
    for n in range(40):
        if ballot_type == "cumulative":
            a, b = draw.sample(pks, 2)
            choices = [Choice(a, draw.randint(1, 3)), Choice(b, draw.randint(1, 2))]
        elif ballot_type == "ranking":
            choices = [Choice(pk, r) for r, pk in enumerate(draw.sample(pks, 3), start=1)]
        elif ballot_type == "knapsack":
            chosen, left = [], 400
            for pk, cost in draw.sample(list(zip(pks, (250, 180, 120, 90, 60), strict=True)), 5):
                if cost <= left and draw.random() < 0.7:
                    chosen.append(Choice(pk))
                    left -= cost
            choices = chosen or [Choice(pks[-1])]
        else:
            choices = [Choice(pk) for pk in draw.sample(pks, draw.randint(1, 3))]
        if n % 10 == 0:
            do_enter_paper_ballot(
                actor=voting.mediator, budget=budget, choices=choices, reference=f"P{n}"
            )
        else:
            do_cast_ballot(person=voter(), budget=budget, choices=choices)
    do_close_budget(actor=voting.admin, budget=budget)
    budget.refresh_from_db()
    assert budget.results["voters"] == 40 and budget.results["paper"] == 4
    expected = recount(tmp_path, budget, rule)
    assert expected is not None
    assert sorted(budget.results["winners"]) == sorted(expected)


def test_the_rule_is_fixed_once_the_vote_began(pb, make_phase, make_budget, voter):
    budget = make_budget(pb, rule="mes")
    make_phase(pb.process, when="before", openings=[(pb.instance, "vote")])
    budget.rule = "greedy"
    do_save_budget(actor=pb.admin, instance=pb.instance, budget=budget)
    make_phase(pb.process, openings=[(pb.instance, "vote")])
    budget.rule = "mes"
    with pytest.raises(ValidationError, match="fixed"):
        do_save_budget(actor=pb.admin, instance=pb.instance, budget=budget)
    budget.refresh_from_db()
    assert budget.rule == "greedy"


def test_phragmen_needs_approval_ballots(pb, make_budget):
    budget = make_budget(pb, ballot_type="cumulative")
    budget.rule = "phragmen"
    with pytest.raises(ValidationError, match="approval ballots only"):
        do_save_budget(actor=pb.admin, instance=pb.instance, budget=budget)
