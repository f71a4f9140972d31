"""Polis' k-means: seeded by the first distinct rows, warm-started from the last clustering.

Matches ``math/src/polismath/math/clusters.clj``: ``init-clusters`` (first k distinct
rows in row order), ``cluster-step`` (nearest centre, last centre wins a tie, empty
clusters dropped, weighted means), ``same-clustering?`` (sorted centres all within 0.01),
``kmeans`` (at most ``max-iters`` + 1 steps), ``clean-start-clusters`` (recentre the last
clusters on the new data, merge identical centres, split off the most distal point until
there are k clusters) and ``silhouette``. Labels are cluster ids, -1 for "no cluster".

Nearest centres are exact Euclidean distances from a k-d tree over the centres (Polis
computes |x|² + |c|² − 2x·c with vectorz, CLOJURE_QUIRKS Q11; the two can differ only on
near-ties at rounding level), and Lloyd steps keep Hamerly bounds so that a step only
searches the points whose nearest centre may have changed: the same clustering as a full
search at every step, in O(points) memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree


@dataclass(frozen=True, slots=True)
class Clusters:
    """Cluster ids (ascending), their centres, and the cluster id of every point."""

    ids: np.ndarray
    centers: np.ndarray
    labels: np.ndarray

    def sizes(self, *, weights: np.ndarray | None = None) -> np.ndarray:
        """Member count (or summed weight) of each cluster, in ``ids`` order."""
        index = np.searchsorted(self.ids, self.labels)
        return np.bincount(index, weights=weights, minlength=self.ids.shape[0])


def nearest(*, points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest centre per point; on a tie the last centre wins (``min-key``)."""
    return _nearest_two(points=points, centers=centers)[0]


def _nearest_two(*, points: np.ndarray, centers: np.ndarray):
    """Nearest centre (ties to the last), its distance, and the distance to the second
    nearest (inf when there is one centre). A k-d tree over the centres keeps this
    O(points · log centres) in time and O(points) in memory."""
    n_centers = centers.shape[0]
    if n_centers == 1 or points.shape[0] == 0:
        d0 = np.linalg.norm(points - centers[0], axis=1) if n_centers else np.empty(0)
        return np.zeros(points.shape[0], np.int64), d0, np.full(points.shape[0], np.inf)
    dist, index = cKDTree(centers).query(points, k=2)
    tie = dist[:, 0] == dist[:, 1]
    first = np.where(tie, index.max(axis=1), index[:, 0]).astype(np.int64)
    return first, dist[:, 0], dist[:, 1]


