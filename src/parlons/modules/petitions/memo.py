"""A few seconds of in-process memory for what is the same for every guest.

During a spike every guest asks the same questions: which petition is at this address,
may a guest sign it now, what does the thank-you page look like, what is the count.
Each web process keeps those answers ``ttl`` seconds, so a signature costs one INSERT
and not half a dozen reads.  The price: a phase that closes, a petition unpublished or
a count updated shows up to ``ttl`` seconds late in each process.  When an answer
expires, one thread makes it again while the others go on with the old one for that
moment (no stampede of identical queries every ``ttl``).  Account holders never go
through these memos.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

_all: list[Memo] = []


class Memo:
    def __init__(self, ttl: float, size: int = 1000):
        self.ttl, self.size = ttl, size
        self._items: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._making: set[Hashable] = set()
        _all.append(self)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept for ``key``, or ``make()`` (kept ``ttl`` seconds)."""
        now = time.monotonic()
        found = self._items.get(key)
        if found is not None:
            if found[0] > now:
                return found[1]
            with self._lock:  # stale: one thread makes it again, the others keep the old
                if key in self._making:
                    return found[1]
                self._making.add(key)
        try:
            value = make()
        finally:
            if found is not None:
                self._making.discard(key)
        with self._lock:
            if len(self._items) >= self.size:
                self._items.clear()
            self._items[key] = (time.monotonic() + self.ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def clear_all() -> None:
    """Forget everything (tests; after a change that must show at once)."""
    for memo in _all:
        memo.clear()


guest_organisations = Memo(ttl=2.0)
guest_petitions = Memo(ttl=2.0)
guest_decisions = Memo(ttl=2.0)
guest_pages = Memo(ttl=10.0)
counts = Memo(ttl=1.0)
