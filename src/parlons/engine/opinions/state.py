"""The opinion map of a conversation, computed in full or updated incrementally.

One update runs the Polis pipeline (``math/src/polismath/math/conversation.clj``
``small-conv-update-graph``): vote matrix -> PCA -> sparsity-aware projection -> 100 base
clusters of the clustered participants (k-means on their 2-D positions) -> group k-means
for k = 2..5 over the base centres, weighted by base size -> silhouette -> k smoother ->
representative / consensus / divisive comments. Polis switches to an unseeded mini-batch
PCA above 10,000 participants (CLOJURE_QUIRKS Q10); this engine keeps the exact sparse PCA
at every size.

API for the Django layer (call from a debounced background task)::

    state = OpinionState()                       # or pickle.loads(stored_state)
    state.add_votes(batch=VoteBatch.from_arrays(participant=..., comment=..., vote=...,
                                                timestamp=...))
    state.set_moderated_out(comment_ids=[...])   # hidden statements
    result = state.recompute()                   # OpinionMap; warm-started from the last one
    stored_state = pickle.dumps(state)

``recompute`` reuses the previous components, base clusters, group clusterings and k
smoother, as Polis carries ``conv`` from one update to the next; a recompute after a few
new votes therefore converges in a handful of iterations.

``update(batch=...)`` is the fast, bounded alternative between two recomputes: the vote
structure, centre and per-base-cluster counts are changed by the new votes only
(``incremental.py``, kept in memory, not pickled) and the components and base clusters
take a fixed small number of steps from the previous ones (``update_pca_steps``,
``update_base_iters``) instead of converging; see ``docs/benchmarks/opinion_map.md`` for
the cost and the tested tolerance against ``recompute``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from parlons.engine.opinions import repness as rp
from parlons.engine.opinions.grouping import KSmoother, best_k, in_conversation, k_range
from parlons.engine.opinions.incremental import MatrixCache
from parlons.engine.opinions.kmeans import Clusters, kmeans, nearest, silhouette
from parlons.engine.opinions.pca import (
    Pca,
    center_votes,
    fit_pca,
    project_participants,
    refine_pca,
)
from parlons.engine.opinions.votes import VoteBatch, VoteMatrix


@dataclass(frozen=True, slots=True)
class OpinionConfig:
    """Polis defaults (``base-conv-update-graph`` ``:opts'``) and the in-conv thresholds."""

    base_k: int = 100
    max_k: int = 5
    base_iters: int = 100
    group_iters: int = 20  # Polis passes 100 under a key kmeans ignores (CLOJURE_QUIRKS Q3)
    group_k_buffer: int = 4
    min_votes: int = 7
    greedy_n: int = 15
    pca_tol: float = 1e-6
    # ``update``: at most this many power steps from the previous components (``recompute``
    # always iterates to ``pca_tol``).
    update_pca_steps: int = 1
    # ``update``: at most this many Lloyd steps (+1) for the base clusters, warm-started
    # from the previous ones (``recompute`` runs up to ``base_iters``, as Polis does).
    update_base_iters: int = 1


@dataclass(frozen=True, slots=True)
class OpinionGroup:
    """An opinion group: Polis group id, members, centre on the map, representative comments."""

    id: int
    size: int
    center: tuple[float, float]
    representative: tuple[rp.RepComment, ...]


@dataclass(frozen=True, slots=True)
class OpinionMap:
    """Result of an update. Arrays are aligned with ``participant_ids`` (row order);
    ``group`` is -1 for participants left out of the clustering, ``closest_group`` is the
    group whose centre is nearest on the map, for everyone."""

    participant_ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    group: np.ndarray
    closest_group: np.ndarray
    comment_ids: np.ndarray
    groups: tuple[OpinionGroup, ...]
    consensus: tuple[int, ...]
    polis_consensus: dict[str, list[int]]
    divisive: tuple[int, ...]
    silhouettes: dict[int, float]
    pca: Pca

    def to_json(self) -> dict:
        """The ``parlons opinions compute --json`` document."""
        participants = {
            str(int(pid)): {
                "group": None if g < 0 else int(g),
                "x": float(x),
                "y": float(y),
            }
            for pid, g, x, y in zip(self.participant_ids, self.group, self.x, self.y, strict=True)
        }
        groups = [
            {"id": g.id, "size": g.size, "representative": [r.comment_id for r in g.representative]}
            for g in self.groups
        ]
        return {
            "participants": participants,
            "groups": groups,
            "consensus": list(self.consensus),
            "divisive": list(self.divisive),
        }


@dataclass
class OpinionState:
    """Everything an update needs from the previous one (Polis ``conv``); picklable."""

    config: OpinionConfig = field(default_factory=OpinionConfig)
    matrix: VoteMatrix = field(default_factory=VoteMatrix)
    moderated_out_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    in_conv: np.ndarray | None = None
    pca: Pca | None = None
    base_labels: np.ndarray | None = None
    group_labels: dict[int, dict[int, int]] = field(default_factory=dict)
    smoother: KSmoother = field(default_factory=KSmoother)
    result: OpinionMap | None = None
    # Derived data kept between updates in memory (not pickled): see ``incremental.py``.
    _cache: MatrixCache | None = field(default=None, repr=False, compare=False)
    _pending: list = field(default_factory=list, repr=False, compare=False)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_cache"], state["_pending"] = None, []
        return state

    def __setstate__(self, state: dict) -> None:
        config = state.get("config")
        if config is not None:  # a config pickled before a field was added: defaults
            missing = object()
            known = {item.name: getattr(config, item.name, missing) for item in fields(config)}
            state["config"] = OpinionConfig(**{k: v for k, v in known.items() if v is not missing})
        state.setdefault("_cache", None)
        state.setdefault("_pending", [])
        self.__dict__.update(state)

    def add_votes(self, *, batch: VoteBatch) -> int:
        """Store new votes (latest per participant and comment wins); returns how many
        stored votes changed. Cheap: the map is only recomputed by ``recompute``."""
        changes = self.matrix.add_changes(batch=batch)
        if self._cache is not None and changes.count:
            if changes.initial:
                self._cache = None
            else:
                self._pending.append(changes)
        return changes.count

    def set_moderated_out(self, *, comment_ids: list[int] | np.ndarray) -> None:
        """Comments hidden by moderation (Polis ``mod-out``): kept out of the PCA and of
        the comment lists, as zeroed columns."""
        self.moderated_out_ids = np.unique(np.asarray(comment_ids, dtype=np.int64))

    def update(self, *, batch: VoteBatch) -> OpinionMap:
        """``add_votes`` then a fast, bounded update of the map (``recompute`` when there
        is no previous map).

        Everything is recomputed for everyone (coordinates, clusters, groups, statements),
        but from data changed by the new votes only, and the components take at most
        ``config.update_pca_steps`` power steps from the previous ones instead of
        iterating to ``config.pca_tol``: after a small batch they are within about 1e-3
        of the converged ones (tested). Call ``recompute`` (the debounced background task)
        for the converged map; it also warm-starts the next updates."""
        self.add_votes(batch=batch)
        if self.result is None or self.pca is None or self.base_labels is None:
            return self.recompute()
        return self._fast_update()

    def recompute(self) -> OpinionMap:
        """Recompute the map, warm-started from the previous update."""
        votes = self.matrix.to_csr()
        comment_ids = self.matrix.comments.names
        mod_out = np.isin(comment_ids, self.moderated_out_ids)
        self._cache, self._pending = MatrixCache(matrix=self.matrix, votes=votes), []
        centred, center = center_votes(votes=votes, moderated_out=mod_out)
        start = None if self.pca is None else self.pca.comps
        basis = None if self.pca is None else getattr(self.pca, "basis", None)
        self.pca = fit_pca(
            centred=centred,
            center=center,
            start=start,
            start_basis=basis,
            tol=self.config.pca_tol,
        )
        proj = project_participants(centred=centred, pca=self.pca, moderated_out=mod_out)
        del centred, votes
        return self._finish(proj, comment_ids, mod_out, base_iters=self.config.base_iters)

    def _fast_update(self) -> OpinionMap:
        cache = self._cache
        if cache is not None:
            for changes in self._pending:
                cache.apply(changes, shape=self.matrix.shape)
        self._pending = []
        if cache is None or cache.nnz != self.matrix.n_votes:
            cache = MatrixCache(matrix=self.matrix)
        self._cache = cache
        comment_ids = self.matrix.comments.names
        mod_out = np.isin(comment_ids, self.moderated_out_ids)
        centred, center = cache.centred(matrix=self.matrix, moderated_out=mod_out)
        self.pca, raw = refine_pca(
            centred=centred,
            center=center,
            previous=self.pca,
            steps=getattr(self.config, "update_pca_steps", 1),  # configs pickled before it
            tol=self.config.pca_tol,
        )
        proj = project_participants(centred=centred, pca=self.pca, moderated_out=mod_out, raw=raw)
        del centred
        iters = getattr(self.config, "update_base_iters", 1)  # configs pickled before it
        return self._finish(
            proj, comment_ids, mod_out, base_iters=min(iters, self.config.base_iters)
        )

    def _finish(self, proj, comment_ids, mod_out, *, base_iters: int) -> OpinionMap:
        cache = self._cache
        self.in_conv = in_conversation(
            vote_counts=np.diff(cache.indptr),
            n_comments=cache.n_cols,
            previous=self.in_conv,
            min_votes=self.config.min_votes,
            greedy_n=self.config.greedy_n,
        )
        base = self._base_clusters(proj, max_iters=base_iters)
        cache.relabel(base_labels=self.base_labels, matrix=self.matrix)
        row_group, groups = self._group_clusters(base, proj)
        group_ids = np.unique(row_group[row_group >= 0])
        counts, everyone = cache.counts(
            base_ids=base.ids if groups is not None else base.ids[:0],
            group_of_base=groups.labels if groups is not None else base.ids[:0],
            group_ids=group_ids,
        )
        self.result = self._summarise(
            counts, everyone, proj, row_group, group_ids, comment_ids, mod_out
        )
        return self.result

    def _base_clusters(self, proj: np.ndarray, *, max_iters: int) -> Clusters:
        rows = np.flatnonzero(self.in_conv)
        previous = np.full(proj.shape[0], -1, dtype=np.int64)
        if self.base_labels is not None:
            previous[: self.base_labels.shape[0]] = self.base_labels
        base = kmeans(
            points=proj[rows],
            k=self.config.base_k,
            previous_labels=previous[rows] if self.base_labels is not None else None,
            max_iters=max_iters,
        )
        labels = np.full(proj.shape[0], -1, dtype=np.int64)
        labels[rows] = base.labels
        self.base_labels = labels
        return base

    def _group_clusters(self, base: Clusters, proj: np.ndarray):
        weights = base.sizes().astype(np.float64)
        clusterings, silhouettes = {}, {}
        for k in k_range(n_base=base.ids.shape[0], max_k=self.config.max_k):
            previous = self.group_labels.get(k)
            prior = None
            if previous:
                prior = np.array([previous.get(int(b), -1) for b in base.ids], dtype=np.int64)
            clusterings[k] = kmeans(
                points=base.centers,
                k=k,
                weights=weights,
                previous_labels=prior,
                max_iters=self.config.group_iters,
            )
            silhouettes[k] = silhouette(points=base.centers, labels=clusterings[k].labels)
        self.group_labels = {
            k: dict(zip(base.ids.tolist(), c.labels.tolist(), strict=True))
            for k, c in clusterings.items()
        }
        if not clusterings:
            return np.full(proj.shape[0], -1, dtype=np.int64), None
        this_k = best_k(silhouettes)
        self.smoother = self.smoother.advance(this_k=this_k, buffer=self.config.group_k_buffer)
        k = self.smoother.smoothed_k if self.smoother.smoothed_k in clusterings else this_k
        self._silhouettes = silhouettes
        groups = clusterings[k]
        return _row_groups(self.base_labels, base.ids, groups.labels), groups

    def _summarise(
        self, counts, everyone, proj, row_group, group_ids, comment_ids, mod_out
    ) -> OpinionMap:
        index = np.full(proj.shape[0], -1, dtype=np.int64)
        member = row_group >= 0
        index[member] = np.searchsorted(group_ids, row_group[member])
        stats = rp.repness_stats(counts)
        reps = rp.select_representative(stats=stats, comment_ids=comment_ids, moderated_out=mod_out)
        centers = np.array(
            [proj[index == g].mean(axis=0) for g in range(group_ids.shape[0])]
        ).reshape(-1, 2)
        closest = (
            group_ids[nearest(points=proj, centers=centers)]
            if group_ids.size
            else np.full(proj.shape[0], -1)
        )
        sizes = np.bincount(index[member], minlength=group_ids.shape[0])
        opinion_groups = tuple(
            OpinionGroup(
                id=int(gid),
                size=int(sizes[i]),
                center=(float(centers[i, 0]), float(centers[i, 1])),
                representative=tuple(reps[i]),
            )
            for i, gid in enumerate(group_ids)
        )
        return OpinionMap(
            participant_ids=self.matrix.participants.names.copy(),
            x=proj[:, 0].copy(),
            y=proj[:, 1].copy(),
            group=row_group,
            closest_group=closest,
            comment_ids=comment_ids.copy(),
            groups=opinion_groups,
            consensus=tuple(
                rp.consensus_comments(counts=counts, comment_ids=comment_ids, moderated_out=mod_out)
            ),
            polis_consensus=rp.polis_consensus(
                counts=everyone, comment_ids=comment_ids, moderated_out=mod_out
            ),
            divisive=tuple(
                rp.divisive_comments(counts=counts, comment_ids=comment_ids, moderated_out=mod_out)
            ),
            silhouettes=dict(getattr(self, "_silhouettes", {})),
            pca=self.pca,
        )


def _row_groups(base_labels: np.ndarray, base_ids: np.ndarray, group_of_base: np.ndarray):
    """Group of each row from its base cluster (-1 for rows in no base cluster)."""
    table = np.full(int(max(base_ids.max(initial=-1), base_labels.max(initial=-1))) + 2, -1)
    table[base_ids + 1] = group_of_base
    return table[base_labels + 1].astype(np.int64)


def compute_opinion_map(
    *,
    votes: VoteBatch,
    moderated_out: list[int] | np.ndarray = (),
    config: OpinionConfig | None = None,
) -> OpinionMap:
    """Full computation from scratch (a fresh ``OpinionState``)."""
    state = OpinionState(config=config or OpinionConfig())
    state.set_moderated_out(comment_ids=np.asarray(moderated_out, dtype=np.int64))
    state.add_votes(batch=votes)
    return state.recompute()
