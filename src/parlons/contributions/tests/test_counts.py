"""The batch count: exact from the source rows, nothing lost when rows arrive mid-run."""

from __future__ import annotations

import pytest

from parlons.contributions.models import PendingCount, Support
from parlons.contributions.services import counts, do_support
from parlons.contributions.tasks import refresh_counts

pytestmark = pytest.mark.django_db


def test_a_pending_row_written_during_a_run_waits_for_the_next_run(
    idea_box, make_idea, make_participant, monkeypatch
):
    idea = make_idea(idea_box)
    do_support(person=make_participant(), obj=idea)
    late = make_participant()
    original = counts._recount

    def recount_then_a_support_arrives(label, ids):
        changed = original(label, ids)
        if not Support.objects.filter(participant=late).exists():
            do_support(person=late, obj=idea)  # commits after the count was read
        return changed

    monkeypatch.setattr(counts, "_recount", recount_then_a_support_arrives)
    assert counts.do_refresh_counts(rounds=1) == 1
    idea.refresh_from_db()
    assert (idea.support_count, PendingCount.objects.count()) == (1, 1)
    monkeypatch.setattr(counts, "_recount", original)
    counts.do_refresh_counts()
    idea.refresh_from_db()
    assert (idea.support_count, PendingCount.objects.count()) == (2, 0)


def test_a_wrong_count_repairs_itself_at_the_next_change(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box, support_count=999)
    do_support(person=make_participant(), obj=idea)
    refresh_counts.call()
    idea.refresh_from_db()
    assert idea.support_count == 1


def test_rows_of_a_model_no_longer_declared_are_dropped(db):
    PendingCount.objects.create(target_type="gone.thing", target_id=1)
    assert counts.do_refresh_counts() == 0
    assert PendingCount.objects.count() == 0
