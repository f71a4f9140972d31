"""Directories: import, re-import in place with a report, the command line, the
back-office upload, and bad files."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from parlons.core.audit.models import AuditEntry
from parlons.modules.interpellations import services
from parlons.modules.interpellations.models import Directory, Representative, Source, Stance
from parlons.modules.interpellations.tests.conftest import (
    COMMUNES,
    DEPUTIES,
    POSTCODES,
    rep,
    small_directory,
)
from parlons.testing.data import shared_data

pytestmark = pytest.mark.django_db


def test_reimport_updates_in_place_and_reports_what_changed(campaign, staff):
    martin = rep(campaign, "PA2")
    services.do_record_stances(
        person=staff, instance=campaign.instance, representative=martin,
        positions={campaign.proposals[0].pk: "supports"}, source="lettre",
        stated_on=__import__("datetime").date(2026, 11, 1),
    )  # fmt: skip
    changed = (
        DEPUTIES.replace("Droite Républicaine,DR", "Les Républicains,LR").replace(  # Breton's group
            "PA2,Martin,Anne,Écologiste et Social,ECOS,01,Ain,4,anne.martin@an.example,\n", ""
        )
        + "PA9,Petit,Zoé,Socialistes,SOC,01,Ain,4,zoe.petit@an.example,\n"
    )

    report = services.do_import_directory(
        actor=staff, directory=campaign.directory, parsed=small_directory(changed)
    )

    assert (report.added, report.removed, report.unchanged) == (("Zoé Petit",), ("Anne Martin",), 1)
    assert report.changed == (("Xavier Breton", ("group", "group_abbreviation")),)
    breton = rep(campaign, "PA1")
    assert (breton.group, breton.pk) == ("Les Républicains", rep(campaign, "PA1").pk)
    martin.refresh_from_db()
    assert martin.left_at is not None  # kept, with the stance recorded
    assert Stance.objects.filter(representative=martin).count() == 1
    assert [c.code for c in rep(campaign, "PA9").constituencies.all()] == ["01004"]
    entry = (
        AuditEntry.objects.filter(code="interpellations.directory.imported").order_by("pk").last()
    )
    assert entry.data == {"added": 1, "changed": 1, "removed": 1, "unchanged": 1,
                          "constituencies": 3, "postcodes": 3}  # fmt: skip
    # Martin comes back in the next file: the same row again.
    again = services.do_import_directory(
        actor=staff, directory=campaign.directory, parsed=small_directory()
    )
    assert again.added == ("Anne Martin",) and rep(campaign, "PA2").pk == martin.pk
    assert rep(campaign, "PA2").left_at is None


def test_the_command_imports_the_real_files_and_reports_a_reimport(make_organisation):
    organisation = make_organisation(slug="villeneuve")
    uk = shared_data("representatives", "uk", "mp_lookup.csv")
    out = io.StringIO()

    call_command("import-representatives", "villeneuve", "mps", "--source", "uk-mps",
                 "--file", str(uk), stdout=out)  # fmt: skip
    call_command("import-representatives", "villeneuve", "mps", "--source", "uk-mps",
                 "--file", str(uk), stdout=out)  # fmt: skip

    lines = out.getvalue().splitlines()
    assert (
        lines[0]
        == "mps: 650 added, 0 changed, 0 removed, 0 unchanged; 650 constituencies, 0 postcode rows"
    )
    assert (
        "mps: 0 added, 0 changed, 0 removed, 650 unchanged; 650 constituencies, 0 postcode rows"
        in lines
    )
    assert sum("No email found" in line for line in lines) == 8  # four placeholders, twice
    directory = Directory.objects.get(organisation=organisation, slug="mps")
    assert Representative.objects.filter(directory=directory).count() == 650


def test_the_real_meps_and_popolo_files_import(make_organisation):
    organisation = make_organisation()
    eu = shared_data("representatives", "eu")
    for source, files, count in (
        (Source.MEPS, {"file": eu / "meps.csv", "regions": eu / "mep_regions.csv"}, 718),
        (Source.POPOLO, {"file": shared_data("representatives", "popolo",
                         "nigeria_house_of_representatives_ep-popolo-v1.0.json")}, 370),
    ):  # fmt: skip
        directory = services.do_create_directory(
            actor=None, organisation=organisation, name=source, source=source
        )
        parsed = services.read_directory_files(source=source, files=files)
        report = services.do_import_directory(actor=None, directory=directory, parsed=parsed)
        assert len(report.added) == count


def test_bad_files_are_clear_errors_and_change_nothing(make_organisation):
    with pytest.raises(ValidationError, match="Missing file"):
        services.read_directory_files(source=Source.FRENCH_DEPUTIES, files={"deputies": "x"})
    with pytest.raises(ValidationError, match="could not be read: column"):
        services.read_directory_files(
            source=Source.CSV, files={"file": io.StringIO("a,b\n1,2\n")}, mapping="id=x,name=y"
        )
    with pytest.raises(ValidationError, match="field=column"):
        services.read_directory_files(
            source=Source.CSV, files={"file": io.StringIO("a\n")}, mapping="id"
        )
    assert Directory.objects.count() == 0


def test_the_backoffice_upload_imports_and_shows_the_report(campaign, staff, client):
    client.force_login(staff)
    index = reverse(
        "bo_org_interpellations:index", kwargs={"organisation_slug": campaign.organisation.slug}
    )
    files = {
        "deputies": SimpleUploadedFile("d.csv", DEPUTIES.encode()),
        "communes": SimpleUploadedFile("c.csv", COMMUNES.encode()),
        "postcodes": SimpleUploadedFile("p.csv", POSTCODES.encode()),
    }

    response = client.post(index, {"name": "Députés de l'Ain", "source": "fr-deputies", **files})

    assert response.status_code == 200
    assert len(response.context["report"].added) == 3
    created = Directory.objects.get(organisation=campaign.organisation, name="Députés de l'Ain")
    assert Representative.objects.filter(directory=created).count() == 3
    detail = reverse("bo_org_interpellations:directory",
                     kwargs={"organisation_slug": campaign.organisation.slug,
                             "directory_slug": created.slug})  # fmt: skip
    bad = client.post(detail, {"file": SimpleUploadedFile("x.csv", b"a,b\n")})
    assert bad.status_code == 400 and "Missing file" in bad.content.decode()
    assert Representative.objects.filter(directory=created).count() == 3
    outsider = client.get(index.replace(campaign.organisation.slug, "nowhere"))
    assert outsider.status_code == 404
