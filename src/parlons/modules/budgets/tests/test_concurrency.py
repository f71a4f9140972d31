"""PostgreSQL: 100 parallel ballot submissions through the HTTP stack by 50 voters (two
each) leave exactly 50 ballots and 50 voter marks, each ballot within the limits; a close
in the middle of arriving ballots counts every ballot recorded and no other."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from parlons.testing.concurrency import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_voters_submitting_twice_at_once_leave_fifty_ballots(
    pb, make_phase, make_budget, make_participant
):
    from parlons.modules.budgets.models import Ballot, VoterMark

    make_phase(pb.process, openings=[(pb.instance, "vote")])
    budget = make_budget(pb, ballot_type="knapsack", amount=600, costs=(400, 300, 200, 100))
    a, b, c, d = (p.pk for p in budget.made)
    ballots = {"first": [a, c], "second": [b, c, d]}  # 600 each: both within the budget
    voters = [make_participant() for _n in range(50)]
    with translation.override("fr"):
        url = reverse(
            "budgets:budget",
            kwargs={
                "organisation_slug": pb.organisation.slug,
                "process_slug": pb.process.slug,
                "instance_slug": pb.instance.slug,
                "budget_slug": budget.slug,
            },
        )
    jobs = [(person, which) for person in voters for which in ("first", "second")]

    def submit(job):
        person, which = job
        client = Client()
        client.force_login(person)
        response = client.post(url, {"project": ballots[which]})
        return response.status_code

    statuses = in_parallel(submit, jobs, threads=16)
    assert statuses == [302] * 100, statuses
    assert VoterMark.objects.filter(budget=budget).count() == 50
    assert Ballot.objects.filter(budget=budget).count() == 50
    costs = {p.pk: p.cost for p in budget.made}
    wanted = {tuple(sorted(v)) for v in ballots.values()}
    for choices in Ballot.objects.filter(budget=budget).values_list("choices", flat=True):
        chosen = tuple(sorted(pk for pk, _points in choices))
        assert chosen in wanted
        assert sum(costs[pk] for pk in chosen) <= budget.amount
    assert len(set(Ballot.objects.values_list("receipt_hash", flat=True))) == 50


def test_closing_while_ballots_arrive_counts_every_ballot_recorded(
    pb, make_phase, make_budget, make_participant
):
    from parlons.core.permissions import Refused
    from parlons.core.tenancy import scopes_disabled
    from parlons.modules.budgets.ballots import Choice
    from parlons.modules.budgets.models import Ballot, Budget
    from parlons.modules.budgets.services import do_cast_ballot, do_close_budget

    make_phase(pb.process, openings=[(pb.instance, "vote")])
    budget = make_budget(pb, max_choices=2)
    voters = [make_participant() for _n in range(40)]
    jobs = [*voters[:20], "close", *voters[20:]]
    chosen = budget.made[1].pk  # what every voter chooses

    def act(job):
        with scopes_disabled():
            fresh = Budget.objects.select_related("instance__process__organisation").get(
                pk=budget.pk
            )
            if job == "close":
                return do_close_budget(actor=pb.admin, budget=fresh)
            return do_cast_ballot(person=job, budget=fresh, choices=[Choice(chosen)])

    results = in_parallel(act, jobs, threads=16)
    cast = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(cast) + len(refused) == 40, results
    closed = Budget.objects.get(pk=budget.pk)
    assert closed.closed_at is not None
    assert Ballot.objects.filter(budget=budget).count() == len(cast)
    assert closed.results["voters"] == len(cast)
    assert closed.results["votes"][str(budget.made[1].pk)] == len(cast)
