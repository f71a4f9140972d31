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


def replay_groups(
    *,
    votes,
    zeroed: set[int],
    step_ms: int = DAY_MS,
    offset_ms: int = 0,
    bug_start_ms: int = BUG_START_MS,
    bug_fix_ms: int = BUG_FIX_MS,
    mean_fill_from_ms: int | None = None,
    base_k: int = 100,
    group_iters: int = 20,
    k_buffer: int = 4,
) -> tuple[dict[int, int], int]:
    """Polis' history replayed: one update per ``step_ms`` (boundaries shifted by
    ``offset_ms``) with votes, rows in order of arrival, each update warm-started from the
    previous one (base clusters, group clusterings per k, k smoother), the vote-count
    window of ``in_conversation_history``, zero fill (mean fill from ``mean_fill_from_ms``).
    Dense: small conversations only. Returns (group of each grouped participant, k)."""
    from parlons.engine.opinions.grouping import KSmoother

    ordered = sorted(votes, key=lambda v: v.timestamp)
    rows: dict[int, int] = {}
    cols: dict[int, int] = {}
    for vote in ordered:
        rows.setdefault(vote.voter_id, len(rows))
        cols.setdefault(vote.comment_id, len(cols))
    matrix = np.full((len(rows), len(cols)), np.nan)
    out = np.isin(np.fromiter(cols, dtype=np.int64), list(zeroed))
    inside = np.zeros(len(rows), dtype=bool)
    base_labels, group_labels, smoother = None, {}, KSmoother()
    n_rows = n_cols = 0
    i, n = 0, len(ordered)
    result: tuple[np.ndarray, int] | None = None
    while i < n:
        end = ((ordered[i].timestamp - offset_ms) // step_ms + 1) * step_ms + offset_ms
        while i < n and ordered[i].timestamp < end:
            vote = ordered[i]
            r, c = rows[vote.voter_id], cols[vote.comment_id]
            matrix[r, c] = vote.vote
            n_rows, n_cols = max(n_rows, r + 1), max(n_cols, c + 1)
            i += 1
        now = ordered[i - 1].timestamp
        ratings = matrix[:n_rows, :n_cols].copy()
        zero = out[:n_cols]
        ratings[:, zero] = 0.0
        if mean_fill_from_ms is not None and now >= mean_fill_from_ms:
            means = np.nanmean(ratings, axis=0)
            filled = np.where(np.isnan(ratings), means[None, :], ratings)
        else:
            filled = np.nan_to_num(ratings, nan=0.0)
        center = filled.mean(axis=0)
        comps = np.linalg.svd(filled - center, full_matrices=False)[2][:2]
        cast = ~np.isnan(ratings)
        proj = np.where(cast, ratings - center, 0.0) @ comps.T
        proj *= np.sqrt(n_cols / np.maximum(cast.sum(axis=1), 1))[:, None]
        if bug_start_ms <= now < bug_fix_ms:
            counts = cast.sum(axis=1)
        else:
            counts = (~np.isnan(matrix[:n_rows, :n_cols])).sum(axis=1)
        now_in = inside[:n_rows] | (counts >= min(7, n_cols))
        missing = 15 - int(now_in.sum())
        if missing > 0:
            rest = np.flatnonzero(~now_in)
            now_in[rest[np.argsort(-counts[rest], kind="stable")][:missing]] = True
        inside[:n_rows] = now_in
        members = np.flatnonzero(now_in)
        previous = None
        if base_labels is not None:
            previous = np.full(n_rows, -1, dtype=np.int64)
            previous[: base_labels.shape[0]] = base_labels
            previous = previous[members]
        base = kmeans(points=proj[members], k=base_k, max_iters=100, previous_labels=previous)
        base_labels = np.full(n_rows, -1, dtype=np.int64)
        base_labels[members] = base.labels
        weights = base.sizes().astype(np.float64)
        clusterings, silhouettes = {}, {}
        for k in k_range(n_base=base.ids.shape[0]):
            prior = None
            if k in group_labels:
                prior = np.array([group_labels[k].get(int(b), -1) for b in base.ids])
            clusterings[k] = kmeans(
                points=base.centers,
                k=k,
                weights=weights,
                max_iters=group_iters,
                previous_labels=prior,
            )
            silhouettes[k] = silhouette(points=base.centers, labels=clusterings[k].labels)
        group_labels = {
            k: dict(zip(base.ids.tolist(), c.labels.tolist(), strict=True))
            for k, c in clusterings.items()
        }
        if not clusterings:
            continue
        this_k = best_k(silhouettes)
        smoother = smoother.advance(this_k=this_k, buffer=k_buffer)
        k = smoother.smoothed_k if smoother.smoothed_k in clusterings else this_k
        groups = np.full(n_rows, -1, dtype=np.int64)
        groups[members] = [group_labels[k][b] for b in base.labels.tolist()]
        result = (groups, k)
    ids = list(rows)
    groups, k = result
    return {ids[r]: int(g) for r, g in enumerate(groups.tolist()) if g >= 0}, k


def main(argv: list[str] | None = None) -> None:
    """``python -m parlons.engine.opinions.tests.polis_history NAME [--meta 32-42]
    [--step-hours 24] [--offset-hours 0]``: ARI of a replay against Polis' groups."""
    import argparse

    from sklearn.metrics import adjusted_rand_score

    from parlons.formats.polis import read_conversation
    from parlons.testing.data import shared_data

    parser = argparse.ArgumentParser(prog="polis_history")
    parser.add_argument("name")
    parser.add_argument("--meta", default="", help="meta comment ids, as FIRST-LAST")
    parser.add_argument("--step-hours", type=float, default=24.0)
    parser.add_argument("--offset-hours", type=float, default=0.0)
    parser.add_argument(
        "--mean-fill-from", type=int, default=None, help="ms timestamp of Polis 90b5b9e6"
    )
    args = parser.parse_args(argv)
    conversation = read_conversation(directory=shared_data("polis", args.name))
    meta = set()
    if args.meta:
        first, last = (int(x) for x in args.meta.split("-"))
        meta = set(range(first, last + 1))
    ours, k = replay_groups(
        votes=conversation.votes,
        zeroed=set(conversation.moderated_out()) | meta,
        step_ms=int(args.step_hours * 3_600_000),
        offset_ms=int(args.offset_hours * 3_600_000),
        mean_fill_from_ms=args.mean_fill_from,
    )
    polis = {p.participant: p.group_id for p in conversation.participants}
    ids = sorted(i for i, g in polis.items() if g is not None)
    ari = adjusted_rand_score([polis[i] for i in ids], [ours.get(i, -1) for i in ids])
    groups = len({polis[i] for i in ids})
    print(
        f"{args.name} step {args.step_hours:g} h offset {args.offset_hours:g} h: ARI {ari:.3f},"
        f" {k} groups (Polis {groups}), grouped {len(ours)} (Polis {len(ids)})"
    )


if __name__ == "__main__":
    main()
