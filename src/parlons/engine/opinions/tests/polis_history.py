"""What Polis' math did to a conversation over time, to explain the ``group-id`` of an
export (research helpers for ``test_polis_parity.py``; not used by the product).

Polis stores the clustering of its last update and an export prints it; each update
starts from the previous one (``conv``), so the stored groups depend on the history of
updates, and on the code each update ran:

- 2017-02-27 (Polis commit b68ca8b6) to 2017-10-31 (acd818c9, "woops"): moderated-out and
  meta comments are zeroed columns of ``rating-mat`` (``zero-out-columns`` sets the whole
  column to 0, not missing), and ``:user-vote-counts`` counted the non-missing cells of
  that matrix: every participant got one "vote" per zeroed column. With six zeroed
  columns or more, everyone was in the conversation, and ``in-conv`` is "once in, always
  in". The fix reached a conversation at its next update after deployment.
- Before 2017-10-21 (90b5b9e6) missing votes were filled with 0 before the PCA, since then
  with the comment's mean (what the engine does).

``in_conversation_history`` replays the in-conversation rule over the votes with that
window; ``legacy_groups`` runs the 2017 pipeline (zero fill) from scratch on the final
votes, densely (small conversations only), with the engine's k-means.
"""

from __future__ import annotations

import numpy as np

from parlons.engine.opinions.grouping import best_k, k_range
from parlons.engine.opinions.kmeans import kmeans, silhouette

DAY_MS = 86_400_000
BUG_START_MS = 1_488_153_600_000  # 2017-02-27 00:00 UTC, Polis b68ca8b6
BUG_FIX_MS = 1_514_764_800_000  # 2018-01-01 00:00 UTC: fixed in code 2017-10-31, deployed later


def in_conversation_history(
    *,
    votes,
    zeroed: set[int],
    bug_start_ms: int = BUG_START_MS,
    bug_fix_ms: int = BUG_FIX_MS,
    step_ms: int = DAY_MS,
    min_votes: int = 7,
    greedy_n: int = 15,
) -> set[int]:
    """Participant ids in Polis' ``in-conv`` after replaying ``votes`` (Polis ``Vote``
    rows) in updates of ``step_ms``, ``zeroed`` (moderated-out and meta comment ids)
    counted as votes by everyone between ``bug_start_ms`` and ``bug_fix_ms``."""
    ordered = sorted(votes, key=lambda v: v.timestamp)
    voted: dict[int, set[int]] = {}
    comments: set[int] = set()
    inside: set[int] = set()
    i, n = 0, len(ordered)
    while i < n:
        end = (ordered[i].timestamp // step_ms + 1) * step_ms
        while i < n and ordered[i].timestamp < end:
            vote = ordered[i]
            voted.setdefault(vote.voter_id, set()).add(vote.comment_id)
            comments.add(vote.comment_id)
            i += 1
        now = ordered[i - 1].timestamp
        extra = len(zeroed & comments) if bug_start_ms <= now < bug_fix_ms else 0
        counts = {pid: len(c - zeroed) + extra if extra else len(c) for pid, c in voted.items()}
        threshold = min(min_votes, len(comments))
        inside |= {pid for pid, count in counts.items() if count >= threshold}
        if len(inside) < greedy_n:
            rest = sorted((p for p in counts if p not in inside), key=lambda p: -counts[p])
            inside |= set(rest[: greedy_n - len(inside)])
    return inside


def legacy_groups(
    *,
    votes: np.ndarray,
    zeroed: np.ndarray,
    clustered: np.ndarray,
    k: int | None = None,
    base_k: int = 100,
    group_iters: int = 20,
) -> np.ndarray:
    """Group of each row (-1 when not clustered) by Polis' 2017 pipeline on a dense vote
    matrix (``nan`` = no vote): zeroed columns, missing votes filled with 0, PCA,
    sparsity-aware projection, ``base_k`` base clusters of the ``clustered`` rows, group
    k-means on the base centres with k by silhouette (or the given ``k``)."""
    ratings = votes.copy()
    ratings[:, zeroed] = 0.0
    filled = np.nan_to_num(ratings, nan=0.0)
    center = filled.mean(axis=0)
    comps = np.linalg.svd(filled - center, full_matrices=False)[2][:2]
    cast = ~np.isnan(ratings)
    proj = np.where(cast, ratings - center, 0.0) @ comps.T
    proj *= np.sqrt(ratings.shape[1] / np.maximum(cast.sum(axis=1), 1))[:, None]
    rows = np.flatnonzero(clustered)
    base = kmeans(points=proj[rows], k=base_k, max_iters=100)
    weights = base.sizes().astype(np.float64)
    clusterings, silhouettes = {}, {}
    for each in k_range(n_base=base.ids.shape[0]) if k is None else [k]:
        clusterings[each] = kmeans(
            points=base.centers, k=each, weights=weights, max_iters=group_iters
        )
        silhouettes[each] = silhouette(points=base.centers, labels=clusterings[each].labels)
    chosen = clusterings[best_k(silhouettes)]
    group_of_base = dict(zip(base.ids.tolist(), chosen.labels.tolist(), strict=True))
    groups = np.full(votes.shape[0], -1, dtype=np.int64)
    groups[rows] = [group_of_base[b] for b in base.labels.tolist()]
    return groups