def _means(points: np.ndarray, index: np.ndarray, k: int, weights: np.ndarray | None):
    w = np.ones(points.shape[0]) if weights is None else weights
    total = np.bincount(index, weights=w, minlength=k)
    sums = np.stack(
        [np.bincount(index, weights=w * points[:, d], minlength=k) for d in range(points.shape[1])],
        axis=1,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / total[:, None], np.bincount(index, minlength=k)


def init_clusters(*, points: np.ndarray, k: int) -> Clusters:
    """The first ``k`` distinct rows, in row order, as centres with ids 0..k-1."""
    _, first = np.unique(points, axis=0, return_index=True)
    first = np.sort(first)[:k]
    ids = np.arange(first.shape[0], dtype=np.int64)
    return Clusters(ids=ids, centers=points[first], labels=np.full(points.shape[0], -1))


def cluster_step(*, points: np.ndarray, clusters: Clusters, weights: np.ndarray | None) -> Clusters:
    """Assign each point to its nearest centre, drop empty clusters, recompute centres."""
    index = nearest(points=points, centers=clusters.centers)
    centers, counts = _means(points, index, clusters.ids.shape[0], weights)
    keep = counts > 0
    return Clusters(ids=clusters.ids[keep], centers=centers[keep], labels=clusters.ids[index])


def same_clustering(*, a: Clusters, b: Clusters, threshold: float = 0.01) -> bool:
    """Polis ``same-clustering?``: sorted centres pairwise closer than ``threshold``."""
    ca = a.centers[np.lexsort(a.centers.T[::-1])]
    cb = b.centers[np.lexsort(b.centers.T[::-1])]
    n = min(ca.shape[0], cb.shape[0])
    return bool(np.all(np.linalg.norm(ca[:n] - cb[:n], axis=1) < threshold))


def kmeans(
    *,
    points: np.ndarray,
    k: int,
    weights: np.ndarray | None = None,
    previous_labels: np.ndarray | None = None,
    max_iters: int = 20,
) -> Clusters:
    """Polis ``kmeans``: warm start from ``previous_labels`` (cluster id per point, -1 for
    points new since then) when given, else ``init-clusters``."""
    if points.shape[0] == 0:
        return Clusters(
            ids=np.empty(0, np.int64),
            centers=np.empty((0, points.shape[1])),
            labels=np.empty(0, np.int64),
        )
    if previous_labels is not None and np.any(previous_labels >= 0):
        clusters = clean_start(points=points, labels=previous_labels, k=k, weights=weights)
    else:
        clusters = init_clusters(points=points, k=k)
    bounds = _Bounds(points=points, centers=clusters.centers)
    for remaining in range(max_iters, -1, -1):
        new, kept = _step(points=points, clusters=clusters, weights=weights, index=bounds.index)
        if remaining == 0 or same_clustering(a=clusters, b=new):
            return new
        bounds.moved(points=points, old=clusters.centers[kept], new=new.centers, kept=kept)
        clusters = new
    return clusters  # pragma: no cover - the loop always returns


class _Bounds:
    """Exact nearest-centre assignments kept across Lloyd steps with Hamerly's bounds: an
    upper bound on the distance to the assigned centre and a lower bound on the distance
    to every other one. Only points whose bounds overlap after the centres move are
    looked up again, so late steps, and steps warm-started from a previous clustering,
    touch few points. Assignments are the same as a full search at every step."""

    def __init__(self, *, points: np.ndarray, centers: np.ndarray) -> None:
        self.index, self.upper, self.lower = _nearest_two(points=points, centers=centers)

    def moved(self, *, points, old: np.ndarray, new: np.ndarray, kept: np.ndarray) -> None:
        remap = np.full(kept.shape[0], -1, dtype=np.int64)
        remap[np.flatnonzero(kept)] = np.arange(int(kept.sum()))
        self.index = remap[self.index]
        shift = np.linalg.norm(new - old, axis=1)
        self.upper = self.upper + shift[self.index]
        # The lower bound falls by the largest shift among the other centres.
        order = np.argsort(shift)[::-1]
        top = shift[order[0]] if shift.size else 0.0
        second = shift[order[1]] if shift.size > 1 else 0.0
        self.lower = self.lower - np.where(self.index == order[0], second, top)
        # Half the distance from each centre to its nearest other centre: a point closer
        # than that to its centre cannot be nearer another one.
        half = 0.5 * _nearest_two(points=new, centers=new)[2] if new.shape[0] > 1 else None
        limit = self.lower if half is None else np.maximum(self.lower, half[self.index])
        # Margin for rounding: a point is looked up again unless clearly settled.
        stale = self.upper >= limit - 1e-9 * (1.0 + np.abs(limit))
        if np.any(stale):
            # Tighten the upper bound to the true distance before searching.
            rows = np.flatnonzero(stale)
            self.upper[rows] = np.linalg.norm(points[rows] - new[self.index[rows]], axis=1)
            stale[rows] = self.upper[rows] >= limit[rows] - 1e-9 * (1.0 + np.abs(limit[rows]))
        if np.any(stale):
            index, upper, lower = _nearest_two(points=points[stale], centers=new)
            self.index[stale], self.upper[stale], self.lower[stale] = index, upper, lower


def _step(*, points: np.ndarray, clusters: Clusters, weights, index: np.ndarray):
    """``cluster_step`` given the nearest-centre index; also returns the kept mask."""
    centers, counts = _means(points, index, clusters.ids.shape[0], weights)
    keep = counts > 0
    new = Clusters(ids=clusters.ids[keep], centers=centers[keep], labels=clusters.ids[index])
    return new, keep


def clean_start(
    *, points: np.ndarray, labels: np.ndarray, k: int, weights: np.ndarray | None
) -> Clusters:
    """Polis ``clean-start-clusters``: recentre, merge identical centres, split off the most
    distal point (new id = max id + 1) until there are min(k, distinct points) clusters."""
    labels = _merge_identical(points=points, labels=labels.copy(), weights=weights)
    possible = None  # min(k, distinct points), counted only when fewer than k clusters
    while True:
        clusters = _recentred(points=points, labels=labels, weights=weights)
        if clusters.ids.shape[0] >= k:
            return clusters
        if possible is None:
            possible = min(k, np.unique(points, axis=0).shape[0])
        if clusters.ids.shape[0] >= possible:
            return clusters
        dist = np.sqrt(_min_sq_dist(points, clusters.centers))
        far = dist.shape[0] - 1 - int(np.argmax(dist[::-1]))
        if dist[far] <= 0:
            return clusters
        labels[far] = int(clusters.ids.max()) + 1


def _recentred(*, points: np.ndarray, labels: np.ndarray, weights: np.ndarray | None) -> Clusters:
    ids = np.unique(labels[labels >= 0])
    member = labels >= 0
    index = np.searchsorted(ids, labels[member])
    w = None if weights is None else weights[member]
    centers, _ = _means(points[member], index, ids.shape[0], w)
    return Clusters(ids=ids, centers=centers, labels=labels)


def _merge_identical(
    *, points: np.ndarray, labels: np.ndarray, weights: np.ndarray | None
) -> np.ndarray:
    """Polis ``uniqify-clusters``: clusters whose centres coincide become one (id of the
    larger one; the later one on equal sizes)."""
    if not np.any(labels >= 0):
        return labels
    clusters = _recentred(points=points, labels=labels, weights=weights)
    sizes = np.bincount(
        np.searchsorted(clusters.ids, labels[labels >= 0]), minlength=clusters.ids.shape[0]
    )
    _, group = np.unique(clusters.centers, axis=0, return_inverse=True)
    for g in np.unique(group):
        same = np.flatnonzero(group == g)
        if same.shape[0] < 2:
            continue
        keep = same[::-1][np.argmax(sizes[same][::-1])]
        labels[np.isin(labels, clusters.ids[same])] = clusters.ids[keep]
    return labels


def _min_sq_dist(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    out = np.empty(points.shape[0])
    step = 4096
    for start in range(0, points.shape[0], step):
        chunk = points[start : start + step]
        diff = chunk[:, None, :] - centers[None, :, :]
        out[start : start + step] = np.einsum("ijk,ijk->ij", diff, diff).min(axis=1)
    return out


def silhouette(*, points: np.ndarray, labels: np.ndarray) -> float:
    """Polis ``silhouette``: mean over points of (b - a) / max(a, b), 0 for a point alone
    in its cluster; -1 when there is a single cluster (no ``b``)."""
    ids, index = np.unique(labels, return_inverse=True)
    if ids.shape[0] < 2:
        return -1.0
    dist = np.sqrt(np.maximum(_pairwise_sq(points), 0.0))
    onehot = np.zeros((points.shape[0], ids.shape[0]))
    onehot[np.arange(points.shape[0]), index] = 1.0
    sums = dist @ onehot
    counts = onehot.sum(axis=0)
    rows = np.arange(points.shape[0])
    own = counts[index] - 1
    a = np.divide(sums[rows, index], own, out=np.zeros_like(own), where=own > 0)
    means = sums / counts[None, :]
    means[rows, index] = np.inf
    b = means.min(axis=1)
    top = np.maximum(a, b)
    s = np.divide(b - a, top, out=np.zeros_like(a), where=top > 0)
    s[own == 0] = 0.0
    return float(s.mean())


def _pairwise_sq(points: np.ndarray) -> np.ndarray:
    diff = points[:, None, :] - points[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)
