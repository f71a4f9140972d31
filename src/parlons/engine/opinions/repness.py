"""Representative, consensus and divisive comments.

Representativeness follows ``math/src/polismath/math/repness.clj`` (``comment-stats``,
``add-comparitive-stats``, ``select-rep-comments``, ``select-consensus-comments``) and
``stats.clj`` (``prop-test``, ``two-prop-test``, ``z-sig-90?``). Polis stores agree as -1
internally and counts it as ``na``; here votes use the export convention (agree = 1), so
``na`` counts the 1s. Group-aware consensus is ``conversation.clj``
``:group-aware-consensus`` (product over groups of (A + 1) / (S + 2)). Polis has no
"divisive" list in its math; ours ranks comments by the spread of the groups' agreement
probabilities (max - min of (A + 1) / (S + 2)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

Z_90 = 1.2816
TOP = 5


@dataclass(frozen=True, slots=True)
class VoteCounts:
    """Agree, disagree and seen (any vote, passes included) counts, shape (groups, comments)."""

    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray


@dataclass(frozen=True, slots=True)
class RepComment:
    """A comment representative of a group (Polis ``finalize-cmt-stats``)."""

    comment_id: int
    repful_for: str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False


def count_votes(*, votes: sp.csr_matrix, row_group: np.ndarray, n_groups: int) -> VoteCounts:
    """Per group and comment counts; rows with group -1 are left out."""
    return count_group_and_total_votes(votes=votes, row_group=row_group, n_groups=n_groups)[0]


def count_group_and_total_votes(
    *, votes: sp.csr_matrix, row_group: np.ndarray, n_groups: int
) -> tuple[VoteCounts, VoteCounts]:
    """Per group counts (rows with group -1 left out) and the counts over everyone
    (shape (1, comments)), in one pass over the votes: each vote lands in cell
    (group, comment, vote + 1), the ungrouped in an extra group."""
    n_cols = votes.shape[1]
    groups = np.where(row_group < 0, n_groups, row_group).astype(np.int64)
    rows = np.repeat(groups, np.diff(votes.indptr))
    code = (rows * n_cols + votes.indices) * 3 + (votes.data + 1).astype(np.int64)
    size = (n_groups + 1) * n_cols * 3
    tally = np.bincount(code, minlength=size).reshape(n_groups + 1, n_cols, 3)
    total = tally.sum(axis=0, keepdims=True)

    def counts(t: np.ndarray) -> VoteCounts:
        return VoteCounts(agree=t[:, :, 2], disagree=t[:, :, 0], seen=t.sum(axis=2))

    return counts(tally[:n_groups]), counts(total)


def prop_test(succ: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Polis ``prop-test``: one-proportion z against 1/2 with a +1 prior."""
    succ, n = succ + 1.0, n + 1.0
    return 2.0 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(succ_in, succ_out, pop_in, pop_out) -> np.ndarray:
    """Polis ``two-prop-test`` with +1 priors; 0 where the pooled proportion is 1."""
    s1, s2, n1, n2 = (
        np.asarray(x, dtype=np.float64) + 1.0 for x in (succ_in, succ_out, pop_in, pop_out)
    )
    pi_hat = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pi_hat * (1.0 - pi_hat) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / denom
    return np.where(pi_hat == 1.0, 0.0, z)


def repness_stats(counts: VoteCounts) -> dict[str, np.ndarray]:
    """``comment-stats`` + ``add-comparitive-stats`` for every (group, comment)."""
    na, nd, ns = (x.astype(np.float64) for x in (counts.agree, counts.disagree, counts.seen))
    rest_na, rest_nd, rest_ns = (x.sum(axis=0)[None, :] - x for x in (na, nd, ns))
    pa, pd = (1 + na) / (2 + ns), (1 + nd) / (2 + ns)
    return {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": pa,
        "pd": pd,
        "pat": prop_test(na, ns),
        "pdt": prop_test(nd, ns),
        "ra": pa / ((1 + rest_na) / (2 + rest_ns)),
        "rd": pd / ((1 + rest_nd) / (2 + rest_ns)),
        "rat": two_prop_test(na, rest_na, ns, rest_ns),
        "rdt": two_prop_test(nd, rest_nd, ns, rest_ns),
    }


def _finalize(stats: dict, g: int, j: int, comment_id: int, best_agree: bool = False) -> RepComment:
    agree = stats["rat"][g, j] > stats["rdt"][g, j]
    keys = ("na", "pa", "pat", "ra", "rat") if agree else ("nd", "pd", "pdt", "rd", "rdt")
    n, p, pt, r, rt = (stats[key][g, j] for key in keys)
    return RepComment(
        comment_id=int(comment_id),
        repful_for="agree" if agree else "disagree",
        n_success=int(n),
        n_trials=int(stats["ns"][g, j]),
        p_success=float(p),
        p_test=float(pt),
        repness=float(r),
        repness_test=float(np.float32(rt)),
        best_agree=best_agree,
    )


def _best_agree(row: dict[str, list[float]], live: np.ndarray) -> int | None:
    """Polis ``beats-best-agr?`` scanned over the live comments in order: the comment
    most clearly agreed by the group. Plain floats, so the scan costs microseconds per
    comment; products are taken in Polis' order, so ties break the same way."""
    na, nd, ra, rat, pa, pat = (row[key] for key in ("na", "nd", "ra", "rat", "pa", "pat"))
    best = None
    for j in live.tolist():
        if na[j] == 0 and nd[j] == 0:
            continue
        if best is not None and ra[best] > 1.0:
            beats = ra[j] * rat[j] * pa[j] * pat[j] > ra[best] * rat[best] * pa[best] * pat[best]
        elif best is not None:
            beats = pa[j] * pat[j] > pa[best] * pat[best]
        else:
            beats = pat[j] > Z_90 or (ra[j] > 1.0 and pa[j] > 0.5)
        if beats:
            best = j
    return best


