"""The budget rules by name, each resolute, returning winners in selection order.

=====================  =================================================================
``greedy``             greedy utilitarian welfare (pabutools ``greedy_utilitarian_welfare``)
``mes``                Method of Equal Shares, no completion (``method_of_equal_shares``)
``mes+greedy``         MES, then greedy on what is left (pabutools rule composition)
``mes-add1``           MES with ``voter_budget_increment=1``: the per-voter share grows by
                       one unit until the outcome is exhaustive (or the next would overspend)
``mes-add1+greedy``    ``mes-add1``, then greedy
``mes-add1-integral``  "Add1" of the equalshares.net compute tool as Świecie 2023, Assen
                       2024 and Wieliczka 2023 ran it: integral starting share, a chosen
                       increment, raised while the outcome stays within the budget;
                       optionally stop once exhaustive against every project and fill by
                       vote count ("Add1u", the tool's current default)
``phragmen``           sequential Phragmén (``sequential_phragmen``), approval only
=====================  =================================================================
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from parlons.engine.budgets.explain import Explanation
from parlons.engine.budgets.greedy import greedy
from parlons.engine.budgets.instance import BudgetProblem
from parlons.engine.budgets.mes import equal_shares, is_exhaustive, mes_context, spent
from parlons.engine.budgets.phragmen import sequential_phragmen
from parlons.engine.budgets.tiebreak import tie_break_ranks

RULES = (
    "greedy",
    "mes",
    "mes+greedy",
    "mes-add1",
    "mes-add1+greedy",
    "mes-add1-integral",
    "phragmen",
)


@dataclass
class Outcome:
    """Winners (project ids, selection order), their total cost and the explanation."""

    rule: str
    winners: list[str]
    total_cost: Fraction
    explanation: Explanation


def compute(
    *,
    problem: BudgetProblem,
    rule: str,
    tie_break: str = "lexicographic",
    order: Sequence[str] = (),
    increment: Fraction | int = 1,
    exhaustive: bool = False,
    fill: bool = False,
    keep_budgets: bool = False,
) -> Outcome:
    """Run ``rule`` on ``problem``.

    ``increment`` (per-voter step), ``exhaustive`` (stop raising the share once no other
    project fits) and ``fill`` (utilitarian completion by vote count) configure
    ``mes-add1-integral``; the defaults reproduce the recorded official outcomes, both on
    give the compute tool's current default "Add1u". ``keep_budgets`` stores every voter
    group's remaining share after each MES round in the explanation.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose from {', '.join(RULES)}")
    ranks = tie_break_ranks(problem=problem, method=tie_break, order=order)
    explanation = Explanation(rule=rule, budget=problem.budget)
    if rule == "greedy":
        winners = greedy(problem=problem, ranks=ranks, explanation=explanation)
    elif rule == "phragmen":
        winners = sequential_phragmen(problem=problem, ranks=ranks, explanation=explanation)
    elif rule == "mes-add1-integral":
        winners = _add1_integral(
            problem, ranks, Fraction(increment), exhaustive, explanation, keep_budgets
        )
        if fill:
            winners = _utilitarian_fill(problem, winners, explanation)
    else:
        base = rule.removesuffix("+greedy")
        runner = _mes if base == "mes" else _mes_add1
        winners = runner(problem, ranks, explanation, keep_budgets)
        if rule.endswith("+greedy"):
            winners = greedy(
                problem=problem, ranks=ranks, selected=winners, explanation=explanation
            )
    return Outcome(
        rule=rule,
        winners=[problem.ids[p] for p in winners],
        total_cost=spent(problem=problem, winners=winners),
        explanation=explanation,
    )


def _mes(problem, ranks, explanation, keep_budgets) -> list[int]:
    if problem.num_voters == 0:
        return []
    context = mes_context(problem=problem, ranks=ranks)
    share = problem.budget / problem.num_voters
    return equal_shares(
        context=context, share=share, explanation=explanation, keep_budgets=keep_budgets
    )


