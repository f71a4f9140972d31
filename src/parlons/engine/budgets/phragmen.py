"""Sequential Phragmén for approval ballots, outcome-identical to pabutools'
``sequential_phragmen`` (Phragmén 1894; Brill et al., "Phragmén's voting methods and
justified representation", AAAI 2017; Los, Christoff & Grossi, "Proportional budget
allocations", 2022).

Voters' loads grow continuously; the project whose supporters would reach the lowest
common load ``(Σ loads + cost) / approvals`` is bought and its supporters' loads set to
that value. As in pabutools the rule stops as soon as one of the projects tied for the
lowest load does not fit the remaining budget; projects without approvals have an
infinite load (and are still bought, by tie-break order, when everything else is gone).

Exactness: a voter's load is always the load of the last project it helped buy, so the
sum of loads behind each project is kept exactly as a ``Fraction`` and updated per round
from counts of supporters grouped by their previous round.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from parlons.engine.budgets.explain import Explanation, PhragmenRound
from parlons.engine.budgets.instance import BudgetProblem


def sequential_phragmen(
    *, problem: BudgetProblem, ranks: Sequence[int], explanation: Explanation | None = None
) -> list[int]:
    """Winners of sequential Phragmén in selection order (approval ballots only)."""
    if not problem.approval_like:
        raise ValueError("sequential Phragmén applies to approval and choose-1 ballots only")
    n_groups = len(problem.mult)
    group_of_entry = np.repeat(np.arange(n_groups), np.diff(problem.indptr))
    weights = np.repeat(problem.mult, np.diff(problem.indptr)).astype(np.float64)
    approvals = np.bincount(problem.indices, weights=weights, minlength=problem.num_projects)
    approvals = [int(a) for a in approvals]
    supporters = problem.supporters()
    last_round = np.zeros(n_groups, dtype=np.int64)
    loads = [Fraction(0)]
    load_sum = [Fraction(0)] * problem.num_projects
    left = problem.budget
    remaining = {p for p in range(problem.num_projects) if problem.costs[p] <= problem.budget}
    winners: list[int] = []
    while remaining:
        value = {
            p: (load_sum[p] + problem.costs[p]) / approvals[p] if approvals[p] else None
            for p in remaining
        }
        finite = [v for v in value.values() if v is not None]
        low = min(finite) if finite else None
        tied = [p for p in remaining if value[p] == low]
        if any(problem.costs[p] > left for p in tied):
            break
        p = min(tied, key=lambda q: ranks[q])
        winners.append(p)
        remaining.discard(p)
        left -= problem.costs[p]
        if low is None:
            continue
        loads.append(low)
        groups = supporters[p][0]
        _shift_loads(problem, groups, last_round, loads, load_sum, group_of_entry)
        last_round[groups] = len(loads) - 1
        if explanation is not None:
            explanation.phragmen.append(PhragmenRound(project=problem.ids[p], load=low))
            explanation.phases[problem.ids[p]] = "phragmen"
    return winners


def _shift_loads(problem, groups, last_round, loads, load_sum, group_of_entry) -> None:
    """Raise ``load_sum`` of every project for supporters moving to the newest load."""
    new = loads[-1]
    in_groups = np.zeros(len(problem.mult), dtype=bool)
    in_groups[groups] = True
    entry_mask = in_groups[group_of_entry]
    entry_groups = group_of_entry[entry_mask]
    entry_projects = problem.indices[entry_mask]
    entry_rounds = last_round[entry_groups]
    weights = problem.mult[entry_groups].astype(np.float64)
    for r in np.unique(entry_rounds):
        sel = entry_rounds == r
        counts = np.bincount(
            entry_projects[sel], weights=weights[sel], minlength=problem.num_projects
        )
        delta = new - loads[int(r)]
        for q in np.flatnonzero(counts):
            load_sum[q] += int(counts[q]) * delta
