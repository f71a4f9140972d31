"""The Method of Equal Shares (Peters & Skowron, EC 2020; Peters, Pierczyński & Skowron,
NeurIPS 2021), outcome-identical to pabutools' ``method_of_equal_shares``.

Every voter starts with an equal share of the budget. In each round the project that can
be bought at the lowest price ρ per unit of satisfaction is bought: each supporter ``i``
pays ``min(budget_i, ρ·u_i)``. Ties in ρ are exact and broken by the tie-break ranks.

Speed without losing exactness:

* voters with identical ballots are grouped (``BudgetProblem``);
* a voter's budget is always either 0 or ``share − Σ ρ_p·u_p`` over the projects it paid
  for, so voters are kept in *budget classes* whose exact value (a ``Fraction``) is
  computed once per class, with a float copy for the fast path;
* ρ of a project is found in float64 from its supporters' budgets sorted by
  budget/utility with running sums, and only ever re-evaluated lazily (ρ can only rise
  between rounds, so a stale value is a lower bound);
* the minimum is then confirmed exactly: every project whose float ρ is within a relative
  1e-7 of the best (or whose float value is ill-conditioned) is recomputed with fractions
  over budget classes, and ties are decided on the exact values;
* exact arithmetic uses gmpy2's ``mpq`` when installed (several times faster than
  ``fractions.Fraction``, the same values); results are handed back as ``Fraction``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

try:
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 comes with the reference extra
    Q = Fraction

from parlons.engine.budgets.explain import Explanation, MesRound
from parlons.engine.budgets.instance import BudgetProblem

TOL = 1e-7


def as_fraction(x) -> Fraction:
    """An exact ``Fraction`` from an ``mpq`` (or a ``Fraction``)."""
    return Fraction(int(x.numerator), int(x.denominator))


@dataclass
class _State:
    """Budget classes: class 0 is the empty purse; ``klass[g]`` is group ``g``'s class."""

    klass: np.ndarray
    exact: list
    approx: np.ndarray
    removed: set[int] = field(default_factory=set)

    def group_budgets(self) -> np.ndarray:
        return self.approx[self.klass]


@dataclass
class MesContext:
    """What does not change between MES runs on one problem (reused by add-one)."""

    problem: BudgetProblem
    ranks: Sequence[int]
    supporters: list[tuple[np.ndarray, np.ndarray]]
    totals: list[Fraction]
    candidates: list[int]
    free: list[int]
    costs_q: list = field(default_factory=list)
    utilities_q: list = field(default_factory=list)


def mes_context(
    *, problem: BudgetProblem, ranks: Sequence[int], excluded: Sequence[int] = ()
) -> MesContext:
    """Precompute supporters and the candidate projects (positive support, not excluded).

    Free projects with support are bought up front (``free``, in tie-break order), as
    pabutools adds them to the initial allocation.
    """
    totals = problem.total_utility()
    skip = set(excluded)
    candidates, free = [], []
    for p in range(problem.num_projects):
        if p in skip or totals[p] <= 0:
            continue
        (candidates if problem.costs[p] > 0 else free).append(p)
    free.sort(key=lambda p: ranks[p])
    return MesContext(
        problem=problem,
        ranks=ranks,
        supporters=problem.supporters(),
        totals=totals,
        candidates=candidates,
        free=free,
        costs_q=[Q(c) for c in problem.costs],
        utilities_q=[Q(u) for u in problem.utilities],
    )


def equal_shares(
    *,
    context: MesContext,
    share: Fraction,
    explanation: Explanation | None = None,
    keep_budgets: bool = False,
) -> list[int]:
    """One run of MES with ``share`` per voter; winners in order (free projects first)."""
    problem = context.problem
    n_groups = len(problem.mult)
    state = _State(
        klass=np.ones(n_groups, dtype=np.int64),
        exact=[Q(0), Q(share)],
        approx=np.array([0.0, float(share)]),
    )
    stale = {p: float(problem.costs[p] / context.totals[p]) for p in context.candidates}
    winners = list(context.free)
    while stale:
        best = _next_project(context, state, stale)
        if best is None:
            break
        p, rho = best
        del stale[p]
        winners.append(p)
        record = _pay(context, state, p, rho)
        if explanation is not None:
            record.remaining = state.group_budgets().copy() if keep_budgets else None
            explanation.mes.append(record)
    if explanation is not None:
        explanation.share = Fraction(share)
        explanation.unaffordable = [problem.ids[p] for p in sorted(state.removed)]
        for p in context.free:
            explanation.phases[problem.ids[p]] = "free"
        for p in winners[len(context.free) :]:
            explanation.phases[problem.ids[p]] = "mes"
    return winners


