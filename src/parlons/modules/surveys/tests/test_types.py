"""Every question type through the answering page, its storage, its results and its export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parlons.modules.surveys.exports import iter_responses_csv
from parlons.modules.surveys.models import Response
from parlons.modules.surveys.results import question_results
from parlons.modules.surveys.selectors import load_response_data

from .conftest import options, text

pytestmark = pytest.mark.django_db

ALL_TYPES = {
    "sections": [],
    "pages": [
        {
            "key": "p1",
            "questions": [
                {"key": "name", "type": "short_text", "text": text("Nom")},
                {
                    "key": "pick",
                    "type": "dropdown",
                    "text": text("Liste"),
                    "options": options("a", "b"),
                    "other": True,
                },
                {
                    "key": "many",
                    "type": "multiple",
                    "text": text("Plusieurs"),
                    "options": options("a", "b", "c"),
                    "other": True,
                    "random_order": True,
                },
                {
                    "key": "mark",
                    "type": "scale",
                    "text": text("Note"),
                    "scale": {"min": 0, "max": 10, "labels": {"0": text("nul"), "10": text("top")}},
                },
                {
                    "key": "order",
                    "type": "ranking",
                    "text": text("Classement"),
                    "options": options("x", "y", "z"),
                },
                {
                    "key": "grid",
                    "type": "matrix_multiple",
                    "text": text("Grille"),
                    "rows": options("r1", "r2"),
                    "columns": options("c1", "c2"),
                },
                {"key": "day", "type": "date", "text": text("Jour")},
                {
                    "key": "where",
                    "type": "area",
                    "text": text("Quartier"),
                    "options": [
                        {"code": 1, "label": text("Centre"), "area": "centre"},
                        {"code": 2, "label": text("Rives"), "area": "rives"},
                    ],
                },
                {
                    "key": "spot",
                    "type": "location",
                    "text": text("Lieu"),
                    "options": [{"code": 1, "label": text("Centre"), "area": "centre"}],
                },
                {"key": "doc", "type": "file", "text": text("Pièce"), "extensions": ["pdf"]},
                {"key": "ok", "type": "consent", "text": text("J'accepte"), "required": True},
            ],
        }
    ],
}


def test_every_type_is_answered_stored_counted_and_exported(client, make_questionnaire):
    from parlons.core.processes.models import Area

    questionnaire = make_questionnaire(ALL_TYPES, guests=True)
    organisation = questionnaire.instance.process.organisation
    Area.objects.create(
        organisation=organisation, code="rives", name=text("Rives"), postcodes=["38110"]
    )
    instance = questionnaire.instance
    page = f"/fr/{organisation.slug}/{instance.process.slug}/surveys/{instance.slug}/page/p1/"
    html = client.get(page).content.decode()
    assert 'type="file"' in html and 'name="q-order-1"' in html
    refused = client.post(
        page, {"q-order-1": "1", "q-order-2": "3", "q-doc": SimpleUploadedFile("a.exe", b"x")}
    )
    body = refused.content.decode()
    assert "Donnez à chaque option classée un rang différent" in body
    assert "Envoyez un fichier de l’un de ces types : pdf." in body
    assert "Cochez cette case pour continuer." in body
    assert Response.objects.count() == 0
    done = client.post(
        page,
        {
            "q-name": "Ana",
            "q-pick": "other",
            "q-pick-other": "c",
            "q-many": ["3", "other"],
            "q-many-other": "d",
            "q-mark": "7",
            "q-order-3": "1",
            "q-order-1": "2",
            "q-grid-1": ["1", "2"],
            "q-grid-2": "2",
            "q-day": "2026-05-01",
            "q-where-postcode": "38 110",
            "q-spot-area": "1",
            "q-spot-lat": "45,19",
            "q-spot-lon": "5.72",
            "q-doc": SimpleUploadedFile("plan.pdf", b"%PDF-1.4"),
            "q-ok": "1",
            "next": "1",
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    answers = Response.objects.get().answers
    assert {k: v for k, v in answers.items() if k != "doc"} == {
        "name": "Ana",
        "pick": "other",
        "pick.other": "c",
        "many": [3, "other"],
        "many.other": "d",
        "mark": 7,
        "order": [3, 1],
        "grid": {"1": [1, 2], "2": [2]},
        "day": "2026-05-01",
        "where": 2,
        "spot": {"area": 1, "lat": 45.19, "lon": 5.72},
        "ok": 1,
    }
    assert answers["doc"]["name"] == "plan.pdf" and answers["doc"]["path"].startswith(
        f"surveys/{questionnaire.pk}/"
    )
    results = {
        r.key: r
        for r in question_results(
            questionnaire=questionnaire, data=load_response_data(questionnaire=questionnaire)
        )
    }
    assert [row.count for row in results["many"].tables[0].rows] == [0, 0, 1, 1]
    assert results["mark"].summary["mean"] == 7
    assert results["order"].summary["ranking"][0] == ("z", 1.0)
    assert [row.count for row in results["grid"].tables[0].rows] == [1, 1]
    assert results["day"].summary["median"] == "2026-05-01"
    assert results["doc"].answered == 1 and results["spot"].answered == 1
    header, row = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    iter_responses_csv(questionnaire=questionnaire, labels=False, language="fr")
                ).decode("utf-8-sig")
            )
        )
    )
    cells = dict(zip(header, row, strict=True))
    assert (
        cells["many_3"],
        cells["many_other"],
        cells["order_3"],
        cells["grid_1"],
        cells["spot_lat"],
        cells["doc"],
    ) == (
        "1",
        "d",
        "1",
        "1; 2",
        "45.19",
        "plan.pdf",
    )
