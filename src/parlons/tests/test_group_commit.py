"""The group commit: threads' rows written together, each thread answered with its own."""

from __future__ import annotations

import threading
import time

import pytest

from parlons.lib.group_commit import GroupCommit


def _fire(group: GroupCommit, items: list, threads: int = 16) -> dict:
    """Call ``group(item)`` for every item from ``threads`` threads released at once."""
    results: dict = {}
    barrier = threading.Barrier(threads)

    def run(chunk):
        barrier.wait(timeout=10)
        for item in chunk:
            try:
                results[item] = group(item)
            except Exception as error:
                results[item] = error

    workers = [threading.Thread(target=run, args=(items[i::threads],)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return results


def test_waiting_rows_share_a_statement_and_each_caller_gets_its_own_result():
    committed: set = set()
    answered_early: list = []

    def many(items):
        time.sleep(0.002)  # a round trip: the others queue up meanwhile
        committed.update(items)
        return [item * 10 for item in items]

    group = GroupCommit(many=many, one=lambda item: pytest.fail("no fallback expected"))

    def checked(item):
        result = group(item)
        if item not in committed:
            answered_early.append(item)
        return result

    items = list(range(400))
    results = {}
    barrier = threading.Barrier(16)

    def run(chunk):
        barrier.wait(timeout=10)
        for item in chunk:
            results[item] = checked(item)

    workers = [threading.Thread(target=run, args=(items[i::16],)) for i in range(16)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert results == {item: item * 10 for item in items}
    assert answered_early == []  # nobody is answered before the statement with their row
    assert group.items == 400
    assert group.batches < 200  # rows were grouped (16 threads: most batches hold several)


def test_a_failed_batch_is_written_row_by_row_and_only_the_bad_row_fails():
    def many(items):
        time.sleep(0.001)
        if 13 in items:
            raise ValueError("one row is bad")
        return [f"ok {item}" for item in items]

    def one(item):
        if item == 13:
            raise ValueError("row 13 is bad")
        return f"ok {item}"

    group = GroupCommit(many=many, one=one)
    results = _fire(group, list(range(100)))
    assert isinstance(results[13], ValueError)
    assert str(results[13]) == "row 13 is bad"
    assert {item: r for item, r in results.items() if item != 13} == {
        item: f"ok {item}" for item in range(100) if item != 13
    }


def test_a_batch_never_holds_more_than_the_limit():
    sizes: list[int] = []

    def many(items):
        sizes.append(len(items))
        time.sleep(0.003)
        return list(items)

    group = GroupCommit(many=many, one=lambda item: item, limit=4)
    results = _fire(group, list(range(200)), threads=24)
    assert results == {item: item for item in range(200)}
    assert max(sizes) <= 4
    assert sum(sizes) == 200
