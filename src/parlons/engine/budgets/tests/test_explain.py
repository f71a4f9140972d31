"""Rules explain themselves: MES prices and remaining shares per round, greedy's reasons
for skipping, Phragmén's loads. Every number below is worked out by hand in the comments.

Three voters: 1 approves a and b, 2 approves a, 3 approves c; a costs 12, b 6, c 9.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from parlons.engine.budgets.explain import describe
from parlons.engine.budgets.instance import build_problem
from parlons.engine.budgets.rules import RULES, compute


def _problem(budget: int):
    return build_problem(
        ids=["a", "b", "c"],
        costs=[Fraction(12), Fraction(6), Fraction(9)],
        budget=Fraction(budget),
        vote_type="approval",
        indptr=np.array([0, 2, 3, 4]),
        indices=np.array([0, 1, 0, 2]),
    )


def _per_voter(problem, remaining) -> list[Fraction]:
    """Remaining shares as a sorted list with one entry per voter."""
    values = []
    for value, count in zip(remaining.tolist(), problem.mult.tolist(), strict=True):
        values += [Fraction(value).limit_denominator(1000)] * count
    return sorted(values)


def test_mes_rounds_give_price_payment_and_remaining_shares() -> None:
    # Budget 30: 10 each. a: voters 1 and 2 pay 6 each, ρ = 6/12 = 1/2 (b and c: ρ = 1).
    # Then b is out of reach (voter 1 has 4 left, b costs 6); c: voter 3 pays 9, ρ = 1.
    problem = _problem(30)

    outcome = compute(problem=problem, rule="mes", keep_budgets=True)

    e = outcome.explanation
    assert outcome.winners == ["a", "c"]
    assert outcome.total_cost == 21
    assert e.share == 10
    assert [(r.project, r.rho, r.paid, r.supporters, r.exhausted) for r in e.mes] == [
        ("a", Fraction(1, 2), 12, 2, 0),
        ("c", Fraction(1), 9, 1, 0),
    ]
    assert _per_voter(problem, e.mes[0].remaining) == [4, 4, 10]
    assert _per_voter(problem, e.mes[1].remaining) == [1, 4, 4]
    assert e.unaffordable == ["b"]
    assert e.phases == {"a": "mes", "c": "mes"}
    reasons = describe(explanation=e, winners=outcome.winners)
    assert reasons["a"] == [
        "Funded by equal shares: its 2 supporters paid 12.00 at 0.5 per unit of "
        "satisfaction; 0 of them spent all they had left."
    ]
    assert reasons["b"] == [
        "Not funded by equal shares: its supporters' remaining shares could not cover its cost."
    ]


def test_remaining_shares_are_kept_only_when_asked() -> None:
    outcome = compute(problem=_problem(30), rule="mes")

    assert [r.remaining for r in outcome.explanation.mes] == [None, None]


def test_a_voter_who_spends_everything_is_counted_as_exhausted() -> None:
    # Budget 27: 9 each. a: 6 each (ρ = 1/2), 3 left to voters 1 and 2; c: voter 3 pays
    # all 9 of its share (ρ = 1) and is exhausted.
    outcome = compute(problem=_problem(27), rule="mes", keep_budgets=True)

    rounds = outcome.explanation.mes
    assert [(r.project, r.rho, r.exhausted) for r in rounds] == [
        ("a", Fraction(1, 2), 0),
        ("c", Fraction(1), 1),
    ]
    assert _per_voter(_problem(27), rounds[1].remaining) == [0, 3, 3]


def test_greedy_says_why_a_project_was_skipped() -> None:
    # Budget 25. Satisfaction per cost: a 24/12 = 2, b 6/6 = 1, c 9/9 = 1 (b before c by
    # id). a leaves 13, b leaves 7, c costs 9: skipped with 7 left.
    outcome = compute(problem=_problem(25), rule="greedy")

    steps = outcome.explanation.greedy
    assert outcome.winners == ["a", "b"]
    assert [(s.project, s.score, s.selected, s.budget_left) for s in steps] == [
        ("a", 2, True, 13),
        ("b", 1, True, 7),
        ("c", 1, False, 7),
    ]
    reasons = describe(explanation=outcome.explanation, winners=outcome.winners)
    assert reasons["c"] == [
        "Not funded: it costs 9.00 but only 7.00 of the budget was left when its turn came."
    ]
    assert reasons["b"] == ["Funded by the greedy pass; 7.00 remained afterwards."]


def test_mes_then_greedy_names_the_phase_of_each_winner() -> None:
    # MES buys a and c (21 of 30); greedy then adds b, which fits the 9 left.
    outcome = compute(problem=_problem(30), rule="mes+greedy")

    assert outcome.winners == ["a", "c", "b"]
    assert outcome.explanation.phases == {"a": "mes", "c": "mes", "b": "greedy"}
    assert [(s.project, s.selected, s.budget_left) for s in outcome.explanation.greedy] == [
        ("b", True, 3)
    ]


def test_phragmen_rounds_give_the_loads() -> None:
    # Loads: a (0+12)/2 = 6 ties b 6/1 = 6 → a by id; then c 9 before b (6+6)/1 = 12.
    outcome = compute(problem=_problem(30), rule="phragmen")

    assert outcome.winners == ["a", "c", "b"]
    assert [(r.project, r.load) for r in outcome.explanation.phragmen] == [
        ("a", 6),
        ("c", 9),
        ("b", 12),
    ]


def test_add_one_records_the_share_it_settled_on() -> None:
    # Shares 10 and 11 per voter buy a and c only; at 12 voter 1 has 6 left after a (pays 6)
    # and buys b too (ρ = 1, tied with c, b first by id), spending 27 ≤ 30: exhaustive,
    # so add-one stops there.
    outcome = compute(problem=_problem(30), rule="mes-add1", keep_budgets=True)

    assert outcome.winners == ["a", "b", "c"]
    assert outcome.explanation.share == 12
    assert {r.project for r in outcome.explanation.mes} == {"a", "b", "c"}


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_explains_every_winner(rule: str) -> None:
    outcome = compute(problem=_problem(30), rule=rule)

    reasons = describe(explanation=outcome.explanation, winners=outcome.winners)

    assert set(outcome.winners) <= set(reasons)
    assert set(outcome.explanation.phases) == set(outcome.winners)
