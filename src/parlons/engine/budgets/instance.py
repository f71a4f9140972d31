"""The numbers every budget rule works on: costs, a budget and grouped utilities.

Satisfaction follows pabutools (Faliszewski et al., "Pabulib", IJCAI 2023; pabutools
``election.satisfaction``): ``Cost_Sat`` (a voter gets the cost of each approved project)
for approval and choose-1 ballots, ``Additive_Cardinal_Sat`` (the points given) for
cumulative and scoring ballots and ``Additive_Borda_Sat`` (ballot length − position − 1,
so the last-ranked project gives 0) for ordinal ballots.

Identical ballots are grouped (an exact transformation: every rule here treats two voters
with the same ballot the same way), which is what makes the rules fast on city-sized data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np


@dataclass
class ProjectTables:
    """What rules read per project, built once with the problem (not by every rule call).

    Entries ``start[p]:start[p+1]`` are the groups supporting project ``p`` (positive
    utility): ``groups``, their sizes ``mult`` and their utilities times ``scale``, as
    integers ``u_int`` (int64, or Python ints where sums could pass 2**62) and floats
    ``u_f``. ``totals`` are the exact scaled totals Σ mult·u_int, ``voters`` the number
    of supporting voters (float64) and ``costs_f`` the costs as floats (``cost_f`` as
    an array). ``paying`` lists the projects with support and a positive cost, ``free``
    those with support and no cost; ``lexicographic`` is the rank of each id in string
    order (the default tie-break).
    """

    start: list[int]
    groups: np.ndarray
    mult: np.ndarray
    u_int: np.ndarray
    u_f: np.ndarray
    totals: list[int]
    voters: np.ndarray
    costs_f: list[float]
    cost_f: np.ndarray
    paying: np.ndarray
    free: list[int]
    lexicographic: list[int]


@dataclass
class BudgetProblem:
    """A participatory-budgeting instance with voters grouped by identical ballot.

    Group ``g`` has ``mult[g]`` voters; its utilities are the CSR rows
    ``indices[indptr[g]:indptr[g+1]]`` (project positions) with ``codes`` into the table
    ``utilities`` (exact ``Fraction``) / ``utilities_f`` (float64). Only positive
    utilities are stored. ``num_voters`` counts every voter, empty ballots included.
    """

    ids: list[str]
    costs: list[Fraction]
    budget: Fraction
    vote_type: str
    num_voters: int
    mult: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    codes: np.ndarray
    utilities: list[Fraction]
    utilities_f: np.ndarray
    vote_counts: np.ndarray
    utilities_int: list[int] = field(default_factory=list)  # utilities times ``scale``
    scale: int = 1  # least common multiple of the utilities' denominators
    costs_int: list[int] | None = None  # the costs as ``int`` when all are whole
    # the same entries sorted by project: project p has by_project[start[p]:start[p+1]]
    project_start: np.ndarray | None = None
    project_groups: np.ndarray | None = None
    project_codes: np.ndarray | None = None
    tables: ProjectTables | None = None  # built by ``build_problem``

    @property
    def num_projects(self) -> int:
        return len(self.ids)

    @property
    def approval_like(self) -> bool:
        return self.vote_type in ("approval", "choose-1")

    def scaled_utilities(self) -> tuple[list[int], int]:
        """``(table, scale)``: every utility times ``scale`` (the least common multiple of
        their denominators) as an exact integer, so rules can sum them in integers."""
        return self.utilities_int, self.scale

    def total_utility(self) -> list[Fraction]:
        """Exact total satisfaction of each project, Σ over voters of their utility."""
        totals, scale = self.total_utility_scaled()
        return [Fraction(t, scale) for t in totals]

    def total_utility_scaled(self) -> tuple[list[int], int]:
        """``(totals, scale)``: :meth:`total_utility` times ``scale``, as exact integers."""
        return list(self.tables.totals), self.scale

    def _totals_scaled(self) -> list[int]:
        table, _ = self.scaled_utilities()
        weights = np.repeat(self.mult, np.diff(self.indptr))
        bound = max(table, default=0) * max(self.num_voters, 1)
        if bound < 2**53:  # every partial sum is an integer a float64 holds exactly
            values = np.array(table, dtype=np.float64)[self.codes] * weights
            sums = np.bincount(self.indices, weights=values, minlength=self.num_projects)
            return [int(t) for t in sums.tolist()]
        if bound < 2**62:  # exact in int64
            values = np.array(table, dtype=np.int64)[self.codes] * weights
            sums = np.zeros(self.num_projects, dtype=np.int64)
            np.add.at(sums, self.indices, values)
            return sums.tolist()
        totals = [0] * self.num_projects
        for p, c, w in zip(
            self.indices.tolist(), self.codes.tolist(), weights.tolist(), strict=True
        ):
            totals[p] += table[c] * w
        return totals

    def supporters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each project, ``(groups, codes)`` of the groups with positive utility."""
        start, groups, codes = self.project_start.tolist(), self.project_groups, self.project_codes
        return [
            (groups[start[p] : start[p + 1]], codes[start[p] : start[p + 1]])
            for p in range(self.num_projects)
        ]


