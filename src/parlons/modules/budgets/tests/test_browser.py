"""In Chromium, axe on every page: a resident proposes a project, an evaluator reviews it,
the resident votes with each ballot type (one ballot over its limit is refused with a
clear message), the organiser closes the votes, the results explain themselves and the
downloaded .pb recounts with pabutools to the published winners."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from parlons.core.operations.demo import PASSWORD, current_totp_code, load_demo
from parlons.engine.budgets.reference import parse_reference, reference_outcome
from parlons.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]

BALLOTS = {
    "quartier": {"ballot_type": "approval", "max_choices": 2, "rule": "mes+greedy"},
    "ville": {"ballot_type": "knapsack", "rule": "mes"},
    "points": {"ballot_type": "cumulative", "points": 5, "rule": "mes+greedy"},
    "classement": {"ballot_type": "ranking", "max_choices": 2, "rule": "greedy"},
}


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def person(browser, live_server, email: str, *, totp: bool = False):
    page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    page.set_default_timeout(15000)
    visit(page, "/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp:
        page.get_by_role("textbox", name="Code").fill(current_totp_code())
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    return page


def setup():
    from parlons.core.processes.models import ModuleInstance, Opening, Phase, Process
    from parlons.modules.budgets.models import Budget, Project, Status

    organisation = load_demo()
    process = Process.objects.create(
        organisation=organisation, slug="bp-test", title={"en": "PB test"}, languages=["en"]
    )
    instance = ModuleInstance.objects.create(
        process=process, module="budgets", slug="pb", title={"en": "Our budget"}
    )
    now = timezone.now()
    submission = Phase.objects.create(
        process=process,
        title={"en": "Proposals"},
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    vote = Phase.objects.create(
        process=process,
        title={"en": "Vote"},
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=9),
    )
    for capability in ("show", "submit", "comment"):
        Opening.objects.create(phase=submission, instance=instance, capability=capability)
    for capability in ("show", "vote", "mediate"):
        Opening.objects.create(phase=vote, instance=instance, capability=capability)
    budgets = {}
    for position, (slug, fields) in enumerate(BALLOTS.items()):
        budgets[slug] = Budget.objects.create(
            instance=instance,
            slug=slug,
            title={"en": f"Budget {slug}"},
            amount=1000,
            position=position,
            **fields,
        )
        for n, cost in enumerate((600, 400, 300), start=1):
            Project.objects.create(
                instance=instance,
                budget=budgets[slug],
                title=f"{slug} project {n}",
                body="A description long enough.",
                cost=cost,
                status=Status.FEASIBLE,
            )
    return organisation, process, instance, submission, vote, budgets


def test_propose_review_vote_close_and_recount(browser, live_server, tmp_path):
    from parlons.modules.budgets.models import Project

    organisation, process, instance, submission, vote, budgets = setup()
    kwargs = {
        "organisation_slug": organisation.slug,
        "process_slug": process.slug,
        "instance_slug": instance.slug,
    }
    with translation.override("en"):
        public = reverse("budgets:detail", kwargs=kwargs)
        backoffice = reverse("bo_budgets:index", kwargs=kwargs)

    resident = person(browser, live_server, "habitant@villeneuve.demo")
    visit(resident, public)
    resident.get_by_role("link", name="Propose a project").click()
    assert_accessible(resident)
    resident.get_by_label("Budget").select_option(label="Budget quartier")
    resident.get_by_label("Title").fill("Benches in the park")
    resident.get_by_label("Description").fill("Three benches in the shade for older neighbours.")
    resident.get_by_label("Estimated cost").fill("350")
    resident.get_by_role("button", name="Publish my project").click()
    expect(resident.get_by_text("Your project is published")).to_be_visible()
    assert_accessible(resident)
    proposed = Project.objects.get(title="Benches in the park")

    evaluator = person(browser, live_server, "evaluateur@villeneuve.demo")
    visit(evaluator, backoffice)
    evaluator.get_by_role("link", name="Review Benches in the park").click()
    assert_accessible(evaluator)
    evaluator.get_by_label("Status").select_option("feasible")
    evaluator.get_by_label("Revised cost").fill("200")
    evaluator.get_by_label("Public justification").fill("Quote received from the parks service.")
    evaluator.get_by_role("button", name="Save the review").click()
    expect(evaluator.get_by_text("The review was saved.")).to_be_visible()
    proposed.refresh_from_db()
    assert (proposed.status, proposed.revised_cost) == ("feasible", 200)

    # The proposals close and the vote opens.
    now = timezone.now()
    submission.starts_at, submission.ends_at = now - timedelta(days=3), now - timedelta(days=2)
    submission.save()
    vote.starts_at = now - timedelta(hours=1)
    vote.save()

    # Approval: three projects are one too many, refused with the reason; then two.
    visit(resident, f"{public}budget/quartier/")
    for title in ("quartier project 1", "quartier project 2", "Benches in the park"):
        resident.get_by_label(title, exact=False).check()
    resident.get_by_role("button", name="Cast my ballot").click()
    assert resident.get_by_role("alert").inner_text() == "Choose at most 2 projects (you chose 3)."
    assert_accessible(resident)
    resident.get_by_label("quartier project 2", exact=False).uncheck()
    resident.get_by_role("button", name="Cast my ballot").click()
    expect(resident.get_by_text("Your receipt")).to_be_visible()
    receipt = resident.locator(".receipt-code").inner_text().strip()
    assert_accessible(resident)

    # Knapsack: the live total follows the ticks; over the budget is refused.
    visit(resident, f"{public}budget/ville/")
    resident.get_by_label("ville project 1", exact=False).check()
    resident.get_by_label("ville project 2", exact=False).check()
    resident.get_by_label("ville project 3", exact=False).check()
    assert resident.locator("#ballot-total").inner_text().replace("\u202f", ",") == "1,300"
    expect(resident.get_by_text("Over the limit: the ballot will be refused.")).to_be_visible()
    resident.get_by_role("button", name="Cast my ballot").click()
    assert "more than the budget of" in resident.get_by_role("alert").inner_text()
    resident.get_by_label("ville project 1", exact=False).uncheck()
    resident.get_by_role("button", name="Cast my ballot").click()
    expect(resident.get_by_text("Your ballot is recorded.", exact=True)).to_be_visible()

    # Cumulative points, then a ranking.
    visit(resident, f"{public}budget/points/")
    resident.get_by_label("points project 2", exact=False).fill("3")
    resident.get_by_label("points project 3", exact=False).fill("2")
    resident.get_by_role("button", name="Cast my ballot").click()
    expect(resident.get_by_text("Your ballot is recorded.", exact=True)).to_be_visible()
    visit(resident, f"{public}budget/classement/")
    resident.get_by_label("classement project 3", exact=False).select_option("1")
    resident.get_by_label("classement project 1", exact=False).select_option("2")
    resident.get_by_role("button", name="Cast my ballot").click()
    expect(resident.get_by_text("Your ballot is recorded.", exact=True)).to_be_visible()
    assert_accessible(resident)

    organiser = person(browser, live_server, "organisatrice@villeneuve.demo", totp=True)
    for slug in BALLOTS:
        visit(organiser, backoffice)
        organiser.get_by_role("link", name=f"Close the vote on Budget {slug}").click()
        assert_accessible(organiser)
        organiser.get_by_role("button", name="Close the vote and publish the results").click()
        expect(
            organiser.get_by_text("The vote is closed and the results are published.")
        ).to_be_visible()

    visit(resident, f"{public}budget/quartier/results/")
    expect(resident.get_by_text("Funded by equal shares", exact=False).first).to_be_visible()
    expect(resident.get_by_role("heading", name="Compared with greedy counting")).to_be_visible()
    with resident.expect_download() as info:
        resident.get_by_role("link", name="Download the ballots (.pb)").click()
    path = tmp_path / "quartier.pb"
    info.value.save_as(path)
    budget = budgets["quartier"]
    budget.refresh_from_db()
    assert path.read_text(encoding="utf-8") == budget.published_pb
    expect(resident.get_by_text(budget.published_sha256)).to_be_visible()
    reference_instance, profile = parse_reference(path=path)
    expected = reference_outcome(instance=reference_instance, profile=profile, rule="mes+greedy")
    assert sorted(expected) == sorted(budget.results["winners"])
    assert str(proposed.pk) in budget.results["winners"]
    from parlons.modules.budgets.services import receipt_hash

    assert receipt_hash(receipt) in path.read_text()
