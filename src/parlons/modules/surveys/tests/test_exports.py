"""Exports (CSV codes/labels, XLSX, codebook, SPSS syntax), the import's errors, the API."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from parlons.modules.surveys.exports import (
    codebook_rows,
    iter_responses_csv,
    iter_responses_xlsx,
    spss_syntax,
)
from parlons.modules.surveys.importing import do_import_responses
from parlons.modules.surveys.models import Response
from parlons.modules.surveys.services import do_publish_results, do_submit_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(make_questionnaire, make_participant):
    questionnaire = make_questionnaire()
    do_submit_response(
        questionnaire=questionnaire,
        person=make_participant(),
        language="fr",
        answers={"mode": 1, "grid": {"1": 2}, "age": 41, "why": '=HYPERLINK("x")'},
    )
    do_submit_response(
        questionnaire=questionnaire,
        person=make_participant(),
        language="de",
        answers={"mode": "other", "mode.other": "Zu Fuß"},
    )
    return questionnaire


def read_csv(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))


def test_csv_in_codes_and_labels_one_row_per_response(answered):
    header, *rows = read_csv(
        iter_responses_csv(questionnaire=answered, labels=False, language="fr")
    )
    assert header[4:] == ["mode", "mode_other", "grid_1", "grid_2", "age", "why"]
    assert [r[4:] for r in rows] == [
        ["1", "", "2", "", "41", '\'=HYPERLINK("x")'],
        ["other", "Zu Fuß", "", "", "", ""],
    ]
    _header, *labelled = read_csv(
        iter_responses_csv(questionnaire=answered, labels=True, language="de")
    )
    assert [r[4:7] for r in labelled] == [["Mit dem Rad", "", "Schlecht"], ["Andere", "Zu Fuß", ""]]


def test_xlsx_reads_back_in_openpyxl(answered):
    import openpyxl

    workbook = openpyxl.load_workbook(
        io.BytesIO(
            b"".join(iter_responses_xlsx(questionnaire=answered, labels=True, language="fr"))
        )
    )
    sheet = workbook["responses"]
    assert [c.value for c in sheet[2]][4:7] == ["À vélo", None, "Mal"]
    assert sheet.max_row == 3


def test_codebook_and_spss_syntax_label_every_value(answered):
    rows = codebook_rows(questionnaire=answered, language="fr")
    assert ["grid_1", "Votre avis: Pistes", "matrix_single", 2, "Mal"] in rows
    syntax = spss_syntax(questionnaire=answered, language="fr")
    assert "  mode 'Comment venez-vous ?'" in syntax
    assert "  mode 1 'À vélo' 2 'En bus'" in syntax
    assert "  /grid_1 1 'Bien' 2 'Mal'" in syntax
    assert syntax.rstrip().endswith("EXECUTE.")


def test_an_import_with_one_bad_value_refuses_the_whole_file(make_questionnaire):
    questionnaire = make_questionnaire()
    content = "Mode;Age\n1;30\n2;31\nvélo;abc\n7;40\n".encode()
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        do_import_responses(
            questionnaire=questionnaire,
            content=content,
            mapping={"mode": "Mode", "age": "Age"},
            actor=None,
        )
    assert error.value.messages == [
        "Ligne 4, mode: « vélo » ne fait pas partie des options.",
        "Ligne 5, mode: « 7 » ne fait pas partie des options.",
    ]
    assert Response.objects.count() == 0
    assert (
        do_import_responses(
            questionnaire=questionnaire,
            content=b"Mode;Age\n1;30\nEn bus;NA\n",
            mapping={"mode": "Mode", "age": "Age"},
            actor=None,
        )
        == 2
    )
    assert list(Response.objects.order_by("pk").values_list("origin", "answers")) == [
        ("imported", {"mode": 1, "age": 30}),
        ("imported", {"mode": 2}),
    ]


def test_the_api_gives_the_definition_and_only_published_results(client, answered, settings):
    instance = answered.instance
    base = f"/api/v1/surveys/{instance.process.organisation.slug}/{instance.process.slug}/{instance.slug}"
    body = client.get(base).json()
    assert [q["key"] for q in body["definition"]["pages"][0]["questions"]] == [
        "mode",
        "grid",
        "age",
    ]
    assert client.get(base + "/results").status_code == 404
    do_publish_results(questionnaire=answered, published=True, actor=None)
    results = client.get(base + "/results").json()
    assert results["responses"] is None  # 2 responses, under the minimum cell size of 5
    mode = next(q for q in results["questions"] if q["key"] == "mode")
    assert [c["count"] for c in mode["tables"][0]["choices"]] == [None, 0, None]  # zeros stay
    answered.min_cell_size = 1
    answered.save()
    mode = next(q for q in client.get(base + "/results").json()["questions"] if q["key"] == "mode")
    assert [c["count"] for c in mode["tables"][0]["choices"]] == [1, 0, 1]


def test_personal_data_export_and_erasure(answered):
    from parlons.modules.surveys.personal_data import erase, export

    response = Response.objects.order_by("pk").first()
    person = response.participant
    assert export(participant=person)["responses"][0]["answers"]["age"] == 41
    erase(participant=person)
    response.refresh_from_db()
    assert (response.participant_id, response.single_key) == (None, f"erased:{response.pk}")
    assert response.answers["age"] == 41  # the tally stays
