"""Greedy utilitarian welfare, as pabutools' ``greedy_utilitarian_welfare``.

Projects are taken by decreasing total satisfaction per unit of cost (infinite for a
free project with support, zero without support), ties by the tie-break ranks; a project
that no longer fits the remaining budget is skipped and the scan goes on
(Talmon & Faliszewski, "A framework for approval-based budgeting methods", AAAI 2019).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from parlons.engine.budgets.explain import Explanation, GreedyStep
from parlons.engine.budgets.instance import BudgetProblem


def greedy_order(
    *, problem: BudgetProblem, ranks: Sequence[int], totals: Sequence[Fraction]
) -> list[int]:
    """Projects by decreasing satisfaction per cost, ties by ``ranks``."""

    def key(p: int):
        total, cost = totals[p], problem.costs[p]
        if total <= 0:
            return (1, Fraction(0), ranks[p])
        if cost == 0:
            return (0, Fraction(0), ranks[p])
        return (1, -total / cost, ranks[p])

    return sorted(range(problem.num_projects), key=key)


def greedy(
    *,
    problem: BudgetProblem,
    ranks: Sequence[int],
    selected: Sequence[int] = (),
    explanation: Explanation | None = None,
    totals: Sequence[Fraction] | None = None,
) -> list[int]:
    """Complete ``selected`` greedily; returns the winners in selection order."""
    totals = problem.total_utility() if totals is None else totals
    winners = list(selected)
    chosen = set(winners)
    left = problem.budget - sum((problem.costs[p] for p in winners), Fraction(0))
    for p in greedy_order(problem=problem, ranks=ranks, totals=totals):
        if p in chosen:
            continue
        cost = problem.costs[p]
        fits = cost <= left
        if fits:
            winners.append(p)
            chosen.add(p)
            left -= cost
        if explanation is not None:
            score = None if cost == 0 and totals[p] > 0 else _density(totals[p], cost)
            explanation.greedy.append(
                GreedyStep(
                    project=problem.ids[p], score=score, cost=cost, selected=fits, budget_left=left
                )
            )
            if fits:
                explanation.phases.setdefault(problem.ids[p], "greedy")
    return winners


def _density(total: Fraction, cost: Fraction) -> Fraction:
    return Fraction(0) if total <= 0 or cost == 0 else total / cost
