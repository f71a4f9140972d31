"""Administrators export or erase a participant's data when the person asks them to."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from parlons.core.audit.models import AuditEntry
from parlons.core.participants.models import Participant
from parlons.core.participants.services import do_update_profile, do_verify_postcode
from parlons.core.processes.models import Area

pytestmark = pytest.mark.django_db
URL = "/en/backoffice/lyon/privacy/"


@pytest.fixture
def resident(city, make_participant):
    """Someone who took part in Lyon (a verification there)."""
    Area.objects.create(
        organisation=city, code="centre", name={"en": "Centre"}, postcodes=["69001"]
    )
    ana = make_participant("ana@example.org", display_name="Ana Lima")
    do_verify_postcode(participant=ana, organisation=city, postcode="69001")
    do_update_profile(participant=ana, values={"display_name": "Ana L."})
    return ana


def test_an_admin_finds_a_participant_of_the_organisation(admin_client, resident):
    html = admin_client.get(URL, {"email": "ANA@example.org"}).content.decode()
    assert "ana@example.org" in html and "Ana L." in html
    assert "Download their data" in html and "Erase the account" in html


def test_people_who_never_took_part_here_are_not_found(
    admin_client, make_participant, make_organisation
):
    make_participant("stranger@example.org")
    html = admin_client.get(URL, {"email": "stranger@example.org"}).content.decode()
    assert "No account with this address has taken part in Lyon." in html
    assert "Download their data" not in html
    response = admin_client.post(URL, {"email": "stranger@example.org", "action": "export"})
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(code="participants.data.exported").exists()


def test_an_admin_downloads_the_data_and_it_is_audited(admin_client, city, resident):
    response = admin_client.post(URL, {"email": resident.email, "action": "export"})
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="parlons-data-{resident.pk}-'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        profile = json.loads(archive.read("profile.json"))
        verifications = json.loads(archive.read("verifications.json"))
    assert (profile["email"], profile["display_name"]) == ("ana@example.org", "Ana L.")
    assert [(v["method"], v["organisation"], v["area"]) for v in verifications] == [
        ("postcode", "lyon", "centre")
    ]
    entry = AuditEntry.objects.get(code="participants.data.exported")
    assert (entry.organisation, entry.data, entry.target_id) == (
        city,
        {"by": "admin"},
        str(resident.pk),
    )
    log = admin_client.get("/en/backoffice/lyon/audit/").content.decode()
    assert "downloaded the data of" in log


def test_erasure_needs_the_confirmation(admin_client, resident):
    response = admin_client.post(URL, {"email": resident.email, "action": "erase"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    resident.refresh_from_db()
    assert resident.erased_at is None


def test_an_admin_erases_the_account_and_it_is_audited(admin_client, city, resident):
    count = Participant.objects.count()
    response = admin_client.post(
        URL, {"email": resident.email, "action": "erase", "confirm": "on"}, follow=True
    )
    assert "The account was erased." in response.content.decode()
    resident.refresh_from_db()
    assert resident.erased_at is not None and resident.email.endswith("@invalid")
    assert Participant.objects.count() == count
    entry = AuditEntry.objects.get(code="participants.account.erased")
    assert (entry.organisation, entry.data) == (city, {"by": "admin"})
    log = admin_client.get("/en/backoffice/lyon/audit/").content.decode()
    assert "Anonymous participant was verified" in log
    assert "ana@example.org" not in log


def test_the_last_administrator_is_not_erased(admin_client, city, make_organisation, make_member):
    elsewhere = make_organisation(slug="paris")
    boss = make_member(elsewhere, "admin")
    make_member(city, "moderator", participant=boss)
    response = admin_client.post(URL, {"email": boss.email, "action": "erase", "confirm": "on"})
    assert "last administrator of an organisation" in response.content.decode()
    boss.refresh_from_db()
    assert boss.erased_at is None