def build_problem(
    *,
    ids: list[str],
    costs: list[Fraction],
    budget: Fraction,
    vote_type: str,
    indptr: np.ndarray,
    indices: np.ndarray,
    points: np.ndarray | None = None,
) -> BudgetProblem:
    """Build a :class:`BudgetProblem` from per-voter CSR ballots (see ``Profile``)."""
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    utilities, codes = _utility_codes(vote_type, costs, indptr, indices, points)
    keep = np.array([utilities[c] > 0 for c in range(len(utilities))], dtype=bool)[codes]
    if any(u < 0 for u in utilities):
        raise ValueError("negative scores are not supported")
    voter = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    vote_counts = np.bincount(indices, minlength=len(ids)).astype(np.int64)
    mult, g_indptr, g_indices, g_codes = _group_ballots(
        voter[keep], indices[keep], codes[keep], len(indptr) - 1, len(utilities)
    )
    costs = [Fraction(c) for c in costs]
    scale = math.lcm(1, *(u.denominator for u in utilities))
    group = np.repeat(np.arange(len(mult)), np.diff(g_indptr))
    order = np.argsort(g_indices, kind="stable")
    start = np.searchsorted(g_indices[order], np.arange(len(ids) + 1))
    problem = BudgetProblem(
        ids=list(ids),
        costs=costs,
        budget=Fraction(budget),
        vote_type=vote_type,
        num_voters=len(indptr) - 1,
        mult=mult,
        indptr=g_indptr,
        indices=g_indices,
        codes=g_codes,
        utilities=utilities,
        utilities_f=np.array([float(u) for u in utilities], dtype=np.float64),
        vote_counts=vote_counts,
        utilities_int=[int(u * scale) for u in utilities],
        scale=scale,
        costs_int=[int(c) for c in costs] if all(c.denominator == 1 for c in costs) else None,
        project_start=start,
        project_groups=group[order],
        project_codes=g_codes[order],
    )
    problem.tables = _project_tables(problem)
    return problem


def ranks_by(keys: Sequence) -> list[int]:
    """Rank of each position when sorted by ``keys`` (stable: 0 for the smallest key)."""
    ranks = [0] * len(keys)
    for rank, p in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
        ranks[p] = rank
    return ranks


