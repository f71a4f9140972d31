"""The builder and the organisers' pages: roles, constant queries, refused edits change nothing."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parlons.modules.surveys.models import Questionnaire, Response
from parlons.modules.surveys.services import do_submit_response

pytestmark = pytest.mark.django_db


def bo(questionnaire, path=""):
    instance = questionnaire.instance
    return f"/en/backoffice/{instance.process.organisation.slug}/processes/{instance.process.slug}/surveys/{instance.slug}/{path}"


@pytest.mark.parametrize(
    ("role", "builder", "results"),
    [("admin", 200, 200), ("analyst", 200, 200), ("moderator", 404, 404), (None, 404, 404)],
)
def test_who_may_open_the_builder_and_the_results(
    client, make_questionnaire, organiser, make_participant, role, builder, results
):
    questionnaire = make_questionnaire()
    organisation = questionnaire.instance.process.organisation
    person = organiser(organisation, role) if role else make_participant()
    client.force_login(person)
    assert client.get(bo(questionnaire)).status_code == builder
    assert client.get(bo(questionnaire, "results/")).status_code == results
    edit = client.post(bo(questionnaire, "pages/new/"), {"key": "p9"})
    assert edit.status_code == (302 if role == "admin" else 404)
    questionnaire.refresh_from_db()
    assert ("p9" in [p["key"] for p in questionnaire.definition["pages"]]) == (role == "admin")


def test_the_results_page_makes_the_same_queries_for_3_or_30_responses(
    client, make_questionnaire, organiser, make_participant, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    questionnaire = make_questionnaire()
    client.force_login(organiser(questionnaire.instance.process.organisation, "analyst"))
    counts = []
    for total in (3, 30):
        while questionnaire.responses.count() < total:
            do_submit_response(
                questionnaire=questionnaire,
                person=make_participant(),
                answers={"mode": 2},
                language="fr",
            )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(bo(questionnaire, "results/") + "?rows=q:mode&columns=d:gender")
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert f"{30} responses counted." in page.content.decode()


def test_a_cycle_is_refused_by_the_builder_and_the_json_import_and_changes_nothing(
    client, make_questionnaire, organiser
):
    import copy

    from .conftest import DEFINITION

    questionnaire = make_questionnaire()
    before = questionnaire.definition
    client.force_login(organiser(questionnaire.instance.process.organisation))
    # The builder only offers questions of earlier pages, so "why" (on p2) cannot be chosen.
    refused = client.post(
        bo(questionnaire, "pages/p2/"),
        {
            "key": "p2",
            "title_fr": "Vélo",
            "rule_1_question": "why",
            "rule_1_op": "answered",
            "condition_mode": "all",
        },
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    # A definition file can say it: page p2 shown only if "why", asked on p2, is answered.
    cyclic = copy.deepcopy(DEFINITION)
    cyclic["pages"][1]["condition"] = {
        "mode": "all",
        "rules": [{"question": "why", "op": "answered"}],
    }
    upload = SimpleUploadedFile(
        "q.json", json.dumps(cyclic).encode(), content_type="application/json"
    )
    refused = client.post(bo(questionnaire, "definition/import/"), {"file": upload})
    assert (
        "The display conditions form a cycle (page p2 → why → page p2)" in refused.content.decode()
    )
    questionnaire.refresh_from_db()
    assert questionnaire.definition == before


def test_definition_json_round_trip_and_duplicate(client, make_questionnaire, organiser):
    questionnaire = make_questionnaire()
    client.force_login(organiser(questionnaire.instance.process.organisation))
    document = client.get(bo(questionnaire, "definition.json")).content
    other = make_questionnaire(
        process=questionnaire.instance.process, definition={"sections": [], "pages": []}
    )
    upload = SimpleUploadedFile("q.json", document, content_type="application/json")
    assert client.post(bo(other, "definition/import/"), {"file": upload}).status_code == 302
    other.refresh_from_db()
    assert other.definition == questionnaire.definition
    broken = SimpleUploadedFile("q.json", b"{not json", content_type="application/json")
    assert (
        "This file is not valid JSON."
        in client.post(bo(other, "definition/import/"), {"file": broken}).content.decode()
    )
    copy = client.post(bo(questionnaire, "duplicate/"), {"slug": "copie", "title_fr": "Copie"})
    assert copy.status_code == 302
    assert Questionnaire.objects.get(instance__slug="copie").definition == questionnaire.definition
    assert json.loads(document)["format"] == "parlons-questionnaire"


def test_import_through_the_pages_with_a_mapping(client, make_questionnaire, organiser):
    questionnaire = make_questionnaire()
    client.force_login(organiser(questionnaire.instance.process.organisation))
    upload = SimpleUploadedFile(
        "r.csv", "Transport,Years\nÀ vélo,30\nEn bus,\n".encode(), content_type="text/csv"
    )
    step = client.post(bo(questionnaire, "import/"), {"file": upload})
    stored = step["Location"].split("stored=")[1]
    mapping = client.get(bo(questionnaire, "import/") + f"?stored={stored}").content.decode()
    assert '<option value="Transport">Transport</option>' in mapping
    done = client.post(
        bo(questionnaire, "import/"),
        {"stored": stored, "map-mode": "Transport", "map-age": "Years", "missing": "NA"},
    )
    assert done.status_code == 302
    assert sorted(Response.objects.values_list("origin", "answers__mode")) == [
        ("imported", 1),
        ("imported", 2),
    ]
    assert client.get(bo(questionnaire, "export/csv-labels/")).status_code == 200