def _next_project(context, state, stale) -> tuple[int, Fraction] | None:
    """The project with the lowest exact ρ (ties by rank), or None when none is affordable.

    ``stale`` holds lower bounds of ρ; a project is evaluated in float only while it
    could still beat the best exact value, and made exact only when within ``TOL`` of it.
    """
    fresh: dict[int, float] = {}
    exact: dict = {}
    while True:
        best = min(exact.values(), default=None)
        limit = np.inf if best is None else float(best) * (1 + TOL)
        todo = [p for p in stale if p not in exact and stale[p] <= limit]
        if not todo:
            break
        p = min(todo, key=stale.__getitem__)
        if p in fresh:
            value = _rho_exact(context, state, p)
        else:
            rho, sure = _rho_float(context, state, p)
            value = rho if rho is None or sure else _rho_exact(context, state, p)
        if value is None:
            del stale[p]
            state.removed.add(p)
            continue
        if not isinstance(value, float):
            exact[p] = value
        fresh[p] = stale[p] = float(value)
    if not exact:
        return None
    low = min(exact.values())
    tied = [p for p, v in exact.items() if v == low]
    return min(tied, key=lambda p: context.ranks[p]), low


def _rho_float(context, state, p) -> tuple[float | None, bool]:
    """Float ρ of project ``p``; ``None`` if surely unaffordable; flag False if unsure."""
    problem = context.problem
    groups, codes = context.supporters[p]
    cost = float(problem.costs[p])
    m = problem.mult[groups]
    b = state.approx[state.klass[groups]]
    u = problem.utilities_f[codes]
    mb = m * b
    avail = mb.sum()
    if avail < cost * (1 - 1e-9):
        return None, True
    if avail <= cost * (1 + 1e-9):
        return 0.0, False
    ratio = b / u
    order = np.argsort(ratio, kind="stable")
    mb, mu, ratio = mb[order], (m * u)[order], ratio[order]
    paid = np.concatenate(([0.0], np.cumsum(mb)[:-1]))
    weight = mu[::-1].cumsum()[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = (cost - paid) / weight
    ok = np.flatnonzero(rho <= ratio)
    if len(ok) == 0:
        return float(ratio[-1]), False
    k = int(ok[0])
    sure = (cost - paid[k]) > 1e-6 * cost
    return float(rho[k]), bool(sure)


def _classes_of(context, state, p):
    """Supporters of ``p`` aggregated by (budget class, utility code)."""
    problem = context.problem
    groups, codes = context.supporters[p]
    n_codes = len(problem.utilities)
    key = state.klass[groups] * n_codes + codes
    uniq, inverse = np.unique(key, return_inverse=True)
    weight = np.bincount(inverse, weights=problem.mult[groups].astype(np.float64))
    return uniq // n_codes, uniq % n_codes, weight.astype(np.int64), inverse, groups


def _rho_exact(context, state, p):
    """Exact ρ (``mpq``) as pabutools computes it, over budget classes; None if
    unaffordable."""
    klass, code, weight, _, _ = _classes_of(context, state, p)
    utilities = context.utilities_q
    entries = [
        (state.exact[k], utilities[c], w)
        for k, c, w in zip(klass.tolist(), code.tolist(), weight.tolist(), strict=True)
    ]
    cost = context.costs_q[p]
    if sum((b * w for b, _, w in entries), Q(0)) < cost:
        return None
    entries.sort(key=lambda e: e[0] / e[1])
    paid = Q(0)
    weight_left = sum((u * w for _, u, w in entries), Q(0))
    for b, u, w in entries:
        rho = (cost - paid) / weight_left
        if rho * u <= b:
            return rho
        paid += b * w
        weight_left -= u * w
    raise AssertionError("affordable project without a price")


def _pay(context, state, p, rho) -> MesRound:
    """Charge the supporters of ``p`` at price ``rho``; new budget classes as needed."""
    problem = context.problem
    klass, code, weight, inverse, groups = _classes_of(context, state, p)
    new_class = np.zeros(len(klass), dtype=np.int64)
    paid, exhausted = Q(0), 0
    utilities = context.utilities_q
    for j, (k, c, w) in enumerate(zip(klass.tolist(), code.tolist(), weight.tolist(), strict=True)):
        b, due = state.exact[k], rho * utilities[c]
        if b <= due:
            paid += b * w
            exhausted += w
            continue
        paid += due * w
        state.exact.append(b - due)
        new_class[j] = len(state.exact) - 1
    fresh = [float(x) for x in state.exact[len(state.approx) :]]
    state.approx = np.concatenate((state.approx, np.array(fresh, dtype=np.float64)))
    state.klass[groups] = new_class[inverse]
    return MesRound(
        project=problem.ids[p],
        rho=as_fraction(rho),
        paid=as_fraction(paid),
        supporters=int(weight.sum()),
        exhausted=exhausted,
    )


def is_exhaustive(*, problem: BudgetProblem, winners: Sequence[int], among: Sequence[int]) -> bool:
    """No project of ``among`` outside ``winners`` fits in the budget that is left."""
    spent = sum((problem.costs[p] for p in winners), Fraction(0))
    chosen = set(winners)
    return all(p in chosen or spent + problem.costs[p] > problem.budget for p in among)


def spent(*, problem: BudgetProblem, winners: Sequence[int]) -> Fraction:
    """Total cost of ``winners``."""
    return sum((problem.costs[p] for p in winners), Fraction(0))
