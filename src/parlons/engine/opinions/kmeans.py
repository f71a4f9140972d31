"""Polis' k-means: seeded by the first distinct rows, warm-started from the last clustering.

Matches ``math/src/polismath/math/clusters.clj``: ``init-clusters`` (first k distinct
rows in row order), ``cluster-step`` (nearest centre, last centre wins a tie, empty
clusters dropped, weighted means), ``same-clustering?`` (sorted centres all within 0.01),
``kmeans`` (at most ``max-iters`` + 1 steps), ``clean-start-clusters`` (recentre the last
clusters on the new data, merge identical centres, split off the most distal point until
there are k clusters) and ``silhouette``. Labels are cluster ids, -1 for "no cluster".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_CHUNK = 65536


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
    """Index of the nearest centre per point; on a tie the last centre wins (``min-key``).

    Squared distances use |x|² + |c|² - 2x·c like vectorz (CLOJURE_QUIRKS Q11), in chunks
    so that memory stays bounded by the chunk size times the number of centres.
    """
    out = np.empty(points.shape[0], dtype=np.int64)
    c_sq = np.einsum("ij,ij->i", centers, centers)
    last = centers.shape[0] - 1
    for start in range(0, points.shape[0], _CHUNK):
        chunk = points[start : start + _CHUNK]
        d2 = np.einsum("ij,ij->i", chunk, chunk)[:, None] + c_sq[None, :] - 2.0 * chunk @ centers.T
        np.maximum(d2, 0.0, out=d2)
        out[start : start + _CHUNK] = last - np.argmin(d2[:, ::-1], axis=1)
    return out


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
    for remaining in range(max_iters, -1, -1):
        new = cluster_step(points=points, clusters=clusters, weights=weights)
        if remaining == 0 or same_clustering(a=clusters, b=new):
            return new
        clusters = new
    return clusters  # pragma: no cover - the loop always returns


def clean_start(
    *, points: np.ndarray, labels: np.ndarray, k: int, weights: np.ndarray | None
) -> Clusters:
    """Polis ``clean-start-clusters``: recentre, merge identical centres, split off the most
    distal point (new id = max id + 1) until there are min(k, distinct points) clusters."""
    labels = _merge_identical(points=points, labels=labels.copy(), weights=weights)
    possible = min(k, np.unique(points, axis=0).shape[0])
    while True:
        clusters = _recentred(points=points, labels=labels, weights=weights)
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
