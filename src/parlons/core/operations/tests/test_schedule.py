"""Periodic tasks are enqueued when due, once per run, whatever the number of workers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.tasks import task
from django.utils import timezone

from parlons.core.operations.models import ScheduledRun
from parlons.core.operations.schedule import enqueue_due, periodic_tasks, run_scheduler
from parlons.core.registry import Periodic
from parlons.testing.concurrency import in_parallel

RUNS: list[str] = []


@task()
def remember() -> None:
    RUNS.append("ran")


EVERY_MINUTE = Periodic(
    key="operations.test.remember",
    every=timedelta(minutes=1),
    task="parlons.core.operations.tests.test_schedule.remember",
)


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()
    yield
    RUNS.clear()


@pytest.mark.django_db
def test_a_task_runs_when_due_and_not_again_before_its_interval():
    now = timezone.now()
    assert enqueue_due(now=now, tasks=[EVERY_MINUTE]) == ["operations.test.remember"]
    assert enqueue_due(now=now + timedelta(seconds=59), tasks=[EVERY_MINUTE]) == []
    assert enqueue_due(now=now + timedelta(seconds=60), tasks=[EVERY_MINUTE]) == [
        "operations.test.remember"
    ]
    assert RUNS == ["ran", "ran"]
    run = ScheduledRun.objects.get(key="operations.test.remember")
    assert run.next_at == now + timedelta(seconds=120)


@pytest.mark.django_db
def test_the_kernel_schedules_guest_retention():
    keys = [periodic.key for periodic in periodic_tasks()]
    assert "participants.guests.erase_expired" in keys
    assert len(keys) == len(set(keys))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_enqueue_each_run_once():
    now = timezone.now()
    ScheduledRun.objects.create(key=EVERY_MINUTE.key, next_at=now)
    results = in_parallel(lambda _n: enqueue_due(now=now, tasks=[EVERY_MINUTE]), range(8))
    assert sorted(len(r) for r in results) == [0] * 7 + [1]
    assert RUNS == ["ran"]


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_thread_stops_when_asked():
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, kwargs={"stop": stop, "interval": 0.05})
    thread.start()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert ScheduledRun.objects.filter(key="participants.guests.erase_expired").exists()


def test_the_worker_command_is_offered():
    from django.core.management import get_commands, load_command_class

    assert get_commands()["worker"] == "parlons.core.operations"
    command = load_command_class("parlons.core.operations", "worker")
    assert "--no-schedule" in command.create_parser("parlons", "worker").format_help()
