"""Walk the public site and the back-office in Chromium, with axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parlons.core.operations.demo import PASSWORD, current_totp_code, load_demo
from parlons.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_public_walk_then_back_office_creates_a_process(page):
    load_demo()

    visit(page, "/fr/")
    page.get_by_role("link", name="Participer à Villeneuve").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Participer à Villeneuve"
    assert_accessible(page)
    page.get_by_role("link", name="Toute l'année").click()
    expect(page.get_by_role("heading", name="Dans cette phase")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "All year"
    assert_accessible(page)

    visit(page, "/en/accounts/login/")
    page.get_by_label("Email").fill("organisatrice@villeneuve.demo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    assert_accessible(page)  # the two-factor step: administrators must pass it
    page.get_by_role("textbox", name="Code").fill(current_totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.goto("/en/backoffice/")
    expect(page.get_by_role("heading", name="Processes")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="New process").click()
    assert_accessible(page)
    page.get_by_label("Title (français)").fill("Rénovation de la place du Marché")
    page.get_by_label("Title (English)").fill("Renovating the Market Square")
    page.get_by_role("textbox", name="Address").fill("place-du-marche")
    page.get_by_role("button", name="Create the process").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Renovating the Market Square"
    assert_accessible(page)

    page.get_by_role("link", name="Add a module").first.click()
    assert_accessible(page)  # first, which module
    page.get_by_role("link", name="Information page").click()
    assert_accessible(page)
    page.get_by_label("Title (français)").fill("Le projet")
    page.get_by_label("Title (English)").fill("The project")
    page.get_by_role("textbox", name="Address").fill("projet")
    page.get_by_role("button", name="Save").click()

    now = timezone.localtime()
    day = "%Y-%m-%dT09:00"
    for title, start, end, opens in (
        ("Information", now - timedelta(days=30), now + timedelta(days=30), True),
        ("Workshops", now + timedelta(days=30), now + timedelta(days=90), False),
    ):
        page.get_by_role("link", name="Add a phase").click()
        assert_accessible(page)
        page.get_by_label("Title (français)").fill(title)
        page.get_by_label("Starts").fill(start.strftime(day))
        page.get_by_label("Ends").fill(end.strftime(day))
        if opens:
            page.get_by_role("group", name="The project").get_by_label("show").check()
        page.get_by_role("button", name="Save the phase").click()
        expect(page.get_by_role("cell", name=title, exact=True)).to_be_visible()

    page.get_by_role("link", name="Manage The project").click()
    assert_accessible(page)
    page.get_by_label("Text (Markdown) (English)").fill("## Why\n\nThe square needs shade.")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="See it on the public site").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Renovating the Market Square"
    expect(page.get_by_role("listitem").filter(has_text="Workshops")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="The project").click()
    expect(page.get_by_role("heading", name="Why")).to_be_visible()
    assert_accessible(page)

    page.goto("/en/backoffice/villeneuve/audit/")
    expect(page.get_by_text("created the process")).to_be_visible()
    assert_accessible(page)
