"""A ballot submission through the HTTP stack takes a fixed number of SQL statements,
the same for a budget of 3 projects or 9 and for the first voter or a later one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parlons.modules.budgets.models import Ballot, VoterMark
from parlons.modules.budgets.tests.test_pages import url

pytestmark = pytest.mark.django_db

# organisation, session, user, process, instance, budget; the budget's row for share; the
# open phase, the person's blocks; the ballot's projects; voter mark, ballot, audit entry;
# the session that carries the receipt to the next page.
BALLOT_STATEMENTS = 14


def _statements(queries) -> int:
    """The statements that do work (savepoints belong to the test's transaction)."""
    return sum(
        1
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    )


def test_a_ballot_takes_the_same_statements_for_more_projects_and_voters(
    pb, make_phase, make_budget, voter, client
):
    make_phase(pb.process, openings=[(pb.instance, "vote")])
    counts = []
    for size in (3, 9):
        budget = make_budget(pb, costs=[50] * size, max_choices=3)
        page = url(pb, "budgets:budget", budget_slug=budget.slug)
        for n in range(3):
            client.force_login(voter())
            chosen = [p.pk for p in budget.made[: 1 + n % 3]]
            with CaptureQueriesContext(connection) as queries:
                response = client.post(page, {"project": chosen})
            assert (response.status_code, response["Location"]) == (302, page)
            counts.append(_statements(queries))
        assert VoterMark.objects.filter(budget=budget).count() == 3
        assert Ballot.objects.filter(budget=budget).count() == 3
    assert counts == [BALLOT_STATEMENTS] * 6, counts


def test_changing_a_ballot_updates_it_and_adds_no_mark(pb, make_phase, make_budget, voter, client):
    make_phase(pb.process, openings=[(pb.instance, "vote")])
    budget = make_budget(pb, max_choices=2)
    page = url(pb, "budgets:budget", budget_slug=budget.slug)
    client.force_login(voter())
    a, b = budget.made[0].pk, budget.made[3].pk
    assert client.post(page, {"project": [a]}).status_code == 302
    receipt = Ballot.objects.get(budget=budget).receipt_hash
    response = client.post(page, {"project": [b]}, follow=True)
    assert b"Your ballot was changed." in response.content
    ballot = Ballot.objects.get(budget=budget)
    assert (ballot.choices, ballot.receipt_hash) == ([[b, 1]], receipt)
    assert VoterMark.objects.filter(budget=budget).count() == 1
