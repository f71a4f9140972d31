"""The Method of Equal Shares (Peters & Skowron, EC 2020; Peters, Pierczyński & Skowron,
NeurIPS 2021), outcome-identical to pabutools' ``method_of_equal_shares``.

Every voter starts with an equal share of the budget. In each round the project that can
be bought at the lowest price ρ per unit of satisfaction is bought: each supporter ``i``
pays ``min(budget_i, ρ·u_i)``. Ties in ρ are exact and broken by the tie-break ranks.

Speed without losing exactness:

* voters with identical ballots are grouped (``BudgetProblem``) and utilities are scaled
  to integers (``BudgetProblem.scaled_utilities``);
* a group's budget is never stored exactly: it is ``share − Σ_j ρ_j·U[g, j]`` over the
  rounds ``j`` it paid in (``U`` holds integer utilities), or 0 once exhausted. Any exact
  sum of budgets over a set of groups is then ``M·share − Σ_j ρ_j·c_j`` with integer
  ``c_j`` from one matrix product, a few exact operations per round rather than one per
  group; a float copy of every budget serves the fast path;
* ρ of a project is found in float64 (budget/utility sorted, running sums) and only ever
  re-evaluated lazily from a heap (ρ can only rise between rounds, so a stale value is a
  lower bound);
* the minimum is then confirmed exactly: every project whose float ρ is within a relative
  1e-7 of the best (or whose float value is ill-conditioned) gets its exact ρ, and ties
  are decided on exact values. The exact ρ splits supporters with a float margin into
  those surely capped at their budget, those surely paying ρ·u, and the few in between,
  which are sorted on exact budgets; the split is then verified against the exact ρ with
  rigorous error bounds, falling back to exact budgets for every supporter if it fails;
* exact arithmetic uses gmpy2's ``mpq`` when installed (several times faster than
  ``fractions.Fraction``, the same values); results are handed back as ``Fraction``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

try:
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 comes with the reference extra
    Q = Fraction

from parlons.engine.budgets.explain import Explanation, MesRound
from parlons.engine.budgets.instance import BudgetProblem, ProjectTables

TOL = 1e-7
SMALL = 24  # supporters evaluated in plain Python below this many groups (numpy overhead)
FLOAT_ERROR = 1e-12  # bound on a float budget's error, relative to the share


def as_fraction(x) -> Fraction:
    """An exact ``Fraction`` from an ``mpq`` (or a ``Fraction``)."""
    return Fraction(int(x.numerator), int(x.denominator))


@dataclass
class _Support:
    """Supporters of one project: groups, their sizes and (scaled, integer) utilities."""

    groups: np.ndarray
    mult: np.ndarray
    mult_f: np.ndarray
    u_int: np.ndarray
    u_f: np.ndarray


@dataclass
class _Supporters:
    """Supporters of every project (the problem's tables), sliced on demand."""

    tables: ProjectTables
    _cache: dict = field(default_factory=dict)
    _lists: dict = field(default_factory=dict)

    def lists(self, p: int) -> tuple[list, list, list, list]:
        """Groups, sizes, float and integer utilities of ``p``'s supporters as lists."""
        found = self._lists.get(p)
        if found is None:
            t = self.tables
            cut = slice(t.start[p], t.start[p + 1])
            found = self._lists[p] = (
                t.groups[cut].tolist(),
                t.mult[cut].tolist(),
                t.u_f[cut].tolist(),
                t.u_int[cut].tolist(),
            )
        return found

    def __getitem__(self, p: int) -> _Support:
        found = self._cache.get(p)
        if found is None:
            t = self.tables
            cut = slice(t.start[p], t.start[p + 1])
            mult = t.mult[cut]
            found = self._cache[p] = _Support(
                groups=t.groups[cut],
                mult=mult,
                mult_f=mult.astype(np.float64),
                u_int=t.u_int[cut],
                u_f=t.u_f[cut],
            )
        return found


@dataclass
class MesContext:
    """What does not change between MES runs on one problem (reused by add-one)."""

    problem: BudgetProblem
    ranks: Sequence[int]
    supporters: _Supporters
    totals: list[int]  # scaled: Σ m·u_int over supporters
    candidates: list[int]
    free: list[int]
    costs_f: list = field(default_factory=list)
    voters_f: np.ndarray | None = None  # supporters of each candidate (voters), as floats
    cost_f: np.ndarray | None = None  # cost of each candidate, as floats
    chosen: np.ndarray | None = None  # the candidates as an array
    scale: int = 1
    dtype: type = np.int64

    def cost_q(self, p: int):
        """Exact cost of project ``p``."""
        ints = self.problem.costs_int
        if ints is not None:
            return Q(ints[p])
        cost = self.problem.costs[p]
        return Q(cost.numerator, cost.denominator)

    def few(self, p: int) -> bool:
        """``p`` has so few supporter groups that plain Python beats numpy."""
        start = self.supporters.tables.start
        return start[p + 1] - start[p] < SMALL


@dataclass
class _State:
    """Budgets of the groups: ``share − U[g, :R] @ rhos`` while ``alive[g]``, else 0."""

    share: object
    share_f: float
    budget_f: np.ndarray
    alive: np.ndarray
    paid: np.ndarray  # U, (groups, capacity) integer utilities paid per round
    rhos: list = field(default_factory=list)
    removed: set[int] = field(default_factory=set)

    def exact_sum(self, groups, mult):
        """Exact Σ mult·budget over ``groups`` (all alive; arrays or lists)."""
        mult = np.asarray(mult, dtype=self.paid.dtype)
        total = Q(int(mult.sum())) * self.share
        if self.rhos:
            coef = mult @ self.paid[groups, : len(self.rhos)]
            for rho, c in zip(self.rhos, coef.tolist(), strict=True):
                if c:
                    total -= rho * int(c)
        return total

    def exact_budget(self, g: int):
        """Exact budget of alive group ``g``."""
        value = self.share
        for rho, c in zip(self.rhos, self.paid[g, : len(self.rhos)].tolist(), strict=True):
            if c:
                value -= rho * int(c)
        return value


def mes_context(
    *, problem: BudgetProblem, ranks: Sequence[int], excluded: Sequence[int] = ()
) -> MesContext:
    """The candidate projects (positive support, not excluded) over the problem's tables.

    Free projects with support are bought up front (``free``, in tie-break order), as
    pabutools adds them to the initial allocation.
    """
    tables = problem.tables
    skip = set(excluded)
    chosen = tables.paying
    if skip:
        chosen = chosen[[p not in skip for p in chosen.tolist()]]
    free = sorted((p for p in tables.free if p not in skip), key=ranks.__getitem__)
    return MesContext(
        problem=problem,
        ranks=ranks,
        supporters=_Supporters(tables=tables),
        totals=tables.totals,
        candidates=chosen.tolist(),
        free=free,
        costs_f=tables.costs_f,
        voters_f=tables.voters[chosen],
        cost_f=tables.cost_f[chosen],
        chosen=chosen,
        scale=problem.scale,
        dtype=tables.u_int.dtype,
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
    share_q = Q(share)
    costs = context.costs_f
    # budgets only shrink: a project its supporters cannot pay for at the start is out
    # (the same float test as the lazy evaluation would make, done once for all)
    candidates = context.chosen
    out = context.voters_f * float(share_q) < context.cost_f * (1 - 1e-9)
    heap = [(costs[p] / context.totals[p], p) for p in candidates[~out].tolist()]
    heapq.heapify(heap)
    state = _State(
        share=share_q,
        share_f=float(share_q),
        budget_f=np.full(n_groups, float(share_q)),
        alive=np.ones(n_groups, dtype=bool),
        # one column per round, at most one round per project in the heap: allocated
        # once, by column (a round writes one column; widening a large table every few
        # rounds cost a fifth of a run on 51,202 groups)
        paid=np.zeros((n_groups, max(len(heap), 1)), dtype=context.dtype, order="F"),
    )
    state.removed.update(candidates[out].tolist())
    winners = list(context.free)
    evaluated = [-1] * problem.num_projects  # round in which the heap value was computed
    while heap:
        best = _next_project(context, state, heap, evaluated)
        if best is None:
            break
        p, rho, capped = best
        winners.append(p)
        record = _pay(context, state, p, rho, capped)
        if explanation is not None:
            record.remaining = state.budget_f.copy() if keep_budgets else None
            explanation.mes.append(record)
    if explanation is not None:
        explanation.share = Fraction(share)
        explanation.unaffordable = [problem.ids[p] for p in sorted(state.removed)]
        for p in context.free:
            explanation.phases[problem.ids[p]] = "free"
        for p in winners[len(context.free) :]:
            explanation.phases[problem.ids[p]] = "mes"
    return winners


def _next_project(context, state, heap, evaluated):
    """The project with the lowest exact ρ (ties by rank), or None when none is affordable.

    The heap holds lower bounds of ρ; a project is evaluated in float only while it could
    still beat the best exact value, and made exact only when within ``TOL`` of it.
    Returns ``(project, ρ, capped)`` with ``capped`` the supporters paying all they have.
    """
    now = len(state.rhos)
    exact: dict[int, tuple] = {}
    best = None
    while heap:
        bound, p = heap[0]
        if best is not None and bound > float(best) * (1 + TOL):
            break
        heapq.heappop(heap)
        if evaluated[p] == now:
            value = _rho_exact(context, state, p, bound)
        else:
            rho, sure = _rho_float(context, state, p)
            value = rho if rho is None or sure else _rho_exact(context, state, p, rho)
        if value is None:
            state.removed.add(p)
            continue
        if isinstance(value, float):
            evaluated[p] = now
            heapq.heappush(heap, (value, p))
            continue
        exact[p] = value
        if best is None or value[0] < best:
            best = value[0]
    if not exact:
        return None
    tied = [p for p, v in exact.items() if v[0] == best]
    winner = min(tied, key=lambda p: context.ranks[p])
    for p, (rho, _) in exact.items():
        if p != winner:
            evaluated[p] = now
            heapq.heappush(heap, (float(rho), p))
    rho, capped = exact[winner]
    return winner, rho, capped


def _rho_float(context, state, p) -> tuple[float | None, bool]:
    """Float ρ of project ``p``; ``None`` if surely unaffordable; flag False if unsure."""
    cost = context.costs_f[p]
    if context.few(p):
        return _rho_float_small(cost, context.supporters.lists(p), state.budget_f)
    sup = context.supporters[p]
    m = sup.mult_f
    b = state.budget_f[sup.groups]
    mb = m * b
    avail = mb.sum()
    if avail < cost * (1 - 1e-9):
        return None, True
    if avail <= cost * (1 + 1e-9):
        return 0.0, False
    u = sup.u_f
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


def _rho_float_small(cost, lists, budget_f) -> tuple[float | None, bool]:
    """:func:`_rho_float` in plain Python for a handful of supporter groups."""
    entries = []
    avail = 0.0
    weight = 0.0
    for g, m, u, _ in zip(*lists, strict=True):
        b = float(budget_f[g])
        if b > 0:
            entries.append((b / u, m * b, m * u))
            avail += m * b
            weight += m * u
    if avail < cost * (1 - 1e-9):
        return None, True
    if avail <= cost * (1 + 1e-9):
        return 0.0, False
    entries.sort(key=lambda e: e[0])
    paid = 0.0
    for ratio, mb, mu in entries:
        rho = (cost - paid) / weight
        if rho <= ratio:
            return rho, (cost - paid) > 1e-6 * cost
        paid += mb
        weight -= mu
    return entries[-1][0], False


def _alive_support(state, sup):
    """Alive supporters of a project: positions into its arrays, and the groups."""
    keep = np.flatnonzero(state.alive[sup.groups])
    return keep, sup.groups[keep]


def _rho_exact(context, state, p, hint):
    """Exact ρ (``mpq``) of ``p`` and the supporters it caps, or None if unaffordable.

    ``hint`` is a float estimate of ρ; supporters far from the cap on either side are
    classified in float and the split checked once ρ is known (see the module text).
    """
    if context.few(p):
        return _rho_exact_small(context, state, p, hint)
    sup = context.supporters[p]
    cost = context.cost_q(p)
    keep, groups = _alive_support(state, sup)
    mult, u_int = sup.mult[keep], sup.u_int[keep]
    if len(groups) == 0:
        return None
    b_f, u_f = state.budget_f[groups], sup.u_f[keep]
    avail = float(sup.mult_f[keep] @ b_f)  # each budget within FLOAT_ERROR·share of exact
    error = 4 * FLOAT_ERROR * state.share_f * context.problem.num_voters
    near = avail <= context.costs_f[p] * (1 + 1e-9) + error  # not surely affordable
    if near and state.exact_sum(groups, mult) < cost:
        return None
    slack = 4 * FLOAT_ERROR * state.share_f
    if hint is not None and hint > 0 and np.isfinite(hint):
        gap = b_f - hint * u_f
        margin = 1e-6 * hint * u_f + slack
        low = gap < -margin
        high = gap > margin
        found = _solve(state, cost, mult, u_int, groups, low, high)
        if found is not None and _verified(state, found[0], b_f, u_f, low, high, slack):
            return found[0], keep[found[1]]
    none = np.zeros(len(groups), dtype=bool)
    found = _solve(state, cost, mult, u_int, groups, none, none)
    if found is None:
        raise AssertionError("affordable project without a price")
    return found[0], keep[found[1]]


def _solve(state, cost, mult, u_int, groups, low, high):
    """ρ assuming ``low`` groups are capped and ``high`` pay ρ·u; the rest sorted exactly.

    Returns ``(ρ, capped positions)`` or None when the assumption admits no price.
    """
    middle = [
        (int(groups[j]), int(u_int[j]), int(mult[j]), j)
        for j in np.flatnonzero(~(low | high)).tolist()
    ]
    paid = state.exact_sum(groups[low], mult[low]) if low.any() else Q(0)
    weight = int((mult[~low] * u_int[~low]).sum())
    found = _price(state, cost, paid, weight, middle, np.flatnonzero(low).tolist())
    if found is None:
        return None
    return found[0], np.array(sorted(found[1]), dtype=np.int64)


def _price(state, cost, paid, weight, middle, capped):
    """Exact ρ given the exact ``paid`` by capped groups and the ``weight`` Σ m·u of the
    others; ``middle`` lists ``(group, u, m, position)`` of those not yet classified,
    sorted here on exact budgets. Returns ``(ρ, capped positions)`` or None.
    """
    entries = []
    for g, u, m, j in middle:
        b = state.exact_budget(g)
        entries.append((b / u, b, u, m, j))
    entries.sort(key=lambda e: e[0])
    rho = None
    for ratio, b, u, m, j in entries:
        rho = (cost - paid) / weight
        if rho <= ratio:
            break
        paid += b * m
        weight -= u * m
        capped.append(j)
        rho = None
    if rho is None:
        if weight <= 0:
            return None
        rho = (cost - paid) / weight
    for ratio, _, _, _, j in entries:  # a budget equal to the price is exhausted too
        if ratio == rho:
            capped.append(j)
    return rho, capped


def _rho_exact_small(context, state, p, hint):
    """:func:`_rho_exact` in plain Python for a handful of supporter groups (capped
    positions as a sorted list)."""
    groups, mult, u_f, u_int = context.supporters.lists(p)
    alive, budget = state.alive, state.budget_f
    live = [j for j, g in enumerate(groups) if alive[g]]
    if not live:
        return None
    b_f = [float(budget[groups[j]]) for j in live]
    avail = sum(mult[j] * b for j, b in zip(live, b_f, strict=True))
    cost = context.cost_q(p)
    error = 4 * FLOAT_ERROR * state.share_f * context.problem.num_voters
    near = avail <= context.costs_f[p] * (1 + 1e-9) + error  # not surely affordable
    if near and state.exact_sum([groups[j] for j in live], [mult[j] for j in live]) < cost:
        return None
    slack = 4 * FLOAT_ERROR * state.share_f
    if hint is not None and hint > 0 and math.isfinite(hint):
        low, high, middle = [], [], []
        for j, b in zip(live, b_f, strict=True):
            u = u_f[j]
            gap = b - hint * u
            margin = 1e-6 * hint * u + slack
            (low if gap < -margin else high if gap > margin else middle).append(j)
        found = _solve_small(state, cost, (groups, mult, u_int), low, high, middle)
        if found is not None and _verified_small(state, found[0], groups, u_f, low, high):
            return found
    found = _solve_small(state, cost, (groups, mult, u_int), [], [], live)
    if found is None:
        raise AssertionError("affordable project without a price")
    return found


def _solve_small(state, cost, lists, low, high, middle):
    """:func:`_solve` over lists of positions."""
    groups, mult, u_int = lists
    paid = state.exact_sum([groups[j] for j in low], [mult[j] for j in low]) if low else Q(0)
    weight = sum(mult[j] * u_int[j] for j in (*high, *middle))
    items = [(groups[j], u_int[j], mult[j], j) for j in middle]
    found = _price(state, cost, paid, weight, items, list(low))
    return None if found is None else (found[0], sorted(found[1]))


def _verified_small(state, rho, groups, u_f, low, high) -> bool:
    """:func:`_verified` over lists of positions."""
    r, slack, budget = float(rho), 4 * FLOAT_ERROR * state.share_f, state.budget_f
    capped = all(float(budget[groups[j]]) + slack < r * u_f[j] * (1 - 1e-14) for j in low)
    return capped and all(float(budget[groups[j]]) - slack > r * u_f[j] * (1 + 1e-14) for j in high)


def _verified(state, rho, b_f, u_f, low, high, slack) -> bool:
    """Capped groups surely have budget < ρ·u, paying ones surely > ρ·u (error bounds)."""
    r = float(rho)
    price = r * u_f
    if low.any() and not np.all(b_f[low] + slack < price[low] * (1 - 1e-14)):
        return False
    return not high.any() or bool(np.all(b_f[high] - slack > price[high] * (1 + 1e-14)))


def _pay(context, state, p, rho, capped) -> MesRound:
    """Charge the supporters of ``p`` at price ``rho``: capped ones pay all they have."""
    if context.few(p):
        return _pay_small(context, state, p, rho, capped)
    problem = context.problem
    sup = context.supporters[p]
    keep, groups = _alive_support(state, sup)
    before = int(sup.mult.sum()) - int(sup.mult[keep].sum())  # already had nothing
    pays = np.ones(len(keep), dtype=bool)
    pos = np.searchsorted(keep, capped)
    pays[pos] = False
    round_ = _new_round(state, rho)
    payers = groups[pays]
    state.paid[payers, round_] = sup.u_int[keep[pays]]
    state.budget_f[payers] -= float(rho) * sup.u_f[keep[pays]]
    dead = groups[~pays]
    state.budget_f[dead] = 0.0
    state.alive[dead] = False
    return MesRound(
        project=problem.ids[p],
        rho=as_fraction(rho) * context.scale,
        paid=Fraction(problem.costs[p]),
        supporters=int(sup.mult.sum()),
        exhausted=before + int(sup.mult[keep[~pays]].sum()),
    )


def _pay_small(context, state, p, rho, capped) -> MesRound:
    """:func:`_pay` in plain Python for a handful of supporter groups."""
    groups, mult, u_f, u_int = context.supporters.lists(p)
    alive, budget = state.alive, state.budget_f
    round_ = _new_round(state, rho)
    r, out, exhausted = float(rho), set(capped), 0
    for j, g in enumerate(groups):
        if not alive[g]:  # already had nothing
            exhausted += mult[j]
        elif j in out:
            budget[g] = 0.0
            alive[g] = False
            exhausted += mult[j]
        else:
            state.paid[g, round_] = u_int[j]
            budget[g] -= r * u_f[j]
    return MesRound(
        project=context.problem.ids[p],
        rho=as_fraction(rho) * context.scale,
        paid=Fraction(context.problem.costs[p]),
        supporters=int(sum(mult)),
        exhausted=int(exhausted),
    )


def _new_round(state, rho) -> int:
    """Record the price of a new round; its index (its column of ``paid``)."""
    state.rhos.append(rho)
    return len(state.rhos) - 1


def is_exhaustive(*, problem: BudgetProblem, winners: Sequence[int], among: Sequence[int]) -> bool:
    """No project of ``among`` outside ``winners`` fits in the budget that is left."""
    spent = sum((problem.costs[p] for p in winners), Fraction(0))
    chosen = set(winners)
    return all(p in chosen or spent + problem.costs[p] > problem.budget for p in among)


def spent(*, problem: BudgetProblem, winners: Sequence[int]) -> Fraction:
    """Total cost of ``winners``."""
    return sum((problem.costs[p] for p in winners), Fraction(0))
