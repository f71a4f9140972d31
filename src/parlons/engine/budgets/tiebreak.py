"""Tie-breaking orders for budget rules.

The default is pabutools 1.2.x ``lexico_tie_breaking``: the project whose id sorts first
as a *string* wins ("10" before "9"). The others mirror pabutools'
``app_score_tie_breaking`` (most votes) and ``min_cost_tie_breaking`` (lowest cost), and
an explicit order (equalshares.net's custom list); each falls back to the string order.
"""

from __future__ import annotations

from collections.abc import Sequence

from parlons.engine.budgets.instance import BudgetProblem, ranks_by

TIE_BREAKS = ("lexicographic", "most-votes", "lowest-cost", "explicit")


def tie_break_ranks(
    *, problem: BudgetProblem, method: str = "lexicographic", order: Sequence[str] = ()
) -> list[int]:
    """Rank of each project (0 wins a tie). ``order`` lists ids for ``explicit``."""
    n = problem.num_projects
    if method == "lexicographic":
        return list(problem.tables.lexicographic)  # computed once with the problem
    if method == "most-votes":
        keys = [(-int(problem.vote_counts[p]), problem.ids[p]) for p in range(n)]
    elif method == "lowest-cost":
        keys = [(problem.costs[p], problem.ids[p]) for p in range(n)]
    elif method == "explicit":
        listed = {pid: k for k, pid in enumerate(order)}
        unknown = set(order) - set(problem.ids)
        if unknown:
            raise ValueError(f"tie-break order names unknown projects: {sorted(unknown)}")
        keys = [(listed.get(problem.ids[p], len(listed)), problem.ids[p]) for p in range(n)]
    else:
        raise ValueError(f"unknown tie-break {method!r}; choose from {', '.join(TIE_BREAKS)}")
    return ranks_by(keys)
