"""The public and back-office pages through the HTTP stack: the ballot without
JavaScript (refused with the reason, kept on the page), results, the .pb download,
follow-up, the evaluators' and mediators' pages, exports, the API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from parlons.modules.budgets.models import Ballot, Project, Status

pytestmark = pytest.mark.django_db


def url(pb, name, **extra):
    with translation.override("en"):
        return reverse(
            name,
            kwargs={
                "organisation_slug": pb.organisation.slug,
                "process_slug": pb.process.slug,
                "instance_slug": pb.instance.slug,
                **extra,
            },
        )


@pytest.fixture
def voting(pb, make_phase):
    make_phase(
        pb.process,
        openings=[(pb.instance, "vote"), (pb.instance, "show"), (pb.instance, "mediate")],
    )
    return pb


def test_a_refused_ballot_comes_back_with_its_reason_and_nothing_recorded(
    voting, make_budget, voter, client
):
    budget = make_budget(voting, ballot_type="knapsack")
    client.force_login(voter())
    page = url(voting, "budgets:budget", budget_slug=budget.slug)
    response = client.get(page)
    assert response.status_code == 200 and b'name="project"' in response.content
    a, b = budget.made[0].pk, budget.made[1].pk
    response = client.post(page, {"project": [a, b]})
    assert response.status_code == 400
    assert "Your projects cost 700 EUR in all, more than the budget of 600 EUR." in (
        response.content.decode().replace("\u202f", " ")
    )
    assert b"checked" in response.content  # the choice is kept on the page
    assert Ballot.objects.count() == 0
    response = client.post(page, {"project": [a]}, follow=True)
    assert b"Your receipt" in response.content
    assert Ballot.objects.count() == 1
    assert b"Change your ballot" in client.get(page).content


def test_results_page_pb_download_and_follow_up(voting, make_budget, voter, client):
    from parlons.modules.budgets.ballots import Choice
    from parlons.modules.budgets.services import do_cast_ballot, do_close_budget

    budget = make_budget(voting, rule="greedy", max_choices=2)
    for _n in range(3):
        do_cast_ballot(person=voter(), budget=budget, choices=[Choice(budget.made[0].pk)])
    do_close_budget(actor=voting.admin, budget=budget)
    response = client.get(url(voting, "budgets:results", budget_slug=budget.slug))
    text = response.content.decode()
    assert "Funded in the order of votes" in text
    budget.refresh_from_db()
    assert budget.published_sha256 in text
    download = client.get(url(voting, "budgets:pb", budget_slug=budget.slug))
    assert download.content.decode() == budget.published_pb
    assert "attachment" in download["Content-Disposition"]
    followup = client.get(url(voting, "budgets:followup")).content.decode()
    assert budget.made[0].title in followup and budget.made[1].title not in followup


def test_submit_page_and_the_project_page(pb, make_phase, make_budget, voter, client):
    make_phase(pb.process, openings=[(pb.instance, "submit"), (pb.instance, "comment")])
    budget = make_budget(pb, costs=())
    client.force_login(voter())
    response = client.post(
        url(pb, "budgets:new"),
        {"budget": budget.pk, "title": "Un banc", "body": "Trop court", "cost": 0},
    )
    assert response.status_code == 200 and Project.objects.count() == 0
    response = client.post(
        url(pb, "budgets:new"),
        {
            "budget": budget.pk,
            "title": "Un banc au parc",
            "body": "Un banc à l'ombre pour les anciens du quartier.",
            "cost": 500,
            "latitude": "45.1",
            "longitude": "5.7",
        },
        follow=True,
    )
    project = Project.objects.get()
    assert project.status == Status.SUBMITTED and project.cost == 500
    assert b"Un banc au parc" in response.content and b"Latitude 45.1" in response.content


def test_back_office_pages(voting, make_budget, client):
    budget = make_budget(voting)
    client.force_login(voting.evaluator)
    index = client.get(url(voting, "bo_budgets:index"))
    assert index.status_code == 200 and b"Review Projet num" in index.content
    project = budget.made[0]
    response = client.post(
        url(voting, "bo_budgets:evaluate", pk=project.pk),
        {"status": "infeasible", "justification": ""},
    )
    assert b"Say publicly why." in response.content
    project.refresh_from_db()
    assert project.status == Status.FEASIBLE
    client.post(
        url(voting, "bo_budgets:evaluate", pk=project.pk),
        {"status": "feasible", "revised_cost": 350, "justification": "Devis reçu."},
    )
    project.refresh_from_db()
    assert (project.revised_cost, project.justification) == (350, "Devis reçu.")
    export = client.get(url(voting, "bo_budgets:export", key="projects-csv"))
    assert export.status_code == 200 and "Devis reçu." in export.content.decode()
    assert client.get(url(voting, "bo_budgets:paper", budget_slug=budget.slug)).status_code == 404
    client.force_login(voting.mediator)
    paper = url(voting, "bo_budgets:paper", budget_slug=budget.slug)
    response = client.post(paper, {"reference": "S-1", "project": [project.pk]})
    assert response.status_code == 302 and Ballot.objects.get().paper


def test_api_lists_budgets_and_projects(voting, make_budget, client):
    budget = make_budget(voting)
    base = (
        f"/api/v1/budgets/{voting.organisation.slug}/{voting.process.slug}/{voting.instance.slug}"
    )
    budgets = client.get(f"{base}/budgets").json()
    assert [(b["slug"], b["rule"], b["closed"]) for b in budgets] == [(budget.slug, "mes", False)]
    projects = client.get(f"{base}/projects").json()
    assert [p["cost"] for p in projects] == [400, 300, 200, 100]


@pytest.mark.parametrize("page", ["budgets:budget", "budgets:results"])
def test_budget_and_results_pages_take_the_same_queries_for_more_projects(
    voting, make_budget, voter, client, page
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parlons.modules.budgets.ballots import Choice
    from parlons.modules.budgets.services import do_cast_ballot, do_close_budget

    counts = []
    for size in (3, 9):
        budget = make_budget(voting, costs=[50] * size, max_choices=size)
        do_cast_ballot(person=voter(), budget=budget, choices=[Choice(budget.made[0].pk)])
        do_close_budget(actor=voting.admin, budget=budget)
        address = url(voting, page, budget_slug=budget.slug)
        client.get(address)  # warm caches (translations, templates)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.fixture
def admin_client(pb, client):
    from allauth.mfa.totp.internal.auth import TOTP

    from parlons.core.operations.demo import TOTP_SECRET

    TOTP.activate(pb.admin, TOTP_SECRET)
    client.force_login(pb.admin)
    return client


def test_admins_add_a_budget_then_cannot_change_its_rule_once_voting_began(
    pb, make_phase, admin_client
):
    from parlons.modules.budgets.models import Budget

    form = {
        "title_fr": "Quartier nord",
        "slug": "nord",
        "amount": 50000,
        "currency": "EUR",
        "area": pb.area.pk,
        "ballot_type": "approval",
        "min_choices": 1,
        "max_choices": 3,
        "points": 10,
        "rule": "mes+greedy",
    }
    response = admin_client.post(url(pb, "bo_budgets:budget_new"), form)
    assert response.status_code == 302
    budget = Budget.objects.get(slug="nord")
    assert (budget.title, budget.area, budget.rule) == (
        {"fr": "Quartier nord"},
        pb.area,
        "mes+greedy",
    )
    make_phase(pb.process, openings=[(pb.instance, "vote")])
    response = admin_client.post(
        url(pb, "bo_budgets:budget_edit", budget_slug="nord"), {**form, "rule": "greedy"}
    )
    assert b"the ballot and the rule, published in advance, are fixed" in response.content
    assert Budget.objects.get(slug="nord").rule == "mes+greedy"


def test_admins_import_a_past_budget_by_upload(pb, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parlons.modules.budgets.models import Budget

    text = (
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n"
        "1;60;Trees\n2;50;Benches\nVOTES\nvoter_id;vote\n1;1\n2;2\n3;1\n"
    )
    upload = SimpleUploadedFile("old.pb", text.encode(), content_type="text/plain")
    response = admin_client.post(
        url(pb, "bo_budgets:import"), {"file": upload, "slug": "y2019", "title": "2019"}
    )
    assert response.status_code == 302
    budget = Budget.objects.get(slug="y2019")
    assert budget.past and budget.published_pb == text
    bad = SimpleUploadedFile("bad.pb", b"META\nkey;value\n", content_type="text/plain")
    response = admin_client.post(
        url(pb, "bo_budgets:import"), {"file": bad, "slug": "bad", "title": "Bad"}
    )
    assert b"This is not a valid Pabulib file" in response.content
    assert not Budget.objects.filter(slug="bad").exists()


def test_the_ballots_export_holds_closed_votes_only_and_no_one(voting, make_budget, voter, client):
    from parlons.modules.budgets.ballots import Choice
    from parlons.modules.budgets.services import do_cast_ballot, do_close_budget, receipt_hash

    closed, open_ = make_budget(voting, max_choices=2), make_budget(voting, max_choices=2)
    people = [voter() for _n in range(3)]
    receipts = [
        do_cast_ballot(person=p, budget=closed, choices=[Choice(closed.made[1].pk)]) for p in people
    ]
    do_cast_ballot(person=people[0], budget=open_, choices=[Choice(open_.made[0].pk)])
    do_close_budget(actor=voting.admin, budget=closed)
    client.force_login(voting.evaluator)
    text = client.get(url(voting, "bo_budgets:export", key="ballots-csv")).content.decode()
    lines = text.splitlines()
    assert lines[0] == "budget,voter_id,vote,points,voting_method,receipt_hash"
    assert len(lines) == 4 and all(line.startswith(f"{closed.slug},") for line in lines[1:])
    assert {line.split(",")[-1] for line in lines[1:]} == {receipt_hash(r) for r in receipts}
    assert not any(p.email in text for p in people)
