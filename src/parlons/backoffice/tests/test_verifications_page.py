"""The back-office verifications page: census upload, codes to print, conflicts, revocation."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parlons.core.audit.models import AuditEntry
from parlons.core.participants.models import CensusEntry, Verification, VotingCode
from parlons.core.participants.services import (
    do_import_census,
    do_redeem_code,
    do_verify_census,
)

pytestmark = pytest.mark.django_db
URL = "/en/backoffice/lyon/verifications/"


def upload(content: bytes, name="list.csv"):
    return {"census": "1", "file": SimpleUploadedFile(name, content, content_type="text/csv")}


@pytest.mark.parametrize(
    "content",
    [
        b"number,birth date\nVL-1,1984-03-07\nVL-2,1990-12-31\n",
        "numéro;date de naissance\r\nVL-1;07/03/1984\r\nVL-2;31/12/1990\r\n".encode("utf-8-sig"),
        b"VL-1\t1984-03-07\nVL-2\t1990-12-31\n\n",
    ],
    ids=["commas", "semicolons-french-dates", "tabs"],
)
def test_a_census_list_is_loaded_hashed(admin_client, city, make_participant, content):
    response = admin_client.post(URL, upload(content), follow=True)
    assert "2 entries loaded." in response.text
    assert CensusEntry.objects.filter(organisation=city).count() == 2
    assert not any(b"VL-" in path.read_bytes() for path in media_files())
    do_verify_census(
        participant=make_participant(),
        organisation=city,
        identifier="VL-1",
        birth_date=date(1984, 3, 7),
    )


def media_files():
    from django.conf import settings

    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"VL-1,1984-03-07\nVL-2,31 December\n", "list.csv", "Line 2: expected an identifier"),
        (b"VL-1,1984-03-07\nVL-2,1984-02-30\n", "list.csv", "Line 2: expected"),
        ("VL-1,1984-03-07\n".encode("utf-16"), "list.csv", "not a CSV file in UTF-8"),
        (b"number,birth date\n", "list.csv", "The file holds no line to load."),
        (b"VL-1,1984-03-07\n", "list.exe", "File extension"),
    ],
)
def test_a_bad_census_file_is_refused_clearly_and_loads_nothing(
    admin_client, city, make_member, content, name, message
):
    do_import_census(organisation=city, rows=[("OLD-1", "1950-01-01")], actor=make_member(city))
    response = admin_client.post(URL, upload(content, name))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CensusEntry.objects.filter(organisation=city).count() == 1  # the old list stays


def test_line_1_that_is_not_a_header_but_a_bad_line_is_reported(admin_client):
    response = admin_client.post(URL, upload(b"VL-1,1984-03-07,extra\nVL-2,1984-03-07\n"))
    assert "The file holds no line to load." not in response.text
    assert CensusEntry.objects.count() == 1  # the first line is taken as a header


def test_codes_are_downloaded_once_as_csv_and_work(admin_client, city, make_participant):
    response = admin_client.post(URL, {"codes": "1", "batch": "letters", "count": "25"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="codes-letters.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["batch", "code"] and len(rows) == 26
    assert {batch for batch, _code in rows[1:]} == {"letters"}
    assert VotingCode.objects.filter(organisation=city, batch="letters").count() == 25
    do_redeem_code(participant=make_participant(), organisation=city, code=rows[5][1])
    entry = AuditEntry.objects.get(code="participants.codes.generated")
    assert entry.data == {"batch": "letters", "count": 25}


@pytest.mark.parametrize("count", ["0", "100001", "many"])
def test_a_bad_number_of_codes_creates_none(admin_client, count):
    response = admin_client.post(URL, {"codes": "1", "batch": "letters", "count": count})
    assert response.status_code == 200
    assert VotingCode.objects.count() == 0


def test_conflicts_are_shown_to_admins(admin_client, city, make_member, make_participant):
    from django.core.exceptions import ValidationError

    do_import_census(organisation=city, rows=[("VL-1", "1984-03-07")], actor=make_member(city))
    ana = make_participant("ana@example.org")
    bob = make_participant("bob@example.org")
    do_verify_census(
        participant=ana, organisation=city, identifier="VL-1", birth_date=date(1984, 3, 7)
    )
    with pytest.raises(ValidationError):
        do_verify_census(
            participant=bob, organisation=city, identifier="VL-1", birth_date=date(1984, 3, 7)
        )

    html = admin_client.get(URL).content.decode()
    conflicts = html[html.index("Conflicts") : html.index("Verified participants")]
    assert "No conflict." not in conflicts
    assert "ana@example.org" in conflicts and "bob@example.org" in conflicts
    assert "census" in conflicts


def test_an_admin_revokes_a_verification(admin_client, city, make_member, make_participant):
    do_import_census(organisation=city, rows=[("VL-1", "1984-03-07")], actor=make_member(city))
    ana = make_participant("ana@example.org")
    held = do_verify_census(
        participant=ana, organisation=city, identifier="VL-1", birth_date=date(1984, 3, 7)
    )
    response = admin_client.post(URL, {"revoke": held.pk, "reason": "deceased"}, follow=True)
    assert "The verification was revoked." in response.text
    held.refresh_from_db()
    assert held.revoked_at is not None
    assert AuditEntry.objects.filter(code="participants.verification.revoked").count() == 1
    assert Verification.objects.filter(participant=ana, revoked_at__isnull=True).count() == 1  # age


def test_an_admin_cannot_revoke_another_organisations_verification(
    admin_client, make_organisation, make_member, make_participant
):
    other = make_organisation()
    do_import_census(organisation=other, rows=[("X-1", "1984-03-07")], actor=make_member(other))
    held = do_verify_census(
        participant=make_participant(),
        organisation=other,
        identifier="X-1",
        birth_date=date(1984, 3, 7),
    )
    assert admin_client.post(URL, {"revoke": held.pk}).status_code == 404
    held.refresh_from_db()
    assert held.revoked_at is None


# --- areas and their postcode lists -------------------------------------------------------


def area_form(**changes):
    return {
        "name_fr": "Vieux-Lyon",
        "code": "vieux-lyon",
        "postcodes": "69005, 69 005\n69321",
    } | changes


def test_an_admin_adds_an_area_with_its_postcodes(admin_client, city, make_participant):
    from parlons.core.participants.services import do_verify_postcode
    from parlons.core.processes.models import Area

    response = admin_client.post(
        "/en/backoffice/lyon/verifications/areas/new/", area_form(), follow=True
    )
    assert "The area was saved." in response.content.decode()
    area = Area.objects.get(organisation=city)
    assert (area.code, area.name, area.postcodes) == (
        "vieux-lyon",
        {"fr": "Vieux-Lyon"},
        ["69005", "69321"],
    )
    assert "Vieux-Lyon" in response.content.decode()
    assert (
        do_verify_postcode(participant=make_participant(), organisation=city, postcode="69321").area
        == area
    )
    assert AuditEntry.objects.filter(code="processes.area.created").count() == 1


def test_postcodes_come_from_a_file_too_and_an_area_is_changed(admin_client, city):
    from parlons.core.processes.models import Area

    admin_client.post("/en/backoffice/lyon/verifications/areas/new/", area_form())
    area = Area.objects.get()
    upload = SimpleUploadedFile("codes.csv", b"postcode\r\n69001\r\nsw1a 1aa\r\n")
    response = admin_client.post(
        f"/en/backoffice/lyon/verifications/areas/{area.pk}/",
        area_form(postcodes="", file=upload) | {"name_en": "Old Lyon"},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.postcodes == ["69001", "SW1A1AA"]
    assert area.name == {"fr": "Vieux-Lyon", "en": "Old Lyon"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"postcodes": " , "}, "Give at least one postcode."),
        ({"code": "not a code!"}, "Enter a valid “slug”"),
        ({"name_fr": ""}, "This field is required."),
    ],
)
def test_a_bad_area_is_refused_and_nothing_is_saved(admin_client, changes, message):
    from parlons.core.processes.models import Area

    response = admin_client.post(
        "/en/backoffice/lyon/verifications/areas/new/", area_form(**changes)
    )
    assert message in response.content.decode()
    assert not Area.objects.exists()


def test_a_postcode_belongs_to_one_area_only(admin_client, city):
    from parlons.core.processes.models import Area

    admin_client.post("/en/backoffice/lyon/verifications/areas/new/", area_form())
    response = admin_client.post(
        "/en/backoffice/lyon/verifications/areas/new/",
        area_form(code="presquile", name_fr="Presqu'île", postcodes="69001\n69005"),
    )
    assert "These postcodes already belong to another area: 69005" in response.content.decode()
    assert Area.objects.count() == 1
