"""Counts by batch: writes append a row naming the object, a periodic task recounts.

Why not ``+1`` on the object row: 200 parallel supports of one idea would queue on one
row lock (and a lost update anywhere makes the count wrong for ever).  Appending a
:class:`PendingCount` row never waits for another request; :func:`do_refresh_counts`
then recounts each named object *from the source rows* (supports, comments) in one
grouped query per kind and writes the totals with one bulk update, so a count is exact
after every run and repairs itself if anything went wrong before.  Counts on the object
row make lists sortable by support on an index.  The price: a count shown on a page may
lag by the period of the task (seconds), which pages say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q

from parlons.contributions.models import Comment, PendingCount, Support
from parlons.contributions.targets import COMMENT_LABEL, targets

COUNTED = ("support_count", "oppose_count", "comment_count")
# Any constant: the key of the PostgreSQL advisory lock taken by one counting run.
LOCK_KEY = 7_301_245_001


def touch(*, target_type: str, ids: Iterable[int]) -> None:
    """Note that the counts of these objects changed (call inside the change's transaction)."""
    PendingCount.objects.bulk_create(
        [PendingCount(target_type=target_type, target_id=pk) for pk in ids]
    )


def _model(label: str):
    if label == COMMENT_LABEL:
        return Comment
    if label not in targets:  # a module removed since: nothing left to count
        return None
    return targets.get(label).model_class()


def _recount(label: str, ids: list[int]) -> list[int]:
    """Write exact counts for these objects of one model; return the pks that changed."""
    reactions = {
        row["target_id"]: row
        for row in Support._base_manager.filter(target_type=label, target_id__in=ids)
        .values("target_id")
        .annotate(up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1)))
    }
    comments = dict(
        Comment._base_manager.filter(
            target_type=label,
            target_id__in=ids,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .values("target_id")
        .annotate(n=Count("pk"))
        .values_list("target_id", "n")
    )
    model = _model(label)
    if model is None:
        return []
    changed = []
    for obj in model._base_manager.filter(pk__in=ids).only(
        "pk", "support_offset", "oppose_offset", *COUNTED
    ):
        row = reactions.get(obj.pk, {})
        new = (
            row.get("up", 0) + obj.support_offset,
            row.get("down", 0) + obj.oppose_offset,
            comments.get(obj.pk, 0),
        )
        if new != (obj.support_count, obj.oppose_count, obj.comment_count):
            obj.support_count, obj.oppose_count, obj.comment_count = new
            changed.append(obj)
    model._base_manager.bulk_update(changed, COUNTED, batch_size=500)
    return [obj.pk for obj in changed]


def _locked() -> bool:
    """Take the counting lock for this transaction (PostgreSQL); False if another run has it.

    SQLite runs one writer at a time and the embedded worker runs tasks one by one.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def do_refresh_counts(*, batch: int = 5000, rounds: int = 20) -> int:
    """Recount every object named by pending rows; returns how many objects changed.

    Only the pending rows read are deleted (by pk), so a row committed during the run
    waits for the next run rather than being lost.  Safe to run twice at once (the
    second run finds the lock taken and returns) and safe to retry.
    """
    changed_total = 0
    for _round in range(rounds):
        with transaction.atomic():
            if not _locked():
                return changed_total
            pending = list(
                PendingCount.objects.order_by("pk").values_list("pk", "target_type", "target_id")[
                    :batch
                ]
            )
            if not pending:
                return changed_total
            by_type: dict[str, set[int]] = defaultdict(set)
            for _pk, label, target_id in pending:
                by_type[label].add(target_id)
            for label, ids in sorted(by_type.items()):
                changed = _recount(label, sorted(ids))
                changed_total += len(changed)
                target = targets.get(label) if label in targets else None
                if changed and target is not None and target.on_counted is not None:
                    target.on_counted(pks=changed)
            PendingCount.objects.filter(pk__in=[row[0] for row in pending]).delete()
    return changed_total
