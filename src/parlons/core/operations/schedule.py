"""Periodic tasks: declared by the kernel and by modules, enqueued by ``parlons worker``.

A module lists :class:`~parlons.core.registry.Periodic` entries in its declaration
(``periodic=(...)``); each names a task (a dotted path to a function decorated with
``django.tasks.task``) and how often it runs.  :func:`enqueue_due` is called every second
by the worker's scheduler thread: it enqueues each task whose time has come, once, even
with many workers, and the task then runs on any worker like any other task.  Tasks must
be safe to run late, twice or not at all for one slot (they catch up on the next run).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from parlons.core.operations.models import ScheduledRun
from parlons.core.registry import Periodic, registry

logger = logging.getLogger(__name__)

KERNEL_PERIODIC = (
    Periodic(
        key="participants.guests.erase_expired",
        every=timedelta(hours=6),
        task="parlons.core.participants.tasks.erase_expired_guests",
    ),
    Periodic(
        key="participants.expired.prune",
        every=timedelta(hours=24),
        task="parlons.core.participants.tasks.prune_expired_data",
    ),
)


def periodic_tasks() -> list[Periodic]:
    """The kernel's periodic tasks and every module's, in a stable order."""
    found = list(KERNEL_PERIODIC)
    for declaration in registry:
        found.extend(declaration.periodic)
    return found


def enqueue_due(
    *, now: datetime | None = None, tasks: Iterable[Periodic] | None = None
) -> list[str]:
    """Enqueue every periodic task that is due at ``now``; returns the keys enqueued.

    A run is claimed by moving its ``next_at`` forward with a conditional update: of
    several workers calling this at once, one wins each run.
    """
    now = now or timezone.now()
    enqueued = []
    for periodic in tasks if tasks is not None else periodic_tasks():
        try:
            with transaction.atomic():
                ScheduledRun.objects.get_or_create(key=periodic.key, defaults={"next_at": now})
        except IntegrityError:  # another worker created it first
            pass
        claimed = ScheduledRun.objects.filter(key=periodic.key, next_at__lte=now).update(
            next_at=now + periodic.every, last_enqueued_at=now
        )
        if claimed:
            import_string(periodic.task).enqueue()
            enqueued.append(periodic.key)
    return enqueued


def run_scheduler(*, stop, interval: float = 1.0) -> None:
    """Call :func:`enqueue_due` every ``interval`` seconds until ``stop`` (an Event) is set."""
    from django.db import close_old_connections

    while not stop.is_set():
        close_old_connections()
        try:
            enqueue_due()
        except Exception:  # the scheduler must outlive a bad task or a lost connection
            logger.exception("scheduler: enqueueing periodic tasks failed")
        stop.wait(interval)
    close_old_connections()
