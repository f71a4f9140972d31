"""Sparse PCA of the vote matrix and Polis' sparsity-aware projection.

Polis (``math/src/polismath/math/conversation.clj`` ``:mat``, ``pca.clj`` ``powerit-pca``)
fills each missing vote with its comment's mean and then centres the columns. The centre
is therefore the per-comment mean of the cast votes, and the centred matrix is zero
wherever nobody voted: centring is implicit, the matrix stays exactly as sparse as the
votes. Moderated-out comments are zeroed columns (``named_matrix.clj`` ``zero-out-columns``).

The components are found by block power (subspace) iteration with Rayleigh-Ritz, warm
started from the previous components as Polis warm-starts ``power-iteration`` from the
last ``:comps``; only products with the sparse matrix are ever formed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, slots=True)
class Pca:
    """Centre (per-comment mean vote) and unit principal components, shape (k, comments)."""

    center: np.ndarray
    comps: np.ndarray
    iterations: int = 0
    basis: np.ndarray | None = None  # all Ritz vectors (comments, block), for warm starts


def center_votes(
    *, votes: sp.csr_matrix, moderated_out: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Centre each comment on its mean cast vote; moderated-out comments become zero.

    ``moderated_out`` is a boolean mask over columns. Returns (centred matrix, centre).
    """
    n_cols = votes.shape[1]
    counts = np.bincount(votes.indices, minlength=n_cols)
    sums = np.bincount(votes.indices, weights=votes.data, minlength=n_cols)
    center = np.divide(sums, counts, out=np.zeros(n_cols), where=counts > 0)
    center[moderated_out] = 0.0
    data = votes.data - center[votes.indices]
    data[moderated_out[votes.indices]] = 0.0
    centred = sp.csr_matrix((data, votes.indices, votes.indptr), shape=votes.shape)
    return centred, center


def fit_pca(
    *,
    centred: sp.csr_matrix,
    center: np.ndarray,
    n_comps: int = 2,
    start: np.ndarray | None = None,
    start_basis: np.ndarray | None = None,
    tol: float = 1e-6,
    max_iter: int = 200,
    seed: int = 0,
) -> Pca:
    """Top ``n_comps`` eigenvectors of CᵀC by subspace iteration (Polis ``powerit-pca``).

    ``start`` (previous components, possibly over fewer comments) warm-starts the
    iteration; new comments are padded with zeros. ``start_basis`` (the previous
    ``Pca.basis``) warm-starts the whole block, so that the vectors beyond the first
    ``n_comps`` need not converge again from random. Stops when every Ritz residual
    ``|CᵀC v - λ v| / λ`` is under ``tol``.
    """
    n_rows, n_cols = centred.shape
    rank = min(n_rows, n_cols)
    if rank == 0:
        return Pca(center=center, comps=np.zeros((n_comps, n_cols)))
    block = min(n_comps + 2, rank)
    warm = start if start_basis is None else start_basis.T
    basis = _start_basis(n_cols=n_cols, block=block, start=warm, seed=seed)
    previous = None if start is None else _pad(start, n_cols)
    iteration = 0
    while True:
        iteration += 1
        ritz, values, image, _ = _rayleigh_ritz(centred=centred, basis=basis)
        done = _converged(
            ritz=ritz, values=values, image=image, n_comps=min(n_comps, block), tol=tol
        )
        if done or iteration >= max_iter:
            break
        basis, _ = np.linalg.qr(image)
    comps = _oriented(ritz[:, :n_comps].T, previous=previous)
    if comps.shape[0] < n_comps:
        comps = np.vstack([comps, np.zeros((n_comps - comps.shape[0], n_cols))])
    return Pca(center=center, comps=comps, iterations=iteration, basis=ritz)


def _pad(vectors: np.ndarray, n_cols: int) -> np.ndarray:
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float64))[:, :n_cols]
    padded = np.zeros((vectors.shape[0], n_cols))
    padded[:, : vectors.shape[1]] = vectors
    return padded


