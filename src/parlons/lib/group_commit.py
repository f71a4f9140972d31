"""Group commit: many threads' single-row writes, made durable together in one statement.

During a spike each web process has dozens of threads that each want to append one row
and wait for its commit.  Instead of dozens of statements and commits, the first thread
to arrive becomes the *leader*: it takes every row waiting (up to ``limit``), writes them
with one statement on its own connection, and hands each waiting thread its own result;
the rows that arrived meanwhile form the next batch, led by one of their threads.  No
background thread, no extra connection, and nobody answers before their row is
committed: a thread returns only once the statement that carries its row has returned.

When the statement of a batch fails, each row is written again alone (``one``), so that
one bad row fails its own request only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

_UNSET = object()


class _Slot:
    __slots__ = ("error", "item", "result", "wake")

    def __init__(self, item: Any) -> None:
        self.item = item
        self.result: Any = _UNSET
        self.error: BaseException | None = None
        # held until the slot is written or is to lead: its thread blocks acquiring it
        # (a bare lock: the cheapest way to put one thread to sleep and wake it)
        self.wake = threading.Lock()
        self.wake.acquire()

    @property
    def done(self) -> bool:
        return self.result is not _UNSET or self.error is not None


class GroupCommit:
    """Run ``many(items) -> results`` for the items of all threads waiting at once.

    ``many`` gets a list of items and returns one result per item, in order; ``one``
    writes a single item (used when ``many`` raised).  Both run in the leader's thread.
    Each waiting thread is woken once: when its row is written, or when it is its turn
    to lead (no thread is woken only to find that its row is still waiting).
    """

    def __init__(
        self,
        many: Callable[[Sequence[Any]], Sequence[Any]],
        one: Callable[[Any], Any],
        limit: int = 500,
    ) -> None:
        self.many, self.one, self.limit = many, one, limit
        self._lock = threading.Lock()
        self._waiting: list[_Slot] = []
        self._leading = False
        self.batches = 0  # statements run, for tests and measurements
        self.items = 0

    def __call__(self, item: Any) -> Any:
        slot = _Slot(item)
        with self._lock:
            self._waiting.append(slot)
            lead = not self._leading
            self._leading = True
        if not lead:
            slot.wake.acquire()  # written by a leader, or handed the lead
        if not slot.done:
            self._lead(slot)
        if slot.error is not None:
            raise slot.error
        return slot.result

    def _lead(self, own: _Slot) -> None:
        """Write batches until ``own`` is written, then hand the lead to the next waiting."""
        try:
            while not own.done:
                with self._lock:
                    batch = self._waiting[: self.limit]
                    del self._waiting[: self.limit]
                try:
                    self._write(batch)
                finally:
                    for slot in batch:
                        if not slot.done:  # the leader was interrupted: nobody waits forever
                            slot.error = RuntimeError("the batch of this row was interrupted")
                        if slot is not own:
                            slot.wake.release()
        finally:
            with self._lock:
                if self._waiting:
                    self._waiting[0].wake.release()  # it leads next (the lead stays taken)
                else:
                    self._leading = False

    def _write(self, batch: list[_Slot]) -> None:
        """Write ``batch``; every slot ends with a result or an error."""
        self.batches += 1
        self.items += len(batch)
        try:
            results = self.many([slot.item for slot in batch])
        except Exception:  # one statement for all failed: each on its own, to find the bad one
            for slot in batch:
                try:
                    slot.result = self.one(slot.item)
                except Exception as error:
                    slot.error = error
            return
        for slot, result in zip(batch, results, strict=True):
            slot.result = result