def select_representative(
    *, stats: dict[str, np.ndarray], comment_ids: np.ndarray, moderated_out: np.ndarray
) -> list[list[RepComment]]:
    """Polis ``select-rep-comments``: per group up to 5 significant comments (best agree
    first, then by repness metric, agrees before disagrees), or at least the best one."""
    passes = ((stats["rat"] > Z_90) & (stats["pat"] > Z_90)) | (
        (stats["rdt"] > Z_90) & (stats["pdt"] > Z_90)
    )
    live = np.flatnonzero(~moderated_out)
    return [
        _select_for_group(stats, g, passes[g], live, comment_ids) for g in range(passes.shape[0])
    ]


def _select_for_group(stats, g, passes, live, comment_ids) -> list[RepComment]:
    row = {key: stats[key][g].tolist() for key in ("na", "nd", "ra", "rat", "pa", "pat")}
    best_agree = _best_agree(row, live)
    head = (
        [_finalize(stats, g, best_agree, comment_ids[best_agree], True)]
        if best_agree is not None
        else []
    )
    sufficient = live[passes[live]]
    if not sufficient.size:
        return head or _most_representative(stats, g, live, comment_ids)
    agree = stats["rat"][g, sufficient] > stats["rdt"][g, sufficient]
    pick = {
        key: np.where(agree, stats[a][g, sufficient], stats[d][g, sufficient])
        for key, a, d in (
            ("p", "pa", "pd"),
            ("pt", "pat", "pdt"),
            ("r", "ra", "rd"),
            ("rt", "rat", "rdt"),
        )
    }
    rt = pick["rt"].astype(np.float32).astype(np.float64)  # as ``_finalize`` stores it
    metric = pick["r"] * rt * pick["p"] * pick["pt"]
    order = sufficient[np.argsort(-metric, kind="stable")]
    if head:
        order = order[order != best_agree]
    chosen = head + [
        _finalize(stats, g, j, comment_ids[j]) for j in order[: TOP - len(head)].tolist()
    ]
    return [r for r in chosen if r.repful_for == "agree"] + [
        r for r in chosen if r.repful_for == "disagree"
    ]


def _most_representative(stats, g, live, comment_ids) -> list[RepComment]:
    """No significant comment: the one with the highest repness test (the first of equals)."""
    if not live.size:
        return []
    best = None
    top = None
    rat, rdt = stats["rat"][g].tolist(), stats["rdt"][g].tolist()
    for j in live.tolist():
        value = max(rat[j], rdt[j])
        if best is None or value > top:
            best = j
            top = float(np.float32(rdt[j] if not rat[j] > rdt[j] else rat[j]))
    return [_finalize(stats, g, best, comment_ids[best])]


def polis_consensus(
    *, counts: VoteCounts, comment_ids: np.ndarray, moderated_out: np.ndarray
) -> dict[str, list[int]]:
    """Polis ``select-consensus-comments`` over everyone (one group): top 5 comments with
    p > 0.5 and a significant one-proportion test, for agree and for disagree."""
    na, nd, ns = (
        x.sum(axis=0).astype(np.float64) for x in (counts.agree, counts.disagree, counts.seen)
    )
    result = {}
    for name, n in (("agree", na), ("disagree", nd)):
        p, pt = (1 + n) / (2 + ns), prop_test(n, ns)
        ok = np.flatnonzero((p > 0.5) & (pt > Z_90) & ~moderated_out)
        order = ok[np.argsort(-(p * pt)[ok], kind="stable")][:TOP]
        result[name] = [int(comment_ids[j]) for j in order]
    return result


def group_aware_consensus(*, counts: VoteCounts) -> np.ndarray:
    """``:group-aware-consensus``: product over groups of (A + 1) / (S + 2), per comment."""
    return np.prod((counts.agree + 1.0) / (counts.seen + 2.0), axis=0)


def consensus_comments(
    *, counts: VoteCounts, comment_ids: np.ndarray, moderated_out: np.ndarray
) -> list[int]:
    """Comments every group more likely agrees with than not, by group-aware consensus."""
    pa = (counts.agree + 1.0) / (counts.seen + 2.0)
    score = group_aware_consensus(counts=counts)
    ok = np.flatnonzero(np.all(pa > 0.5, axis=0) & ~moderated_out)
    order = ok[np.argsort(-score[ok], kind="stable")][:TOP]
    return [int(comment_ids[j]) for j in order]


def divisive_comments(
    *, counts: VoteCounts, comment_ids: np.ndarray, moderated_out: np.ndarray
) -> list[int]:
    """Comments on which the groups disagree most: largest spread of (A + 1) / (S + 2)
    across groups, among comments every group has seen."""
    if counts.seen.shape[0] < 2:
        return []
    pa = (counts.agree + 1.0) / (counts.seen + 2.0)
    spread = pa.max(axis=0) - pa.min(axis=0)
    ok = np.flatnonzero(np.all(counts.seen > 0, axis=0) & ~moderated_out & (spread > 0))
    order = ok[np.argsort(-spread[ok], kind="stable")][:TOP]
    return [int(comment_ids[j]) for j in order]
