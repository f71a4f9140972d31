"""CPU per ballot submission (the POST of the ballot page), in-process.

Not collected by default (no ``test_`` prefix); run it by name, it prints figures:

    pytest -q -p no:xdist -s src/parlons/modules/budgets/tests/cpu_profile.py

It measures ``time.process_time()`` around N ballot POSTs through Django's test client
(the full middleware stack, the WSGI handler), each by another logged-in voter, and the
SQL statements of one of them.  It asserts nothing about time (the machine is shared);
it only checks that every ballot is recorded.  ``BUDGET_CPU_PROFILE=1`` prints the
cProfile of the run.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import time

import pytest
from django.utils.http import urlencode

from parlons.modules.budgets.tests.test_pages import url

FORM = "application/x-www-form-urlencoded"  # what browsers send for this form
N = int(os.environ.get("BUDGET_CPU_N", "300"))


@pytest.mark.django_db(transaction=True)
def test_cpu_per_ballot(pb, make_phase, make_budget, voter):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from parlons.modules.budgets.models import Ballot

    make_phase(pb.process, openings=[(pb.instance, "vote"), (pb.instance, "show")])
    budget = make_budget(pb, ballot_type="approval", max_choices=3)
    page = url(pb, "budgets:budget", budget_slug=budget.slug)
    choices = [p.pk for p in budget.made]
    client = Client()  # one client (one handler, as a server worker), a session per voter
    sessions = []
    for _n in range(N + 2):
        client.cookies.clear()  # else logging in the next voter flushes this session
        client.force_login(voter())
        sessions.append(client.cookies["sessionid"].value)

    def cast(n):
        client.cookies["sessionid"] = sessions[n]
        body = urlencode({"project": choices[n % 3 : n % 3 + 1 + n % 2]}, doseq=True)
        response = client.post(page, body, content_type=FORM)
        assert (response.status_code, response["Location"]) == (302, page), response

    cast(0)  # warm up
    with CaptureQueriesContext(connection) as queries:
        cast(1)
    for query in queries.captured_queries:
        print(query["sql"][:160])
    print(f"\nSQL statements of one ballot: {len(queries)}")
    profile = cProfile.Profile(time.process_time) if os.environ.get("BUDGET_CPU_PROFILE") else None
    start = time.process_time()
    if profile:
        profile.enable()
    for n in range(2, N + 2):
        cast(n)
    if profile:
        profile.disable()
    spent = time.process_time() - start
    if profile:
        sort = os.environ.get("BUDGET_CPU_SORT", "tottime")
        pstats.Stats(profile).sort_stats(sort).print_stats(45)
    print(f"\nballot POST: {spent / N * 1000:.2f} ms CPU per request ({N} requests)")
    assert Ballot.objects.filter(budget=budget).count() == N + 2
