"""What an update keeps from the last one so that new votes cost little: the vote matrix's
CSR structure, the per-comment vote counts and sums (the centre), and the vote counts per
base cluster and comment, each changed by the new votes only.

The per-group counts of the representative-comment statistics are sums of the counts of
the base clusters in each group; participants who move to another base cluster move their
votes from one count to the other, so an update recounts only their rows and the new votes
(or everything, when many participants moved).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from parlons.engine.opinions.repness import VoteCounts
from parlons.engine.opinions.votes import VoteChanges, VoteMatrix

_COLUMN_BITS = 32
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1
# Above this share of participants changing base cluster, recount everything in one pass.
_RECOUNT_SHARE = 0.125


class MatrixCache:
    """CSR structure, column counts and sums and per-base-cluster vote tallies, kept in
    step with a ``VoteMatrix`` through its ``VoteChanges``."""

    def __init__(self, *, matrix: VoteMatrix, votes: sp.csr_matrix | None = None) -> None:
        votes = matrix.to_csr() if votes is None else votes
        self.n_rows, self.n_cols = votes.shape
        self.indptr = votes.indptr.astype(np.int64)
        self.indices = votes.indices
        self.col_count = np.bincount(self.indices, minlength=self.n_cols).astype(np.int64)
        self.col_sum = np.bincount(
            self.indices, weights=matrix._votes, minlength=self.n_cols
        ).astype(np.int64)
        self.row_slot = np.zeros(self.n_rows, dtype=np.int64)  # base cluster id + 1
        self.tally: np.ndarray | None = None  # (slots, comments, vote + 1), int32
        self._buffer: np.ndarray | None = None

    @property
    def nnz(self) -> int:
        return int(self.indices.shape[0])

    def apply(self, changes: VoteChanges, *, shape: tuple[int, int]) -> None:
        """Bring the cache from the matrix before ``changes`` to the matrix after."""
        self._grow(shape)
        rows = changes.fresh_keys >> _COLUMN_BITS
        cols = changes.fresh_keys & _COLUMN_MASK
        if rows.size:
            self.indices = np.insert(
                self.indices, changes.fresh_at, cols.astype(self.indices.dtype)
            )
            per_row = np.bincount(rows, minlength=self.n_rows)
            self.indptr[1:] += np.cumsum(per_row)
            np.add.at(self.col_count, cols, 1)
            np.add.at(self.col_sum, cols, changes.fresh_votes.astype(np.int64))
            self._count(rows, cols, changes.fresh_votes, 1)
        r_rows = changes.replaced_keys >> _COLUMN_BITS
        r_cols = changes.replaced_keys & _COLUMN_MASK
        if r_rows.size:
            delta = changes.replaced_new.astype(np.int64) - changes.replaced_old
            np.add.at(self.col_sum, r_cols, delta)
            self._count(r_rows, r_cols, changes.replaced_old, -1)
            self._count(r_rows, r_cols, changes.replaced_new, 1)

    def _grow(self, shape: tuple[int, int]) -> None:
        n_rows, n_cols = shape
        if n_rows > self.n_rows:
            self.indptr = np.concatenate(
                [self.indptr, np.full(n_rows - self.n_rows, self.indptr[-1])]
            )
            self.row_slot = np.concatenate(
                [self.row_slot, np.zeros(n_rows - self.n_rows, np.int64)]
            )
            self.n_rows = n_rows
        if n_cols > self.n_cols:
            extra = n_cols - self.n_cols
            self.col_count = np.concatenate([self.col_count, np.zeros(extra, np.int64)])
            self.col_sum = np.concatenate([self.col_sum, np.zeros(extra, np.int64)])
            if self.tally is not None:
                self.tally = np.pad(self.tally, ((0, 0), (0, extra), (0, 0)))
            self.n_cols = n_cols

    def _count(self, rows: np.ndarray, cols: np.ndarray, votes: np.ndarray, sign: int) -> None:
        if self.tally is None:
            return
        flat = self.tally.reshape(-1)
        code = (self.row_slot[rows] * self.n_cols + cols) * 3 + (votes.astype(np.int64) + 1)
        cells, times = np.unique(code, return_counts=True)  # faster than np.add.at
        flat[cells] += sign * times.astype(flat.dtype)

    def centred(self, *, matrix: VoteMatrix, moderated_out: np.ndarray):
        """The centred vote matrix and the centre, as ``pca.center_votes`` gives them."""
        center = np.divide(
            self.col_sum, self.col_count, out=np.zeros(self.n_cols), where=self.col_count > 0
        )
        center[moderated_out] = 0.0
        # One buffer reused across updates (a fresh one would cost page faults each time);
        # the returned matrix is a view of it, valid until the next call.
        nnz = self.nnz
        if self._buffer is None or self._buffer.shape[0] < nnz:
            self._buffer = np.empty(nnz + max(nnz // 64, 1024))
        data = self._buffer[:nnz]
        np.take(center, self.indices, out=data)
        np.subtract(matrix._votes, data, out=data)
        if moderated_out.any():
            data[moderated_out[self.indices]] = 0.0
        centred = sp.csr_matrix(
            (data, self.indices, self.indptr.astype(self.indices.dtype)),
            shape=(self.n_rows, self.n_cols),
        )
        return centred, center

    def relabel(self, *, base_labels: np.ndarray, matrix: VoteMatrix) -> None:
        """Move the tallies to new base clusters (label -1: in none)."""
        slots = np.zeros(self.n_rows, dtype=np.int64)
        slots[: base_labels.shape[0]] = base_labels + 1
        n_slots = int(slots.max(initial=0)) + 1
        moved = np.flatnonzero(slots != self.row_slot)
        if self.tally is None or moved.shape[0] > _RECOUNT_SHARE * self.n_rows:
            self.row_slot = slots
            self._recount(matrix=matrix, n_slots=n_slots)
            return
        if n_slots > self.tally.shape[0]:
            self.tally = np.pad(self.tally, ((0, n_slots - self.tally.shape[0]), (0, 0), (0, 0)))
        if not moved.size:
            return
        starts, ends = self.indptr[moved], self.indptr[moved + 1]
        lengths = ends - starts
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        rows = np.repeat(moved, lengths)
        cols = self.indices[at].astype(np.int64)
        votes = matrix._votes[at]
        self._count(rows, cols, votes, -1)
        self.row_slot = slots
        self._count(rows, cols, votes, 1)

    def _recount(self, *, matrix: VoteMatrix, n_slots: int) -> None:
        rows = np.repeat(self.row_slot, np.diff(self.indptr))
        code = (rows * self.n_cols + self.indices) * 3 + (matrix._votes.astype(np.int64) + 1)
        size = n_slots * self.n_cols * 3
        self.tally = (
            np.bincount(code, minlength=size).astype(np.int32).reshape(n_slots, self.n_cols, 3)
        )

    def counts(
        self, *, base_ids: np.ndarray, group_of_base: np.ndarray, group_ids: np.ndarray
    ) -> tuple[VoteCounts, VoteCounts]:
        """Per group counts (groups in ``group_ids`` order) and the counts over everyone,
        as ``repness.count_group_and_total_votes`` gives them."""
        tally = np.zeros((group_ids.shape[0], self.n_cols, 3), dtype=np.int64)
        index = np.searchsorted(group_ids, group_of_base)
        for g in range(group_ids.shape[0]):
            tally[g] = self.tally[base_ids[index == g] + 1].sum(axis=0, dtype=np.int64)
        total = self.tally.sum(axis=0, keepdims=True, dtype=np.int64)

        def counts(t: np.ndarray) -> VoteCounts:
            return VoteCounts(agree=t[:, :, 2], disagree=t[:, :, 0], seen=t.sum(axis=2))

        return counts(tally), counts(total)