def _mes_add1(problem, ranks, explanation, keep_budgets) -> list[int]:
    """pabutools' ``voter_budget_increment=1``: a linear search, one unit per voter a step.

    Bisection would not be exact (spending is not monotone in the share), so every step
    is run; the last feasible outcome before overspending, or the first exhaustive one
    (exhaustive among the projects MES can consider), is kept.
    """
    if problem.num_voters == 0:
        return []
    context = mes_context(problem=problem, ranks=ranks)
    share = problem.budget / problem.num_voters
    previous, previous_share = list(context.free), share
    while True:
        outcome = equal_shares(context=context, share=share)
        if spent(problem=problem, winners=outcome) > problem.budget:
            return _replay(context, previous, previous_share, explanation, keep_budgets)
        if is_exhaustive(problem=problem, winners=outcome, among=context.candidates):
            return _replay(context, outcome, share, explanation, keep_budgets)
        previous, previous_share = outcome, share
        share += 1


def _replay(context, winners, share, explanation, keep_budgets) -> list[int]:
    """Re-run the kept share once more, this time recording the explanation."""
    again = equal_shares(
        context=context, share=share, explanation=explanation, keep_budgets=keep_budgets
    )
    if again != winners:  # the very first step returned ``previous`` = free projects only
        explanation.mes.clear()
        return winners
    return again


def _add1_integral(problem, ranks, increment, exhaustive, explanation, keep_budgets):
    """equalshares.net "Add1" with option ``integral`` (and ``exhaustive`` when asked).

    Start from ⌊budget/voters⌋ per voter; try the share plus ``increment`` and keep it if
    it does not overspend, until it would (or, with ``exhaustive``, until no project left
    out fits the budget). When every project fits the budget, plain MES. Arithmetic is
    exact; the compute tool defaults to floats, which can only differ on near-ties.
    """
    if increment <= 0:
        raise ValueError("the add-one increment must be positive")
    if not problem.approval_like:
        raise ValueError("mes-add1-integral applies to approval and choose-1 ballots only")
    if problem.num_voters == 0:
        return []
    context = replace(mes_context(problem=problem, ranks=ranks), free=[])
    everything = list(range(problem.num_projects))
    if spent(problem=problem, winners=everything) <= problem.budget:
        share = problem.budget / problem.num_voters
    else:
        share = Fraction(math.floor(problem.budget / problem.num_voters))
        winners = equal_shares(context=context, share=share)
        while not (
            exhaustive and is_exhaustive(problem=problem, winners=winners, among=everything)
        ):
            trial = equal_shares(context=context, share=share + increment)
            if spent(problem=problem, winners=trial) > problem.budget:
                break
            share, winners = share + increment, trial
    return equal_shares(
        context=context, share=share, explanation=explanation, keep_budgets=keep_budgets
    )


def _js_key_order(ids: list[str]) -> list[int]:
    def array_index(pid: str) -> bool:
        return pid.isdigit() and str(int(pid)) == pid and int(pid) < 2**32 - 1

    numeric = sorted(
        (p for p, pid in enumerate(ids) if array_index(pid)), key=lambda p: int(ids[p])
    )
    return numeric + [p for p, pid in enumerate(ids) if not array_index(pid)]


def _utilitarian_fill(problem, winners, explanation) -> list[int]:
    """Add projects by decreasing number of approvals while they fit (equal counts in
    JavaScript object key order: integer-like ids ascending, then the rest in file order)."""
    order = _js_key_order(problem.ids)
    order.sort(key=lambda p: -int(problem.vote_counts[p]))
    winners = list(winners)
    chosen = set(winners)
    left = problem.budget - spent(problem=problem, winners=winners)
    for p in order:
        if p in chosen or problem.costs[p] > left:
            continue
        winners.append(p)
        chosen.add(p)
        left -= problem.costs[p]
        explanation.phases[problem.ids[p]] = "completion"
    return winners
