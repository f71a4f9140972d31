"""Benchmark: the opinion-map engine against scikit-learn's dense PCA + KMeans.

Run::

    .venv/bin/python bench/opinion_map.py --repeat 2       # synthetic 100,000 x 5,000 + real
    .venv/bin/python bench/opinion_map.py --participants 20000 --statements 1000 --skip-real

Conversations: a synthetic sparse one (default 100,000 participants x 5,000 statements,
50 votes each = 5,000,000 votes, four latent opinion groups) and the real Polis exports
in ``../shared/data/polis/`` when present. For each, in the same run and on the same
votes, each measurement in its own subprocess (one at a time, so they do not compete):

- **ours, full**: ``compute_opinion_map`` from the vote arrays (vote matrix, sparse PCA,
  sparsity-aware projection, 100 base clusters, groups for k = 2..5 by silhouette,
  representative / consensus / divisive statements);
- **scikit-learn dense**: the same vote matrix made dense (float32, the peer's lighter
  precision), missing votes filled with the statement's mean as Polis does, ``PCA(2)``
  (default solver: randomized at this size), ``KMeans(100)`` base clusters on the
  projection, then ``KMeans(k)`` on the base centres weighted by size for k = 2..5 and
  ``silhouette_score`` on the centres — Polis' pipeline built from scikit-learn parts;
- **ours, incremental**: the state after a full computation, then ``OpinionState.update``
  (the fast, bounded update; ``recompute`` is the exact one) with 1,000 new votes
  (synthetic: random participants and statements; real: the last 1,000 votes of the
  export, the state holding the ones before).

Time is wall-clock of the computation alone (inputs are built before the clock starts),
the best of ``--repeat`` runs (each run measures ours, the peer and the incremental update
in turn, so that a change of machine load hits all three).
Memory is the peak traced by ``tracemalloc`` during the computation (numpy and scipy
report their buffers to it); the growth of the process' peak RSS (``ru_maxrss`` minus the
RSS before the computation) is shown beside it. Ratios: peer / ours (above 1: we win);
incremental / full (below 0.1 is the target).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from parlons.engine.opinions import (  # noqa: E402
    OpinionState,
    VoteBatch,
    compute_opinion_map,
)

REAL = ("vtaiwan.uberx", "scoop-hivemind.ubi", "football-concussions")
POLIS_DIR = ROOT.parent / "shared" / "data" / "polis"
NEW_VOTES = 1000


def synthetic(*, participants: int, statements: int, per_participant: int, seed: int = 0):
    """Four latent groups; each participant votes on ``per_participant`` distinct random
    statements: agree with the group's probability, else disagree (80 %) or pass."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 4, size=participants)
    leaning = rng.uniform(0.05, 0.95, size=(4, statements))
    draws = np.sort(rng.integers(0, statements, size=(participants, per_participant + 8)), axis=1)
    fresh = np.ones(draws.shape, dtype=bool)
    fresh[:, 1:] = draws[:, 1:] != draws[:, :-1]
    rank = np.cumsum(fresh, axis=1) - 1
    keep = fresh & (rank < per_participant)
    rows = np.broadcast_to(np.arange(participants)[:, None], draws.shape)[keep]
    cols = draws[keep]
    u = rng.random(rows.shape[0])
    p = leaning[group[rows], cols]
    vote = np.where(u < p, 1, np.where(u < p + (1 - p) * 0.8, -1, 0)).astype(np.int8)
    order = rng.permutation(rows.shape[0])  # votes arrive interleaved
    return VoteBatch.from_arrays(
        participant=rows[order],
        comment=cols[order],
        vote=vote[order],
        timestamp=np.arange(rows.shape[0]),
    )


def new_votes(*, participants: int, statements: int, start: int, seed: int = 1) -> VoteBatch:
    rng = np.random.default_rng(seed)
    return VoteBatch.from_arrays(
        participant=rng.integers(0, participants, size=NEW_VOTES),
        comment=rng.integers(0, statements, size=NEW_VOTES),
        vote=rng.choice(np.array([-1, 0, 1], dtype=np.int8), size=NEW_VOTES),
        timestamp=np.arange(start, start + NEW_VOTES),
    )


def real(name: str) -> tuple[VoteBatch, list[int]]:
    from parlons.cli.opinions import vote_batch
    from parlons.formats.polis import read_conversation

    conversation = read_conversation(directory=POLIS_DIR / name)
    return vote_batch(conversation=conversation).in_time_order(), conversation.moderated_out()


def _split(batch: VoteBatch, at: int) -> tuple[VoteBatch, VoteBatch]:
    def part(s: slice) -> VoteBatch:
        return VoteBatch(
            participant=batch.participant[s],
            comment=batch.comment[s],
            vote=batch.vote[s],
            timestamp=batch.timestamp[s],
        )

    return part(slice(None, at)), part(slice(at, None))


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _measured(run) -> dict:
    rss_before = _rss_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    info = run()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return {
        "seconds": seconds,
        "peak_mb": peak / 2**20,
        "rss_mb": max(rss_growth, 0) / 2**20,
        **info,
    }