def _project_tables(problem: BudgetProblem) -> ProjectTables:
    table, _ = problem.scaled_utilities()
    top = max(table, default=0) * max(problem.num_voters, 1)
    start, groups, codes = problem.project_start, problem.project_groups, problem.project_codes
    mult = problem.mult[groups]
    voters = np.bincount(
        np.repeat(np.arange(problem.num_projects), np.diff(start)),
        weights=mult,
        minlength=problem.num_projects,
    )
    ints = problem.costs_int
    costs_f = (
        [float(c) for c in ints]
        if ints is not None
        else [c.numerator / c.denominator for c in problem.costs]
    )
    totals = problem._totals_scaled()
    supported = [p for p in range(problem.num_projects) if totals[p] > 0]
    return ProjectTables(
        start=start.tolist(),
        groups=groups,
        mult=mult if top < 2**62 else mult.astype(object),
        u_int=np.array(table, dtype=np.int64 if top < 2**62 else object)[codes],
        u_f=np.array([float(x) for x in table], dtype=np.float64)[codes],
        totals=totals,
        voters=voters,
        costs_f=costs_f,
        cost_f=np.array(costs_f, dtype=np.float64),
        paying=np.array([p for p in supported if costs_f[p] > 0], dtype=np.int64),
        free=[p for p in supported if not costs_f[p] > 0],
        lexicographic=ranks_by(problem.ids),
    )


def _utility_codes(vote_type, costs, indptr, indices, points):
    if vote_type in ("approval", "choose-1"):
        return [Fraction(c) for c in costs], indices.copy()
    if vote_type in ("cumulative", "scoring"):
        values = np.zeros(0, dtype=np.int64) if points is None else points
        if values.dtype == object:
            table = sorted(set(values.tolist()))
            lookup = {v: k for k, v in enumerate(table)}
            return [Fraction(v) for v in table], np.array(
                [lookup[v] for v in values.tolist()], dtype=np.int64
            )
        table, codes = np.unique(values, return_inverse=True)
        return [Fraction(int(v)) for v in table], codes.astype(np.int64)
    if vote_type == "ordinal":
        lengths = np.diff(indptr)
        position = np.arange(len(indices)) - np.repeat(indptr[:-1], lengths)
        borda = np.repeat(lengths, lengths) - position - 1
        top = int(borda.max()) + 1 if len(borda) else 1
        return [Fraction(k) for k in range(top)], borda.astype(np.int64)
    raise ValueError(f"unsupported vote type {vote_type!r}")


def _group_ballots(voter, indices, codes, n_voters, n_codes):
    """Group voters with identical (project, utility) lists; exact, order-free."""
    key = indices * n_codes + codes
    order = np.lexsort((key, voter))
    key, voter = key[order], voter[order]
    lengths = np.bincount(voter, minlength=n_voters)
    width = int(lengths.max()) if n_voters and len(key) else 0
    starts = np.zeros(n_voters + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    pad = np.full((n_voters, width + 1), -1, dtype=np.int64)
    pad[:, 0] = lengths
    pad[voter, 1 + np.arange(len(key)) - starts[voter]] = key
    rows, mult = _unique_rows(pad)
    g_len = rows[:, 0]
    body = rows[:, 1:]
    flat = body[body >= 0]
    g_indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(g_len, out=g_indptr[1:])
    return mult.astype(np.int64), g_indptr, flat // n_codes, flat % n_codes


def _unique_rows(pad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of ``pad`` and their counts, exactly.

    Rows are hashed (a polynomial in wrapping 64-bit arithmetic) and grouped by hash, a
    one-dimensional sort far faster than ``np.unique(axis=0)``; every row is then compared
    with its group's first row, and any collision falls back to the row-wise unique.
    """
    if pad.shape[0] == 0:
        return pad, np.zeros(0, dtype=np.int64)
    powers = np.full(pad.shape[1], 0x9E3779B97F4A7C15, dtype=np.uint64)
    powers = np.cumprod(powers, dtype=np.uint64)
    with np.errstate(over="ignore"):
        hashes = (pad.astype(np.uint64) * powers).sum(axis=1, dtype=np.uint64)
    _, first, inverse, counts = np.unique(
        hashes, return_index=True, return_inverse=True, return_counts=True
    )
    if not np.array_equal(pad[first][inverse], pad):
        return np.unique(pad, axis=0, return_counts=True)
    return pad[first], counts
