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


def _fast_order(problem: BudgetProblem, ranks: Sequence[int], scaled: list[int]) -> list[int]:
    """:func:`greedy_order` from integer totals (scaled), sorting on float densities.

    Totals and costs are integers below 2**53, so each float density is the correctly
    rounded quotient, and rounding is monotone: two projects can be out of exact order
    only when their floats are equal. Runs of equal floats are re-sorted exactly, unless
    they are exact ties (then the rank order of the float sort stands).
    """
    costs = problem.costs_int
    n = problem.num_projects
    tier, density = [0] * n, [0.0] * n
    for p in range(n):
        if scaled[p] <= 0:
            tier[p] = 2
        elif costs[p] == 0:
            tier[p] = 0
        else:
            tier[p], density[p] = 1, -scaled[p] / costs[p]
    order = sorted(range(n), key=lambda p: (tier[p], density[p], ranks[p]))
    start = 0
    while start < n:
        end = start + 1
        head = order[start]
        while (
            end < n and tier[order[end]] == 1 == tier[head] and density[order[end]] == density[head]
        ):
            end += 1
        run = order[start:end]
        if end - start > 1 and any(scaled[p] * costs[head] != scaled[head] * costs[p] for p in run):
            order[start:end] = sorted(run, key=lambda p: (Fraction(-scaled[p], costs[p]), ranks[p]))
        start = end
    return order


def _integral(problem: BudgetProblem, scaled: list[int]) -> bool:
    """Costs and budget are integers and the scaled totals fit a float exactly."""
    limit = 2**53
    return (
        problem.costs_int is not None
        and problem.budget.denominator == 1
        and max(problem.costs_int, default=0) < limit
        and max(scaled, default=0) < limit
    )


def greedy(
    *,
    problem: BudgetProblem,
    ranks: Sequence[int],
    selected: Sequence[int] = (),
    explanation: Explanation | None = None,
) -> list[int]:
    """Complete ``selected`` greedily; returns the winners in selection order."""
    scaled, scale = problem.total_utility_scaled()
    if _integral(problem, scaled):
        order = _fast_order(problem, ranks, scaled)
        costs = problem.costs_int
        left = int(problem.budget)
    else:
        totals = [Fraction(t, scale) for t in scaled]
        order = greedy_order(problem=problem, ranks=ranks, totals=totals)
        costs = problem.costs
        left = problem.budget
    winners = list(selected)
    chosen = set(winners)
    left -= sum((costs[p] for p in winners), 0)
    for p in order:
        if p in chosen:
            continue
        cost = costs[p]
        fits = cost <= left
        if fits:
            winners.append(p)
            chosen.add(p)
            left -= cost
        if explanation is not None:
            explanation.greedy.append(
                GreedyStep(
                    project=problem.ids[p],
                    cost=cost,
                    selected=fits,
                    budget_left=left,
                    scaled_total=scaled[p],
                    scale=scale,
                )
            )
            if fits:
                explanation.phases.setdefault(problem.ids[p], "greedy")
    return winners