def ours_full(batch: VoteBatch, moderated_out: list[int]) -> dict:
    def run():
        result = compute_opinion_map(votes=batch, moderated_out=moderated_out)
        return {"groups": len(result.groups)}

    return _measured(run)


def ours_incremental(batch: VoteBatch, moderated_out: list[int], extra: VoteBatch) -> dict:
    state = OpinionState()
    state.set_moderated_out(comment_ids=moderated_out)
    state.add_votes(batch=batch)
    state.recompute()

    def run():
        result = state.update(batch=extra)
        return {"groups": len(result.groups)}

    return _measured(run)


def sklearn_dense(batch: VoteBatch, moderated_out: list[int]) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score

    from parlons.engine.opinions import VoteMatrix

    matrix = VoteMatrix()
    matrix.add(batch=batch)
    votes = matrix.to_csr()
    hidden = np.isin(matrix.comments.names, moderated_out)
    del matrix

    def run():
        n_rows, n_cols = votes.shape
        counts = np.bincount(votes.indices, minlength=n_cols)
        sums = np.bincount(votes.indices, weights=votes.data, minlength=n_cols)
        mean = np.divide(sums, counts, out=np.zeros(n_cols), where=counts > 0)
        dense = np.empty((n_rows, n_cols), dtype=np.float32)
        dense[:] = mean.astype(np.float32)
        rows = np.repeat(np.arange(n_rows), np.diff(votes.indptr))
        dense[rows, votes.indices] = votes.data
        dense[:, hidden] = 0.0
        proj = PCA(n_components=2, random_state=0).fit_transform(dense)
        del dense
        base = KMeans(n_clusters=min(100, n_rows), n_init=1, random_state=0).fit(proj)
        weights = np.bincount(base.labels_, minlength=base.cluster_centers_.shape[0])
        centres, weights = base.cluster_centers_[weights > 0], weights[weights > 0]
        scores = {}
        for k in range(2, 6):
            labels = KMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(
                centres, sample_weight=weights
            )
            scores[k] = silhouette_score(centres, labels) if len(set(labels)) > 1 else -1.0
        return {"groups": max(scores, key=scores.get)}

    return _measured(run)


def _child(args) -> None:
    if args.dataset == "synthetic":
        batch = synthetic(
            participants=args.participants,
            statements=args.statements,
            per_participant=args.votes_each,
        )
        moderated_out: list[int] = []
        extra = new_votes(
            participants=args.participants, statements=args.statements, start=len(batch)
        )
    else:
        everything, moderated_out = real(args.dataset)
        batch, extra = _split(everything, len(everything) - NEW_VOTES)
        if args.measure != "incremental":
            batch = everything
    shape = {"votes": len(batch)}
    if args.measure == "ours":
        out = ours_full(batch, moderated_out)
    elif args.measure == "incremental":
        out = ours_incremental(batch, moderated_out, extra)
    else:
        out = sklearn_dense(batch, moderated_out)
    print(json.dumps({**shape, **out}))


def _run_child(args, dataset: str, measure: str) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        "--dataset",
        dataset,
        "--measure",
        measure,
        "--participants",
        str(args.participants),
        "--statements",
        str(args.statements),
        "--votes-each",
        str(args.votes_each),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=5_000)
    parser.add_argument("--votes-each", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of each")
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", default="synthetic", help=argparse.SUPPRESS)
    parser.add_argument("--measure", default="ours", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    datasets = [] if args.skip_synthetic else ["synthetic"]
    if not args.skip_real:
        datasets += [name for name in REAL if (POLIS_DIR / name).is_dir()]
    header = (
        f"{'conversation':<34} {'votes':>9} | {'ours s':>7} {'ours MB':>8} {'rss MB':>7} | "
        f"{'sklearn s':>9} {'MB':>8} {'rss MB':>7} | {'faster':>6} {'less mem':>8} | "
        f"{'incr s':>7} {'incr/full':>9} | groups ours/sk"
    )
    print(header)
    print("-" * len(header))
    for dataset in datasets:
        runs: dict[str, list[dict]] = {"ours": [], "sklearn": [], "incremental": []}
        for _ in range(args.repeat):
            for measure, found in runs.items():
                found.append(_run_child(args, dataset, measure))
        ours, peer, incr = (min(found, key=lambda r: r["seconds"]) for found in runs.values())
        label = (
            f"synthetic {args.participants:,} x {args.statements:,}"
            if dataset == "synthetic"
            else dataset
        )
        print(
            f"{label:<34} {ours['votes']:>9,} | {ours['seconds']:>7.2f} {ours['peak_mb']:>8.1f} "
            f"{ours['rss_mb']:>7.1f} | {peer['seconds']:>9.2f} {peer['peak_mb']:>8.1f} "
            f"{peer['rss_mb']:>7.1f} | {peer['seconds'] / ours['seconds']:>5.1f}x "
            f"{peer['peak_mb'] / ours['peak_mb']:>7.1f}x | {incr['seconds']:>7.3f} "
            f"{incr['seconds'] / ours['seconds']:>9.3f} | {ours['groups']}/{peer['groups']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
