"""In Chromium, axe on every page: a guest signs the demo petition, confirms by the real
e-mail, sees the count move after the batch; the owner posts an update that the signer
receives, and the signer unsubscribes."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from parlons.core.operations.demo import PASSWORD, demo_people, load_demo
from parlons.modules.petitions.memo import clear_all
from parlons.modules.petitions.tests.conftest import count, link_in, send_mails
from parlons.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


def path_of(link: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(link).path


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_guest_signs_confirms_counts_and_receives_the_owners_update(page, live_server):
    from parlons.modules.petitions.models import Petition

    organisation = load_demo()
    petition = Petition.objects.get(instance__process__slug="rue-scolaire")
    base = f"/en/{organisation.slug}/rue-scolaire/petitions/petition/"
    visit(page, base)
    page.get_by_role("link", name=petition.title).click()
    assert_accessible(page)
    assert page.locator(".petition-count").inner_text().startswith("0 signatures ·")

    page.get_by_label("Your name").fill("Awa Diallo")
    page.get_by_label("Your e-mail address").fill("awa@example.org")
    page.get_by_label("Your postcode").fill("75011")
    page.get_by_label("Keep me informed").check()
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_role("heading", name="Thank you: check your e-mail")).to_be_visible()
    assert_accessible(page)

    assert send_mails() == 1  # the batch task
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["awa@example.org"]
    visit(page, path_of(link_in(confirmation)))
    expect(page.get_by_role("heading", name="Signature confirmed")).to_be_visible()

    count()  # the periodic count
    clear_all()  # two seconds later: the web process has forgotten the guest's petition
    visit(page, f"{base}{petition.pk}/")
    page.reload()  # the page is HTTP-cacheable for ten seconds: a reload revalidates it
    assert page.locator(".petition-count").inner_text().startswith("1 signature ·")

    visit(page, f"{base}{petition.pk}/widget/")
    expect(page.get_by_role("button", name="Sign the petition")).to_be_visible()

    visit(page, "/en/accounts/login/")
    page.get_by_label("Email").fill(demo_people().participant.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    visit(page, f"{base}{petition.pk}/manage/")
    page.get_by_label("Title").fill("The mayor will meet us")
    page.get_by_label("Text (Markdown)").fill("On Monday at 6 pm, at the town hall.")
    page.get_by_role("button", name="Publish and e-mail").click()
    assert_accessible(page)
    update = [m for m in mail.outbox if "The mayor will meet us" in m.body]
    assert [m.to for m in update] == [["awa@example.org"]]

    leave = link_in(update[0], "/unsubscribe/")
    visit(page, path_of(leave))
    page.get_by_role("button", name="Stop the e-mails").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page)


def test_the_shown_count_follows_the_live_file_without_a_reload(page, live_server):
    """count.js polls the live count file (here at the data attribute's 0.2 s, not 10 s):
    after the batch count writes the file, the number, noun and progress bar change."""
    from django.utils import timezone

    from parlons.modules.petitions.models import Petition, Signature

    organisation = load_demo()
    petition = Petition.objects.get(instance__process__slug="rue-scolaire")
    address = f"/en/{organisation.slug}/rue-scolaire/petitions/petition/{petition.pk}/"
    count()  # the file exists before the page polls it
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    scripts: list[str] = []
    page.on("requestfinished", lambda r: scripts.append(r.url) if r.url.endswith(".js") else None)

    def faster(route):
        response = route.fetch()
        body = response.text().replace('data-live-every="10"', 'data-live-every="0.2"')
        route.fulfill(response=response, body=body)

    page.route(f"**{address}", faster)
    visit(page, address)
    assert any(url.endswith("/static/petitions/count.js") for url in scripts)
    shown = page.locator(".petition-count")
    assert shown.inner_text().startswith("0 signatures ·")
    assert shown.get_attribute("aria-live") == "polite"

    Signature.objects.create(
        petition=petition, email="live@example.org", postcode="75011", confirmed_at=timezone.now()
    )
    count()  # the periodic count writes the file; no reload
    expect(shown).to_have_text(f"1 signature · goal: {petition.goal:,}")
    for n in range(10):
        Signature.objects.create(
            petition=petition, email=f"live{n}@example.org", confirmed_at=timezone.now()
        )
    count()
    expect(shown).to_have_text(f"11 signatures · goal: {petition.goal:,}")
    bar = page.locator(".petition-progress progress")
    percent = 11 * 100 // petition.goal
    assert percent > 0
    expect(bar).to_have_attribute("aria-label", f"{percent}% of the goal")
    assert bar.evaluate("e => e.value") == percent
    assert_accessible(page)
    assert errors == []
