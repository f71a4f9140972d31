"""The opinion map of an instance, refreshed incrementally in the background.

``do_refresh_map`` feeds the engine only the votes changed since its last run (with an
overlap, so that a vote committed late is not missed: the engine keeps the latest vote
per voter and statement, so seeing a vote twice changes nothing), recomputes warm-started
from the stored state, and stores the state and the result.  The periodic task
``tasks.refresh_maps`` calls it for every map with new votes: that is the debounce,
however many votes arrive between two runs.
"""

from __future__ import annotations

import logging
import pickle
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parlons.core.processes.models import ModuleInstance
from parlons.engine.opinions import OpinionMap, OpinionState, VoteBatch
from parlons.modules.debates.models import (
    MapState,
    Statement,
    StatementVote,
    StatementVoteHistory,
)

OVERLAP = timedelta(seconds=30)
log = logging.getLogger(__name__)


def _moderated_out(instance: ModuleInstance) -> list[int]:
    """Rejected and hidden statements (Polis ``mod-out``); waiting ones take no votes
    here, and imported unmoderated ones keep theirs, as in Polis."""
    return list(
        Statement.objects.filter(instance=instance)
        .filter(Q(status=Statement.Status.REJECTED) | Q(hidden_at__isnull=False))
        .values_list("number", flat=True)
    )


def _load(row: MapState) -> OpinionState | None:
    if not row.state:
        return None
    try:
        return pickle.loads(bytes(row.state))
    except Exception:
        log.warning("opinion map state of instance %s unreadable; full recomputation", row.pk)
        return None


FIELDS = ("row", "voter__number", "statement__number", "value", "timestamp")


def _batch(votes, earlier=None) -> VoteBatch:
    """The votes as the engine takes them, in the order they were cast (imported ones in
    their ``votes.csv`` order): participants come in the order of their first vote, as
    Polis builds its matrix.  ``earlier`` adds the replaced votes (a full computation)."""
    rows = list(votes.values_list(*FIELDS))
    if earlier is not None:
        rows += list(earlier.values_list(*FIELDS))
    rows.sort(key=lambda r: (r[0] is None, r[0] or 0, r[4]))
    rows = [r[1:] for r in rows]
    array = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return VoteBatch.from_arrays(
        participant=array[:, 0], comment=array[:, 1], vote=array[:, 2], timestamp=array[:, 3]
    )


def result_json(result: OpinionMap) -> dict[str, Any]:
    """What the pages, the API and the exports read: the engine's document with each
    participant's nearest group and the statistics of the representative statements."""
    document = result.to_json()
    for pid, closest in zip(result.participant_ids, result.closest_group, strict=True):
        document["participants"][str(int(pid))]["closest"] = int(closest)
    for group, found in zip(document["groups"], result.groups, strict=True):
        group["center"] = list(found.center)
        group["statements"] = [
            {
                "id": r.comment_id,
                "repful_for": r.repful_for,
                "share": round(float(r.p_success), 3),
                "votes": int(r.n_trials),
            }
            for r in found.representative
        ]
    return document


@transaction.atomic
def do_refresh_map(*, instance: ModuleInstance, full: bool = False) -> MapState:
    """Bring the stored map of ``instance`` up to date with its votes and moderation."""
    row, _created = MapState.objects.select_for_update().get_or_create(instance=instance)
    now = timezone.now()
    state = None if full else _load(row)
    votes = StatementVote.objects.filter(instance=instance)
    earlier = None
    if state is None:
        state = OpinionState()
        earlier = StatementVoteHistory.objects.filter(instance=instance)
    elif row.seen_until is not None:
        votes = votes.filter(changed_at__gt=row.seen_until - OVERLAP)
    state.set_moderated_out(comment_ids=_moderated_out(instance))
    batch = _batch(votes, earlier)
    if len(batch):
        state.add_votes(batch=batch)
    if state.matrix.n_votes:
        row.result = result_json(state.recompute())
    else:
        row.result = {}
    row.state = pickle.dumps(state)
    row.seen_until, row.computed_at = now, now
    row.save()
    return row


def maps_to_refresh() -> list[int]:
    """Instances whose votes or statements changed since their map was computed."""
    stale = []
    for row in MapState.objects.all().only("instance_id", "computed_at"):
        if row.computed_at is None:
            stale.append(row.instance_id)
            continue
        changed = StatementVote.objects.filter(instance_id=row.instance_id)
        changed = changed.filter(changed_at__gt=row.computed_at)
        if changed.exists():
            stale.append(row.instance_id)
    fresh = (
        StatementVote.objects.exclude(instance_id__in=MapState.objects.values("instance_id"))
        .values_list("instance_id", flat=True)
        .distinct()
    )
    return sorted(set(stale) | set(fresh))
