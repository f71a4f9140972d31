"""Who is clustered, how many groups, and how the group count is smoothed over updates.

Matches ``math/src/polismath/math/conversation.clj``: ``:in-conv`` (participants with at
least min(7, comments) votes, once in always in, topped up to 15 with the most active),
``max-k-fn`` (k from 2 to min(5, 2 + base clusters / 12)), ``:group-k-smoother`` (a new
best k replaces the shown k only after it wins ``group-k-buffer`` = 4 updates running)
and ``max-key`` over silhouettes (the larger k wins a tie).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class KSmoother:
    """Polis ``:group-k-smoother`` state."""

    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None

    def advance(self, *, this_k: int, buffer: int) -> KSmoother:
        """Record this update's best k and return the new state."""
        count = self.last_k_count + 1 if self.last_k == this_k else 1
        smoothed = this_k if count >= buffer or self.smoothed_k is None else self.smoothed_k
        return KSmoother(last_k=this_k, last_k_count=count, smoothed_k=smoothed)


def in_conversation(
    *,
    vote_counts: np.ndarray,
    n_comments: int,
    previous: np.ndarray | None,
    min_votes: int = 7,
    greedy_n: int = 15,
) -> np.ndarray:
    """Boolean mask of participants to cluster (Polis ``:in-conv``)."""
    mask = np.zeros(vote_counts.shape[0], dtype=bool)
    if previous is not None:
        mask[: previous.shape[0]] = previous
    mask |= vote_counts >= min(min_votes, n_comments)
    missing = greedy_n - int(mask.sum())
    if missing > 0:
        out = np.flatnonzero(~mask)
        top = out[np.argsort(-vote_counts[out], kind="stable")][:missing]
        mask[top] = True
    return mask


def k_range(*, n_base: int, max_k: int = 5) -> range:
    """Polis ``max-k-fn``: k from 2 to min(max_k, 2 + n_base // 12) inclusive."""
    return range(2, min(max_k, 2 + n_base // 12) + 1)


def best_k(silhouettes: dict[int, float]) -> int:
    """The k with the highest silhouette; on a tie the larger k (``max-key`` keeps the last)."""
    chosen, top = None, -np.inf
    for k in sorted(silhouettes):
        if silhouettes[k] >= top:
            chosen, top = k, silhouettes[k]
    return chosen
