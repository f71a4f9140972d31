"""In Chromium, axe on every page: a guest finds their deputy from the real postcode 75011,
writes and confirms by the real e-mail; the deputy states a stance through the personal
link; an organiser records another from a reply; both show on the scoreboard."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail

from parlons.modules.interpellations.tests.conftest import link_path
from parlons.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def visit(page, path: str) -> None:
    page.goto(path)
    assert_accessible(page)


def totp_code() -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))


def test_interpellate_a_deputy_from_75011_and_see_stances_on_the_scoreboard(
    page, browser, live_server, make_campaign, make_member, french_deputies
):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from parlons.modules.interpellations.models import Message, Representative

    setup = make_campaign(parsed=french_deputies)
    base = (
        f"/en/{setup.organisation.slug}/{setup.process.slug}/interpellations/{setup.instance.slug}/"
    )
    first = setup.proposals[0]

    # A guest finds their deputy from the postcode, then writes.
    visit(page, base)
    page.get_by_label("Your postcode").fill("75011")
    page.get_by_role("button", name="Find my representatives").click()
    assert_accessible(page)
    page.get_by_label("Paris 11 — Paris, 6e circonscription").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    assert page.get_by_label("Sophia Chikirou").is_checked()
    page.get_by_label("Your name").fill("Inès Moreau")
    page.get_by_label("Your e-mail address").fill("ines@example.org")
    body = page.get_by_label("Your message")
    body.fill(body.input_value() + "\n\nJ'habite le 11e et je compte sur vous.")
    page.get_by_role("button", name="Send my message").click()
    assert_accessible(page)
    assert "Follow its link to confirm your address" in page.content()
    assert Message.objects.get().sent_at is None

    # The real e-mail: follow the confirmation link, and the message leaves.
    (confirmation,) = mail.outbox
    visit(page, link_path(confirmation.body, "/guest/"))
    assert "is on its way" in page.content()
    to_deputy = next(e for e in mail.outbox if e.to != ["ines@example.org"])
    chikirou = Representative.objects.get(directory=setup.directory, name="Sophia Chikirou")
    assert (to_deputy.to, to_deputy.reply_to) == ([chikirou.email], ["ines@example.org"])
    assert "je compte sur vous" in to_deputy.body

    # The deputy states a stance through the personal link of the message.
    visit(page, link_path(to_deputy.body, "/stance/").replace("/fr/", "/en/", 1))
    page.get_by_role("group", name="Proposal 1").get_by_label("Supports").check()
    page.get_by_role("button", name="Publish my stances").click()
    assert_accessible(page)
    assert "Sophia Chikirou" in page.content()

    # An organiser records another deputy's stance from a reply.
    organiser = make_member(setup.organisation, "admin")
    TOTP.activate(organiser, SECRET)
    EmailAddress.objects.create(user=organiser, email=organiser.email, verified=True, primary=True)
    staff = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    visit(staff, "/en/accounts/login/")
    staff.get_by_label("Email").fill(organiser.email)
    staff.get_by_label("Password").fill("correct horse battery")
    staff.get_by_role("button", name="Sign In").click()
    staff.get_by_role("textbox", name="Code").fill(totp_code())
    staff.get_by_role("button", name="Sign In").click()
    gregoire = Representative.objects.get(directory=setup.directory, name="Emmanuel Grégoire")
    bo = f"/en/backoffice/{setup.organisation.slug}/processes/{setup.process.slug}/interpellations/{setup.instance.slug}/"
    visit(staff, bo + "stances/?q=Grégoire")
    staff.get_by_role("link", name="Record stances Emmanuel Grégoire").click()
    assert_accessible(staff)
    staff.get_by_role("group", name="Proposal 1").get_by_label("Opposes").check()
    staff.get_by_label("Source (a link to the reply, or where it was given)").fill(
        "https://example.org/reponse-gregoire"
    )
    staff.get_by_label("Date of the reply").fill("2026-11-20")
    staff.get_by_role("button", name="Record the stances").click()
    assert_accessible(staff)

    # The public scoreboard shows both, filtered by area and group.
    visit(page, base + "scoreboard/?area=75006")
    row = page.get_by_role("row", name="Sophia Chikirou")
    assert "Supports" in row.inner_text() and row.get_by_role("cell").last.inner_text() == "1"
    page.get_by_label("Constituency").select_option("75007")
    page.get_by_role("button", name="Filter").click()
    assert_accessible(page)
    assert "Opposes" in page.get_by_role("row", name="Emmanuel Grégoire").inner_text()
    page.get_by_role("link", name="Emmanuel Grégoire").click()
    page.wait_for_url(re.compile(rf"/representatives/{gregoire.pk}/$"))
    assert_accessible(page)
    assert "https://example.org/reponse-gregoire" in page.content()
    assert first.stances.count() == 2
    stance = gregoire.stances.get()
    assert (stance.position, stance.recorded_by) == ("opposes", organiser)
