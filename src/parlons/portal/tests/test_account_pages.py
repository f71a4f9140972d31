"""The participant's own pages: profile, optional demographics, verification, deletion."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils import translation

from parlons.core.audit.models import AuditEntry
from parlons.core.participants.models import Demographics, Verification
from parlons.core.participants.services import do_generate_codes, do_import_census
from parlons.core.processes.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def ana(client, make_participant):
    person = make_participant("ana@example.org", language="en")
    client.force_login(person)
    return person


@pytest.fixture
def city(make_organisation, make_member):
    organisation = make_organisation(slug="lyon", name="Lyon")
    Area.objects.create(
        organisation=organisation, code="centre", name={"en": "Centre"}, postcodes=["69001"]
    )
    admin = make_member(organisation)
    do_import_census(organisation=organisation, rows=[("VL-77", "1984-03-07")], actor=admin)
    return organisation


def test_the_account_pages_need_a_login(client):
    for url in ("/en/me/", "/en/me/demographics/", "/en/me/data/", "/en/me/delete/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=")


def test_profile_name_language_and_notifications(client, ana):
    response = client.post(
        "/en/me/",
        {"display_name": "Ana L.", "language": "de", "notify_updates": "on"},
    )
    assert (response.status_code, response["Location"]) == (302, "/de/me/")
    ana.refresh_from_db()
    assert (ana.display_name, ana.language, ana.notify_replies, ana.notify_updates) == (
        "Ana L.",
        "de",
        False,
        True,
    )


def test_a_bad_language_is_refused_and_changes_nothing(client, ana):
    response = client.post("/en/me/", {"display_name": "X", "language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    ana.refresh_from_db()
    assert (ana.display_name, ana.language) == ("", "en")


def test_demographics_are_kept_only_with_consent(client, ana):
    answers = {"age_band": "30-44", "gender": "woman", "area_code": "Croix-Rousse"}
    client.post("/en/me/demographics/", answers)  # no consent ticked
    assert not Demographics.objects.filter(participant=ana).exists()

    client.post("/en/me/demographics/", answers | {"consent": "on"})
    row = Demographics.objects.get(participant=ana)
    assert (row.age_band, row.gender, row.area_code) == ("30-44", "woman", "Croix-Rousse")
    page = client.get("/en/me/demographics/").text
    assert 'name="consent" id="id_consent" checked' in page

    client.post("/en/me/demographics/", answers)  # consent withdrawn
    assert not Demographics.objects.filter(participant=ana).exists()
    assert AuditEntry.objects.filter(code="participants.demographics.withdrawn").count() == 2


def test_download_my_data(client, ana):
    response = client.post("/en/me/data/")
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert json.loads(archive.read("profile.json"))["email"] == "ana@example.org"
    assert AuditEntry.objects.filter(code="participants.data.exported", actor=ana).exists()


def test_delete_needs_the_confirmation_then_logs_out(client, ana):
    response = client.post("/en/me/delete/", {})
    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.erased_at is None
    response = client.post("/en/me/delete/", {"confirm": "on"})
    assert (response.status_code, response["Location"]) == (302, "/en/")
    ana.refresh_from_db()
    assert ana.erased_at is not None
    assert client.get("/en/me/").status_code == 302


def test_the_last_administrator_cannot_delete_their_account(client, make_member, make_organisation):
    boss = make_member(make_organisation())
    client.force_login(boss)
    response = client.post("/en/me/delete/", {"confirm": "on"})
    assert "last administrator of an organisation" in response.text
    boss.refresh_from_db()
    assert boss.erased_at is None


# --- verifying eligibility --------------------------------------------------------------


def test_verify_by_postcode_then_return_to_the_vote(client, ana, city):
    response = client.post(
        "/en/lyon/verify/",
        {"method": "postcode", "postcode-postcode": "69001", "next": "/en/lyon/budget/"},
    )
    assert (response.status_code, response["Location"]) == (302, "/en/lyon/budget/")
    assert Verification.objects.get(participant=ana).area.code == "centre"
    page = client.get("/en/lyon/verify/").text
    assert "Already verified" in page and "Centre" in page


def test_a_next_address_elsewhere_is_not_followed(client, ana, city):
    response = client.post(
        "/en/lyon/verify/",
        {"method": "postcode", "postcode-postcode": "69001", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/en/lyon/verify/"


def test_verify_by_census_keeps_no_identifier(client, ana, city):
    response = client.post(
        "/en/lyon/verify/",
        {"method": "census", "census-identifier": "VL-77", "census-birth_date": "1984-03-07"},
    )
    assert response.status_code == 302
    assert sorted(
        Verification.objects.filter(participant=ana).values_list("method", flat=True)
    ) == [
        "age",
        "census",
    ]
    assert "VL-77" not in json.dumps(list(Verification.objects.values("data", "identity_hash")))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "postcode", "postcode-postcode": "75011"}, "not in the area of Lyon"),
        (
            {"method": "census", "census-identifier": "VL-78", "census-birth_date": "1984-03-07"},
            "We could not find this number",
        ),
        ({"method": "census", "census-identifier": "VL-77", "census-birth_date": "7 March"},
         "Enter a valid date."),
        ({"method": "code", "code-code": "AAAAA-BBBBB"}, "This code is not valid"),
        ({"method": "age", "age-birth_date": "2999-01-01"}, "Enter a real date of birth."),
    ],
)  # fmt: skip
def test_a_failed_verification_says_why_and_records_nothing(client, ana, city, data, message):
    response = client.post("/en/lyon/verify/", data)
    assert response.status_code == 200
    assert message in response.text
    assert not Verification.objects.filter(participant=ana).exists()


def test_verify_by_code(client, ana, city, make_member):
    [code] = do_generate_codes(organisation=city, count=1, batch="b", actor=make_member(city))
    response = client.post("/en/lyon/verify/", {"method": "code", "code-code": code})
    assert response.status_code == 302
    assert Verification.objects.get(participant=ana).method == "code"
    again = client.post("/en/lyon/verify/", {"method": "code", "code-code": code})
    assert "This code is not valid or has already been used." in again.text


def test_password_reset_by_the_link_sent(
    client, make_participant, mailoutbox, django_capture_on_commit_callbacks
):
    import re

    from allauth.account.models import EmailAddress

    person = make_participant("bo@example.org", password="an old passphrase 1")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/password/reset/", {"email": "bo@example.org"})
    [sent] = mailoutbox
    link = re.search(r"https?://[^/]+(/en/accounts/password/reset/key/\S+/)", sent.body).group(1)
    form = client.get(link, follow=True)
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    response = client.post(
        action, {"password1": "a new passphrase 22", "password2": "a new passphrase 22"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a new passphrase 22")
