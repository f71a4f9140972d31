"""The vote matrix of an opinion map: latest vote wins, rows in order of arrival.

Matches the rating matrix of Polis (``math/src/polismath/math/named_matrix.clj``,
``update-nmat``): a participant's row and a comment's column are appended the first time
they appear in the (time-ordered) vote stream, and a later vote on the same
(participant, comment) pair replaces the earlier one. Row order matters for parity
because k-means is seeded with the first distinct rows (``clusters.clj`` ``init-clusters``).

Votes are kept as sorted ``row << 32 | column`` keys with their value and timestamp, so a
batch of new votes is merged with a binary search and one insertion, and the CSR matrix
is read straight off the sorted keys: nothing dense is ever built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

_COLUMN_BITS = 32
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1


@dataclass(frozen=True, slots=True)
class VoteBatch:
    """Votes as parallel arrays: agree = 1, disagree = -1, pass = 0 (Polis export convention).

    ``timestamp`` orders the votes; on equal timestamps the later position wins.
    """

    participant: np.ndarray
    comment: np.ndarray
    vote: np.ndarray
    timestamp: np.ndarray

    @classmethod
    def from_arrays(
        cls,
        *,
        participant: np.ndarray | list[int],
        comment: np.ndarray | list[int],
        vote: np.ndarray | list[int],
        timestamp: np.ndarray | list[int] | None = None,
    ) -> VoteBatch:
        """Validate and convert; without timestamps the input order is the time order."""
        participant = np.asarray(participant, dtype=np.int64)
        comment = np.asarray(comment, dtype=np.int64)
        vote = np.asarray(vote, dtype=np.int8)
        n = participant.shape[0]
        if timestamp is None:
            timestamp = np.arange(n, dtype=np.int64)
        timestamp = np.asarray(timestamp, dtype=np.int64)
        if not (comment.shape == vote.shape == timestamp.shape == (n,)):
            raise ValueError("participant, comment, vote and timestamp must have the same length")
        if n and not np.isin(vote, (-1, 0, 1)).all():
            raise ValueError("a vote must be -1 (disagree), 0 (pass) or 1 (agree)")
        if n and (participant.min() < 0 or comment.min() < 0):
            raise ValueError("participant and comment ids must be non-negative")
        return cls(participant=participant, comment=comment, vote=vote, timestamp=timestamp)

    def __len__(self) -> int:
        return int(self.participant.shape[0])

    def in_time_order(self) -> VoteBatch:
        """The same votes sorted by timestamp (stable, so ties keep input order)."""
        if self.timestamp.shape[0] < 2 or np.all(self.timestamp[1:] >= self.timestamp[:-1]):
            return self
        order = np.argsort(self.timestamp, kind="stable")
        return VoteBatch(
            participant=self.participant[order],
            comment=self.comment[order],
            vote=self.vote[order],
            timestamp=self.timestamp[order],
        )


_EMPTY_I64 = np.empty(0, dtype=np.int64)
_EMPTY_I8 = np.empty(0, dtype=np.int8)


@dataclass(frozen=True, slots=True)
class VoteChanges:
    """What one ``VoteMatrix.add`` changed. Positions are in the stored order before the
    merge (``fresh_at`` as ``np.insert`` takes them); keys are ``row << 32 | column``.
    ``initial``: the matrix was empty, everything is new (no detail kept)."""

    count: int
    initial: bool = False
    fresh_at: np.ndarray = field(default_factory=lambda: _EMPTY_I64)
    fresh_keys: np.ndarray = field(default_factory=lambda: _EMPTY_I64)
    fresh_votes: np.ndarray = field(default_factory=lambda: _EMPTY_I8)
    replaced_at: np.ndarray = field(default_factory=lambda: _EMPTY_I64)
    replaced_keys: np.ndarray = field(default_factory=lambda: _EMPTY_I64)
    replaced_old: np.ndarray = field(default_factory=lambda: _EMPTY_I8)
    replaced_new: np.ndarray = field(default_factory=lambda: _EMPTY_I8)

    @classmethod
    def none(cls) -> VoteChanges:
        return cls(count=0)


class _NameIndex:
    """Ids to positions, appended in order of first appearance (named_matrix ``IndexHash``)."""

    def __init__(self) -> None:
        self.names = np.empty(0, dtype=np.int64)
        self._sorted_names = np.empty(0, dtype=np.int64)
        self._sorted_positions = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return int(self.names.shape[0])

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        """Positions of ``ids``; -1 where unknown."""
        if not len(self):
            return np.full(ids.shape, -1, dtype=np.int64)
        at = np.searchsorted(self._sorted_names, ids)
        at = np.minimum(at, len(self) - 1)
        found = self._sorted_names[at] == ids
        return np.where(found, self._sorted_positions[at], -1)

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Positions of ``ids``, appending unknown ids in order of first appearance."""
        if not len(self):
            return self._first(ids)
        found = self.lookup(ids)
        unknown = ids[found < 0]
        if unknown.size:
            new, first = np.unique(unknown, return_index=True)
            new = new[np.argsort(first, kind="stable")]
            self.names = np.concatenate([self.names, new])
            order = np.argsort(self.names, kind="stable")
            self._sorted_names = self.names[order]
            self._sorted_positions = order.astype(np.int64)
            found = self.lookup(ids)
        return found

    def _first(self, ids: np.ndarray) -> np.ndarray:
        """An empty index takes all of ``ids`` at once. Ids are usually dense small
        integers (database keys): then a table indexed by id replaces the sort."""
        n = ids.shape[0]
        top = int(ids.max()) if n else 0
        dense = top <= 2 * n + 1_000_000
        if dense:
            first = np.full(top + 1, n, dtype=np.int64)
            np.minimum.at(first, ids, np.arange(n, dtype=np.int64))
            names = np.flatnonzero(first < n)
            first = first[names]
        else:
            names, first = np.unique(ids, return_index=True)
        arrival = np.argsort(first, kind="stable")
        rank = np.empty_like(arrival)
        rank[arrival] = np.arange(arrival.shape[0])
        self.names = names[arrival]
        self._sorted_names = names
        self._sorted_positions = rank.astype(np.int64)
        return self._dense_rank(ids, names, rank) if dense else self.lookup(ids)

    @staticmethod
    def _dense_rank(ids: np.ndarray, names: np.ndarray, rank: np.ndarray) -> np.ndarray:
        table = np.zeros(int(names[-1]) + 1, dtype=np.int64)
        table[names] = rank
        return table[ids]


