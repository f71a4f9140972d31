"""Fire work in parallel threads, each with its own database connection, all at once.

For the concurrency tests (``@pytest.mark.postgres`` with
``@pytest.mark.django_db(transaction=True)``): ``in_parallel(fn, items)`` calls
``fn(item)`` for every item from ``threads`` threads released together by a barrier, and
returns the results (or the exceptions raised) in the order of ``items``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connections


def in_parallel(fn: Callable[[Any], Any], items: Iterable[Any], *, threads: int = 16) -> list:
    items = list(items)
    barrier = threading.Barrier(min(threads, len(items)) or 1)

    def run(chunk: Sequence[Any]) -> list:
        results = []
        try:
            barrier.wait(timeout=30)
            for item in chunk:
                try:
                    results.append(fn(item))
                except Exception as error:  # returned, so that the test can assert on it
                    results.append(error)
        finally:
            connections.close_all()
        return results

    count = min(threads, len(items)) or 1
    chunks = [items[i::count] for i in range(count)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        done = list(pool.map(run, chunks))
    ordered: list[Any] = [None] * len(items)
    for offset, results in enumerate(done):
        for position, result in enumerate(results):
            ordered[offset + position * count] = result
    return ordered
