"""In Chromium, axe on every page: vote on an article, propose an amendment and read its
diff, argue for and against, take a position on a question, vote on 10 statements of an
opinion map and see the map and one's group."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from parlons.core.operations.demo import PASSWORD, load_demo
from parlons.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def log_in(page, email: str) -> None:
    visit(page, "/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_participant_takes_part_in_the_three_kinds_of_debate(page, live_server):
    from parlons.core.tenancy import scopes_disabled
    from parlons.modules.debates.models import Amendment, ArticleVote, Position, StatementVote
    from parlons.modules.debates.tasks import refresh_maps

    organisation = load_demo()
    base = f"/en/{organisation.slug}/debats/debates"
    log_in(page, "habitant@villeneuve.demo")

    visit(page, f"{base}/charte/")
    page.get_by_role("link", name="Article 1 — Ouverture par défaut").click()
    assert_accessible(page)
    page.get_by_role("radio", name="Agree", exact=True).check()
    page.get_by_role("button", name="Vote", exact=True).click()
    expect(page.get_by_text("Your vote was recorded.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Mixed", exact=True).check()  # a changed mind
    page.get_by_role("button", name="Vote", exact=True).click()
    assert page.get_by_role("radio", name="Mixed", exact=True).is_checked()

    page.get_by_role("radio", name="against", exact=True).check()
    page.get_by_label("Your argument").fill("Publier coûte cher aux petites communes.")
    page.get_by_role("button", name="Publish the argument").click()
    expect(page.get_by_text("Your argument was published.")).to_be_visible()
    page.get_by_role("radio", name="for", exact=True).check()
    page.get_by_label("Your argument").fill("Chacun peut vérifier les chiffres.")
    page.get_by_role("button", name="Publish the argument").click()
    assert_accessible(page)
    against = page.get_by_role("region", name="Against (1 argument)")
    expect(
        against.get_by_text("Publier coûte cher aux petites communes.", exact=True)
    ).to_be_visible()
    against.get_by_role("button", name=re.compile(r"^Convincing")).click()
    expect(page.get_by_text("Your support was recorded.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Propose an amendment").click()
    assert_accessible(page)
    page.get_by_label("Amended text of the article").fill(
        "Les données produites par la ville sont publiées en données ouvertes, gratuitement."
    )
    page.get_by_role("button", name="Publish the amendment").click()
    expect(page.get_by_text("Your amendment was published.")).to_be_visible()
    assert_accessible(page)
    assert page.locator(".diff ins").first.text_content().strip().startswith("[inserted:")
    assert "gratuitement" in page.locator(".diff ins").first.text_content()
    assert "personnes" in page.locator(".diff del").first.text_content()
    page.get_by_role("button", name="Vote for the amendment").click()
    expect(page.get_by_text("You voted for this amendment.")).to_be_visible()
    assert_accessible(page)

    visit(page, f"{base}/centre/")
    page.get_by_role("link", name="Faut-il rendre le centre-ville piéton le samedi ?").click()
    page.get_by_role("radio", name="For", exact=True).check()
    page.get_by_role("button", name="Save my position").click()
    expect(page.get_by_text("1 for, 0 undecided, 0 against").first).to_be_visible()
    assert_accessible(page)

    visit(page, f"{base}/velo/")
    for _n in range(10):
        card = page.locator(".statement-card")
        expect(card).to_be_visible()
        page.get_by_role("button", name="Agree" if _n % 2 else "Disagree", exact=True).click()
        expect(page.get_by_text("Your vote was recorded.")).to_be_visible()
    expect(page.get_by_text("You have voted on 10 of 12 statements.")).to_be_visible()
    assert_accessible(page)
    refresh_maps.call()  # what the worker does every few seconds
    page.get_by_role("link", name="See the opinion map").click()
    assert_accessible(page)
    expect(page.get_by_text("You are close to group")).to_be_visible()
    assert page.locator("svg.opinion-map circle.me").count() == 1
    expect(page.get_by_role("table").first).to_be_visible()

    with scopes_disabled():
        assert ArticleVote.objects.get().value == 0
        assert Amendment.objects.count() == 1
        assert Position.objects.get().value == 1
        assert StatementVote.objects.filter(voter__participant__isnull=False).count() == 10
