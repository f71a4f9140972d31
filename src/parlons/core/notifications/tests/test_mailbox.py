"""The local mailbox: staff read the e-mails Django's file backend wrote, nobody else."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from parlons.core.notifications.services import Recipient, queue_bulk_email, queue_email
from parlons.testing.browser import assert_accessible

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_dir(settings, tmp_path):
    directory = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(directory)},
        }
    }
    return directory


@pytest.fixture
def sent(mail_dir, django_capture_on_commit_callbacks):
    """Three e-mails written by the real file backend: one alone, then two in one file.

    The two files may bear the same mtime; their Date headers say which came first.
    """
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to="first@example.org",
            subject="Confirm your address",
            body="Open https://parlons.example/en/accounts/confirm-email/KEY-1/ to confirm.",
            language="en",
            headers={"Date": "Wed, 25 Nov 2026 10:00:00 +0000"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        queue_bulk_email(
            recipients=[
                Recipient(email="second@example.org"),
                Recipient(email="third@example.org"),
            ],
            subject="Petition update",
            body="<b>Thank you</b> for signing.",
            headers={"Date": "Wed, 25 Nov 2026 10:05:00 +0000"},
        )
    return sorted(mail_dir.glob("*.log"))


@pytest.fixture
def staff(make_member, make_organisation):
    return make_member(make_organisation(), role="moderator")


def test_staff_read_the_mailbox_newest_first(client, staff, sent):
    assert len(sent) == 2  # one file per connection
    client.force_login(staff)

    response = client.get("/en/mailbox/")

    assert response.status_code == 200
    emails = response.context["emails"]
    assert [(e.to, e.subject) for e in emails] == [
        ("third@example.org", "Petition update"),
        ("second@example.org", "Petition update"),
        ("first@example.org", "Confirm your address"),
    ]
    assert f'href="/en/mailbox/{emails[2].key}/"' in response.text


def test_staff_read_one_email_with_its_links_clickable(client, staff, sent):
    client.force_login(staff)
    key = client.get("/en/mailbox/").context["emails"][2].key

    response = client.get(f"/en/mailbox/{key}/")

    assert response.status_code == 200
    assert (
        '<a href="https://parlons.example/en/accounts/confirm-email/KEY-1/" rel="nofollow">'
        in response.text
    )
    assert "<h1>Confirm your address</h1>" in response.text
    other = client.get("/en/mailbox/").context["emails"][0].key
    assert "&lt;b&gt;Thank you&lt;/b&gt;" in client.get(f"/en/mailbox/{other}/").text


def test_a_superuser_reads_the_mailbox(client, make_participant, sent):
    client.force_login(make_participant(is_superuser=True))
    assert client.get("/fr/mailbox/").status_code == 200


def test_others_do_not_see_the_mailbox(client, make_participant, sent):
    response = client.get("/en/mailbox/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/en/accounts/login/?next=/en/mailbox/",
    )

    client.force_login(make_participant())
    assert client.get("/en/mailbox/").status_code == 404
    assert client.get(f"/en/mailbox/{sent[0].stem}-0/").status_code == 404


def test_unknown_or_malformed_keys_are_missing(client, staff, sent):
    client.force_login(staff)
    for key in [f"{sent[0].stem}-7", "20200101-000000-1-0", "..%2F..%2Fetc%2Fpasswd", "x"]:
        assert client.get(f"/en/mailbox/{key}/").status_code == 404


def test_no_mailbox_when_emails_really_leave(client, staff, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    client.force_login(staff)
    assert client.get("/en/mailbox/").status_code == 404
    client.logout()
    assert client.get("/en/mailbox/").status_code == 404


def test_an_empty_mailbox_says_so(client, staff, mail_dir):
    client.force_login(staff)
    response = client.get("/de/mailbox/")
    assert response.status_code == 200
    assert response.context["emails"] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_mailbox_is_accessible(
    page, mail_dir, client, live_server, make_member, make_organisation
):
    staff = make_member(make_organisation(), role="admin")
    queue_email(
        to="camille@example.org",
        subject="Bestätigen Sie Ihre E-Mail-Adresse",
        body="https://parlons.example/de/accounts/confirm-email/KEY/",
        language="de",
    )
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto("/fr/mailbox/")
    assert_accessible(page)
    page.get_by_role("link", name="Bestätigen Sie Ihre E-Mail-Adresse").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bestätigen Sie Ihre E-Mail-Adresse"
    expect(
        page.get_by_role("link", name="https://parlons.example/de/accounts/confirm-email/KEY/")
    ).to_be_visible()
    assert_accessible(page)