def _stable_key_order(*, rows: np.ndarray, cols: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Stable argsort of ``row << 32 | col``. Least-significant-digit passes over 16-bit
    digits use numpy's radix sort (linear time) where the ids are small, as they are here
    (positions, not raw ids); a comparison sort otherwise."""
    top_col = int(cols.max()) if cols.size else 0
    top_row = int(rows.max()) if rows.size else 0
    if top_col >= 1 << 16 or top_row >= 1 << 32:
        return np.argsort(keys, kind="stable")
    order = np.argsort(cols.astype(np.uint16), kind="stable")
    for shift in (0, 16):
        if shift and top_row < 1 << 16:
            break
        digit = ((rows[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
    return order


class VoteMatrix:
    """Incremental, latest-vote-wins store of votes (Polis ``raw-rating-mat``)."""

    def __init__(self) -> None:
        self.participants = _NameIndex()
        self.comments = _NameIndex()
        self._keys = np.empty(0, dtype=np.int64)
        self._votes = np.empty(0, dtype=np.int8)
        self._times = np.empty(0, dtype=np.int64)

    @property
    def n_votes(self) -> int:
        """Number of (participant, comment) pairs with a vote (latest one)."""
        return int(self._keys.shape[0])

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.comments)

    def add(self, *, batch: VoteBatch) -> int:
        """Merge a batch; returns how many stored votes were added or replaced."""
        return self.add_changes(batch=batch).count

    def add_changes(self, *, batch: VoteBatch) -> VoteChanges:
        """``add``, returning what changed (for incremental updates of derived data)."""
        if not len(batch):
            return VoteChanges.none()
        batch = batch.in_time_order()
        rows = self.participants.positions(batch.participant)
        cols = self.comments.positions(batch.comment)
        keys = (rows << _COLUMN_BITS) | cols
        # Latest vote wins inside the batch: sorted stably by key, the last of each run of
        # equal keys is the latest vote on that pair.
        order = _stable_key_order(rows=rows, cols=cols, keys=keys)
        keys = keys[order]
        last = np.ones(keys.shape[0], dtype=bool)
        last[:-1] = keys[1:] != keys[:-1]
        order, keys = order[last], keys[last]
        votes = batch.vote[order]
        times = batch.timestamp[order]
        if not self.n_votes:
            self._keys, self._votes, self._times = keys, votes, times
            return VoteChanges(count=int(keys.shape[0]), initial=True)
        return self._merge(keys=keys, votes=votes, times=times)

    def _merge(self, *, keys: np.ndarray, votes: np.ndarray, times: np.ndarray) -> VoteChanges:
        at = np.searchsorted(self._keys, keys)
        clipped = np.minimum(at, self.n_votes - 1)
        existing = self._keys[clipped] == keys
        newer = existing & (times >= self._times[clipped])
        replaced_at = clipped[newer]
        replaced_old = self._votes[replaced_at].copy()
        self._votes[replaced_at] = votes[newer]
        self._times[replaced_at] = times[newer]
        fresh = ~existing
        self._keys = np.insert(self._keys, at[fresh], keys[fresh])
        self._votes = np.insert(self._votes, at[fresh], votes[fresh])
        self._times = np.insert(self._times, at[fresh], times[fresh])
        return VoteChanges(
            count=int(newer.sum() + fresh.sum()),
            fresh_at=at[fresh],
            fresh_keys=keys[fresh],
            fresh_votes=votes[fresh],
            replaced_at=replaced_at,
            replaced_keys=keys[newer],
            replaced_old=replaced_old,
            replaced_new=votes[newer],
        )

    def to_csr(self) -> sp.csr_matrix:
        """Votes as a CSR matrix (float64); passes are explicit zeros, missing is absent."""
        n_rows, n_cols = self.shape
        rows = self._keys >> _COLUMN_BITS
        index_type = np.int32 if self.n_votes < 2**31 else np.int64
        indptr = np.searchsorted(rows, np.arange(n_rows + 1)).astype(index_type)
        indices = (self._keys & _COLUMN_MASK).astype(index_type)
        data = self._votes.astype(np.float64)
        return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))
