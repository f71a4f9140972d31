"""The decoded responses of recent questionnaires, kept in memory between requests.

Reading 100,000 responses from the database and joining their binary rows costs far more
than counting them, and organisers reload the results page (with other filters, another
cross-tab) far more often than answers arrive. So each process keeps the arrays it
decoded, under a :class:`Stamp`: the questionnaire's results version (``versions.py``,
one indexed lookup of a few rows, changed in the same transaction by every write that
changes the results) and its layout fingerprint. A changed stamp makes the next request
read the responses again; every process checks the database itself.

Cached arrays are read-only (``writeable = False``): a caller that tries to change them
in place gets an error instead of changing the results of later requests.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

DEFAULT_BUDGET = 256 * 2**20  # bytes of arrays kept per process


@dataclass(frozen=True)
class Stamp:
    """What identifies one state of a questionnaire's counted responses."""

    database: str
    questionnaire: int
    fingerprint: str
    version: tuple[tuple[int, int], ...]


class MatrixCache:
    """A least-recently-used map of stamps to tuples of arrays, bounded in bytes."""

    def __init__(self, *, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self._entries: OrderedDict[tuple[str, int], tuple[Stamp, tuple, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, stamp: Stamp) -> tuple | None:
        """The arrays stored under exactly this stamp, or None."""
        key = (stamp.database, stamp.questionnaire)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != stamp:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, stamp: Stamp, arrays: tuple[np.ndarray, ...]) -> tuple:
        """Keep ``arrays`` (made read-only) for this questionnaire, replacing older ones."""
        for array in arrays:
            array.flags.writeable = False
        size = sum(array.nbytes for array in arrays)
        key = (stamp.database, stamp.questionnaire)
        with self._lock:
            self._entries.pop(key, None)
            if size <= self.budget:
                self._entries[key] = (stamp, arrays, size)
                while sum(entry[2] for entry in self._entries.values()) > self.budget:
                    self._entries.popitem(last=False)
        return arrays

    def forget(self, *, database: str, questionnaire: int) -> None:
        with self._lock:
            self._entries.pop((database, questionnaire), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Any) -> bool:
        return key in self._entries


MATRICES = MatrixCache()
