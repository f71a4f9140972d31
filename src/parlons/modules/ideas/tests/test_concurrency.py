"""200 support requests at once from 100 participants (two each, same idea) through the
real support view: every request answers, the count is exactly 100 (PostgreSQL lane)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from parlons.testing.concurrency import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_hundred_parallel_supports_from_a_hundred_participants_count_a_hundred(
    make_idea_box, make_idea, make_participant, refresh_counts
):
    from parlons.contributions.models import PendingCount, Support
    from parlons.core.audit.models import AuditEntry
    from parlons.modules.ideas.models import Idea

    box = make_idea_box()
    idea = make_idea(box)
    url = reverse(
        "ideas:contributions:support",
        kwargs={
            "organisation_slug": box.organisation.slug,
            "process_slug": box.process.slug,
            "instance_slug": box.instance.slug,
            "target": "ideas.idea",
            "pk": idea.pk,
        },
    )
    clients = []
    for _n in range(100):
        first, second = Client(), Client()
        first.force_login(make_participant())
        second.cookies = first.cookies  # the same participant in a second tab
        clients += [first, second]

    results = in_parallel(lambda client: client.post(url), clients, threads=16)

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert sorted({r.status_code for r in results}) == [302]
    supports = Support.objects.filter(target_type="ideas.idea", target_id=idea.pk)
    assert supports.count() == 100
    assert supports.values("participant").distinct().count() == 100
    assert AuditEntry.objects.filter(code="ideas.support.given").count() == 100
    assert PendingCount.objects.count() == 100  # appended rows, never a +1 on the idea
    assert Idea.objects.get(pk=idea.pk).support_count == 0
    refresh_counts()
    assert Idea.objects.get(pk=idea.pk).support_count == 100
