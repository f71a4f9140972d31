"""Done-when 1 of the idea box in Chromium, axe on every page: a participant submits an
idea with an image and a location, a second supports and comments, a third reports it,
a moderator hides it, an evaluator answers another idea "accepted" and its author's
e-mail arrives (read from the outbox)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from parlons.modules.ideas.tests.fixtures import image_bytes
from parlons.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def _kw(box) -> dict:
    return {
        "organisation_slug": box.organisation.slug,
        "process_slug": box.process.slug,
        "instance_slug": box.instance.slug,
    }


@pytest.fixture
def open_as(browser, live_server):
    """A fresh browser for each person, logged in through the login page."""
    contexts, outside = [], []

    def open_(email: str):
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model

        person = get_user_model().objects.get(email=email)
        EmailAddress.objects.get_or_create(
            user=person, email=email, defaults={"verified": True, "primary": True}
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on(
            "request",
            lambda request: (
                outside.append(request.url)
                if not request.url.startswith((live_server.url, "data:", "about:"))
                else None
            ),
        )
        page.goto("/en/accounts/login/")
        assert_accessible(page)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not outside, f"the pages asked third parties for: {outside}"


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_submit_support_comment_report_hide_and_answer(
    open_as, make_idea_box, make_idea, make_participant, make_member
):
    box = make_idea_box(settings={"hide_after_reports": 0})
    author, supporter, reporter = (
        make_participant(f"{name}@example.org", language="en")
        for name in ("author", "supporter", "reporter")
    )
    moderator = make_member(box.organisation, "moderator", make_participant("mod@example.org"))
    evaluator = make_member(box.organisation, "evaluator", make_participant("eval@example.org"))
    other = make_idea(box, author=author, title="A night bus to the station")
    with translation.override("en"):
        listing = reverse("ideas:detail", kwargs=_kw(box))
        moderation = reverse("bo_ideas:contributions:moderation", kwargs=_kw(box))
        answer = reverse(
            "bo_ideas:contributions:answer",
            kwargs={**_kw(box), "target": "ideas.idea", "pk": other.pk},
        )

    # 1. The author submits an idea with an image and a place.
    page = open_as(author.email)
    visit(page, listing)
    page.get_by_role("link", name="Submit an idea").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Public toilets in the park")
    page.get_by_label("Your idea").fill("There are none within 800 m of the playground.")
    page.get_by_label("Address or place").fill("Parc des Sports")
    page.get_by_label("Latitude").fill("45.19")
    page.get_by_label("Longitude").fill("5.72")
    page.get_by_label("Images or documents").set_input_files(
        [{"name": "park.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(640, 480))}]
    )
    page.get_by_label("Describe the image for people who cannot see it").fill(
        "The park seen from its gate"
    )
    page.get_by_role("button", name="Publish my idea").click()
    expect(page.get_by_text("Your idea is published.")).to_be_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Public toilets in the park"
    expect(page.get_by_role("img", name="The park seen from its gate")).to_be_visible()
    expect(page.get_by_text("Parc des Sports").first).to_be_visible()
    assert_accessible(page)
    idea_url = page.url

    # 2. A second participant supports and comments.
    page = open_as(supporter.email)
    visit(page, idea_url)
    page.get_by_role("button", name="Support", exact=True).click()
    expect(page.get_by_text("Your support was recorded.")).to_be_visible()
    expect(page.get_by_text("You support this.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your comment").fill("Yes, and a drinking fountain beside them.")
    page.get_by_role("button", name="Publish the comment").click()
    comment = page.get_by_role("paragraph").filter(has_text="and a drinking fountain beside")
    expect(comment).to_be_visible()
    assert_accessible(page)

    # 3. A third reports it.
    page = open_as(reporter.email)
    visit(page, idea_url)
    page.get_by_text("Report to the moderators").first.click()
    assert_accessible(page)  # the report form open
    page.get_by_label("Off topic").first.check()
    page.get_by_role("button", name="Send the report").first.click()
    expect(page.get_by_text("Thank you: the moderators will look at your report.")).to_be_visible()
    assert_accessible(page)

    # 4. The moderator hides it from the queue.
    page = open_as(moderator.email)
    visit(page, moderation)
    item = page.get_by_role("article").filter(has_text="Public toilets in the park")
    expect(item.get_by_text("Off topic")).to_be_visible()
    item.get_by_role("button", name="Hide").click()
    assert_accessible(page)
    visit(page, idea_url)
    expect(page.get_by_text("This idea was hidden by the moderators.")).to_be_visible()
    visit(page, listing)
    assert page.get_by_text("Public toilets in the park").count() == 0

    # 5. The evaluator answers the author's other idea "accepted".
    mail.outbox.clear()
    page = open_as(evaluator.email)
    visit(page, answer)
    page.get_by_label("Status").select_option(label="Accepted")
    page.get_by_label("Public explanation (English)").fill("The night bus runs from June.")
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.get_by_text("The night bus runs from June.")).to_be_visible()
    assert_accessible(page)

    other.refresh_from_db()
    assert other.status == "accepted"
    sent = [m for m in mail.outbox if m.to == [author.email]]
    assert len(sent) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert sent[0].subject == "Official answer: A night bus to the station"
    assert "The night bus runs from June." in sent[0].body
