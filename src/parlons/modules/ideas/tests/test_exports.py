"""Exports: ideas, comments and supports in CSV and XLSX, pseudonymised, formulas defused."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from parlons.contributions.exports import pseudonym
from parlons.contributions.services import do_comment, do_support
from parlons.core.registry import registry

pytestmark = pytest.mark.django_db


def _export_url(box, key):
    return reverse(
        "bo_ideas:export",
        kwargs={
            "organisation_slug": box.organisation.slug,
            "process_slug": box.process.slug,
            "instance_slug": box.instance.slug,
            "key": key,
        },
    )


@pytest.fixture
def filled(idea_box, make_idea, make_participant, refresh_counts):
    author = make_participant(display_name="Nadia", email="nadia@example.org")
    idea = make_idea(idea_box, author=author, title='=HYPERLINK("http://evil")', body="Texte")
    supporter = make_participant()
    do_support(person=supporter, obj=idea)
    do_comment(person=supporter, obj=idea, body="+1 pour cette idée", alignment=1)
    refresh_counts()
    return idea_box, idea, author, supporter


def test_the_csv_exports_are_pseudonymised_and_defused(client, filled, make_member):
    box, idea, author, supporter = filled
    client.force_login(make_member(box.organisation, "analyst"))
    ideas = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(_export_url(box, "ideas-csv")).streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert ideas[0][:3] == ["id", "reference", "title"]
    row = dict(zip(ideas[0], ideas[1], strict=True))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["author"] == pseudonym(instance_id=box.instance.pk, participant_id=author.pk)
    assert (row["supports"], row["comments"]) == ("1", "1")
    comments = b"".join(client.get(_export_url(box, "comments-csv")).streaming_content).decode()
    assert "'+1 pour cette idée" in comments
    supports = b"".join(client.get(_export_url(box, "supports-csv")).streaming_content).decode()
    assert pseudonym(instance_id=box.instance.pk, participant_id=supporter.pk) in supports
    everything = ideas.__str__() + comments + supports
    assert "nadia" not in everything.lower() and "@" not in everything


def test_the_xlsx_export_has_three_sheets(client, filled, make_member):
    box, idea, _author, _supporter = filled
    client.force_login(make_member(box.organisation, "evaluator"))
    response = client.get(_export_url(box, "all-xlsx"))
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["ideas", "comments", "supports"]
    assert book["ideas"]["A2"].value == idea.pk
    assert book["supports"].max_row == 2


def test_the_declared_exporters_write_the_same_files(filled):
    box, _idea, _author, _supporter = filled
    declaration = registry.get("ideas")
    assert [e.key for e in declaration.exporters] == [
        "ideas-csv",
        "comments-csv",
        "supports-csv",
        "all-xlsx",
    ]
    out = io.BytesIO()
    declaration.exporters[0].write(box.instance, out)
    assert out.getvalue().decode("utf-8-sig").startswith("id,reference,title")


def test_participants_and_moderators_cannot_export(client, filled, make_participant, make_member):
    box = filled[0]
    client.force_login(make_participant())
    assert client.get(_export_url(box, "ideas-csv")).status_code == 404
    client.force_login(make_member(box.organisation, "moderator"))
    assert client.get(_export_url(box, "ideas-csv")).status_code == 404