def _start_basis(*, n_cols: int, block: int, start: np.ndarray | None, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    basis = rng.standard_normal((n_cols, block))
    if start is not None:
        warm = _pad(start, n_cols)[:block].T
        keep = np.linalg.norm(warm, axis=0) > 0
        basis[:, : keep.sum()] = warm[:, keep]
    basis, _ = np.linalg.qr(basis)
    return basis


def _rayleigh_ritz(*, centred: sp.csr_matrix, basis: np.ndarray, image: bool = True):
    """Ritz vectors and values of CᵀC on span(basis), CᵀC applied to them (None when
    ``image`` is false) and the scores C·ritz."""
    scores = centred @ basis
    gram = scores.T @ scores
    values, rotation = np.linalg.eigh(gram)
    order = np.argsort(values)[::-1]
    values, rotation = values[order], rotation[:, order]
    ritz = basis @ rotation
    scores = np.asarray(scores @ rotation)
    if not image:
        return ritz, values, None, scores
    return ritz, values, np.asarray(centred.T @ scores), scores


def refine_pca(
    *,
    centred: sp.csr_matrix,
    center: np.ndarray,
    previous: Pca,
    steps: int = 1,
    n_comps: int = 2,
    tol: float = 1e-6,
) -> tuple[Pca, np.ndarray]:
    """Bounded update of ``previous`` to a changed matrix: Rayleigh-Ritz on the previous
    block, at most ``steps`` power steps (fewer once every residual is under ``tol``),
    Rayleigh-Ritz again. Costs 2·steps + 1 sparse products (a converged ``fit_pca`` from
    the same start takes several iterations of 2). Also returns the raw projection
    C·compsᵀ, shape (rows, n_comps), which the last Rayleigh-Ritz step gives for free."""
    n_rows, n_cols = centred.shape
    rank = min(n_rows, n_cols)
    block = min(n_comps + 2, rank)
    if block < n_comps or previous is None:
        pca = fit_pca(centred=centred, center=center, n_comps=n_comps, tol=tol)
        return pca, np.asarray(centred @ pca.comps[:n_comps].T)
    warm = previous.comps if previous.basis is None else previous.basis.T
    basis = _start_basis(n_cols=n_cols, block=block, start=warm, seed=0)
    prior = _pad(previous.comps, n_cols)
    iteration = 0
    while True:
        iteration += 1
        last = iteration > steps
        ritz, values, image, scores = _rayleigh_ritz(centred=centred, basis=basis, image=not last)
        if last or _converged(ritz=ritz, values=values, image=image, n_comps=n_comps, tol=tol):
            break
        basis, _ = np.linalg.qr(image)
    comps = _oriented(ritz[:, :n_comps].T, previous=prior)
    signs = np.where(np.sum(comps * ritz[:, :n_comps].T, axis=1) < 0, -1.0, 1.0)
    raw = scores[:, :n_comps] * signs
    pca = Pca(center=center, comps=comps, iterations=iteration, basis=ritz)
    return pca, raw


def _converged(*, ritz, values, image, n_comps: int, tol: float) -> bool:
    top = values[:n_comps]
    if top[0] <= 0:
        return True
    residual = np.linalg.norm(image[:, :n_comps] - ritz[:, :n_comps] * top, axis=0)
    return bool(np.all(residual <= tol * max(top[0], 1e-300)))


def _oriented(comps: np.ndarray, *, previous: np.ndarray | None) -> np.ndarray:
    """Fix each component's sign: same direction as before, else largest entry positive."""
    comps = comps.copy()
    for i, comp in enumerate(comps):
        if previous is not None and i < previous.shape[0] and np.any(previous[i]):
            sign = np.sign(comp @ previous[i]) or 1.0
        else:
            sign = np.sign(comp[np.argmax(np.abs(comp))]) or 1.0
        comps[i] = comp * sign
    return comps


def project_participants(
    *, centred: sp.csr_matrix, pca: Pca, moderated_out: np.ndarray, raw: np.ndarray | None = None
) -> np.ndarray:
    """Polis ``sparsity-aware-project-ptpts``: project only cast votes, then scale by
    sqrt(comments / votes) so that people who voted little are not pulled to the centre.

    A moderated-out column is zero, not missing, in Polis' rating matrix, so it counts as
    a vote for everyone in the scale (kept for parity).
    """
    n_rows, n_cols = centred.shape
    n_votes = np.diff(centred.indptr).astype(np.int64)
    n_out = int(moderated_out.sum())
    if n_out:
        on_out = moderated_out[centred.indices]
        rows = np.repeat(np.arange(n_rows), np.diff(centred.indptr))
        n_votes = n_votes - np.bincount(rows[on_out], minlength=n_rows) + n_out
    if raw is None:  # else the caller's C·compsᵀ (``refine_pca``)
        raw = np.asarray(centred @ pca.comps[:2].T)
    scale = np.sqrt(n_cols / np.maximum(n_votes, 1))
    return raw * scale[:, None]
