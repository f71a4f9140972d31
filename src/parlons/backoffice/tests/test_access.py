"""Who enters the back-office: members only, and administrators only with two factors."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from parlons.backoffice.tests.conftest import totp_code

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/en/backoffice/lyon/",
    "/en/backoffice/lyon/processes/new/",
    "/en/backoffice/lyon/members/",
    "/en/backoffice/lyon/branding/",
    "/en/backoffice/lyon/audit/",
    "/en/backoffice/lyon/verifications/",
    "/en/backoffice/lyon/privacy/",
]
ACTIVATE = "/en/accounts/2fa/totp/activate/"


def log_in(client, person, password="correct horse battery"):
    response = client.post("/en/accounts/login/", {"login": person.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def reauthenticate(client, password="correct horse battery"):
    response = client.post("/en/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


def test_an_admin_without_two_factor_cannot_reach_the_back_office_until_set_up(
    client, city, make_organiser
):
    claire = make_organiser(city, two_factor=False)
    log_in(client, claire)

    for url in ADMIN_PAGES:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"{ACTIVATE}?next={url}")
    page = client.get("/en/backoffice/lyon/members/", follow=True)
    assert page.status_code == 200
    assert "two-factor authentication. Set it up to continue." in page.text
    # allauth asks for the password again before a sensitive change
    assert page.redirect_chain[-1][0].startswith("/en/accounts/reauthenticate/")
    reauthenticate(client)
    assert client.get(ACTIVATE).status_code == 200

    secret = client.session["mfa.totp.secret"]
    response = client.post(
        f"{ACTIVATE}?next=/en/backoffice/lyon/members/", {"code": totp_code(secret)}
    )
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=claire, type="totp").exists()
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url


def test_a_wrong_code_sets_nothing_up(client, city, make_organiser):
    claire = make_organiser(city, two_factor=False)
    log_in(client, claire)
    reauthenticate(client)
    client.get(ACTIVATE)
    response = client.post(ACTIVATE, {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert not Authenticator.objects.filter(user=claire).exists()
    assert client.get("/en/backoffice/lyon/").status_code == 302


def test_an_admin_with_two_factor_logs_in_with_the_code(client, city, make_organiser):
    claire = make_organiser(city)
    response = log_in(client, claire)
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert client.get("/en/backoffice/lyon/").status_code == 302  # not logged in yet
    client.post("/en/accounts/2fa/authenticate/", {"code": totp_code()})
    assert client.get("/en/backoffice/lyon/").status_code == 200


def test_other_roles_need_no_second_factor_but_only_reach_their_pages(client, city, make_organiser):
    client.force_login(make_organiser(city, "moderator", two_factor=False))
    assert client.get("/en/backoffice/lyon/").status_code == 200
    for url in ADMIN_PAGES[1:]:
        assert client.get(url).status_code == 404, url


def test_strangers_get_the_same_404_as_a_missing_organisation(
    client, city, make_organisation, make_organiser
):
    client.force_login(make_organiser(make_organisation(slug="paris")))
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 404, url
    assert client.get("/en/backoffice/nowhere/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, city):
    response = client.get("/en/backoffice/lyon/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
