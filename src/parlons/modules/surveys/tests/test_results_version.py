"""The results version: changed by every write that changes the results, and only by those."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from parlons.modules.surveys.importing import do_import_responses
from parlons.modules.surveys.models import Response
from parlons.modules.surveys.services import (
    do_confirm_guest_response,
    do_save_definition,
    do_save_draft,
    do_submit_response,
)
from parlons.modules.surveys.versions import SHARDS, results_version

from .conftest import text
from .test_backoffice import bo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_matrix_cache")]


def submit(questionnaire, person, mode=2, **extra):
    answers = {"mode": mode, **({"why": "Rapide"} if mode == 1 else {})}
    return do_submit_response(
        questionnaire=questionnaire, person=person, answers=answers, language="fr", **extra
    )


def version(questionnaire):
    return results_version(questionnaire_id=questionnaire.pk)


def draft_of(questionnaire, person):
    draft, _token = do_save_draft(
        questionnaire=questionnaire,
        person=person,
        draft=None,
        answers={"mode": 2},
        page="p1",
        language="fr",
    )
    return draft


def new_option(questionnaire):
    definition = copy.deepcopy(questionnaire.definition)
    options = definition["pages"][0]["questions"][0]["options"]
    options.insert(0, {"code": 9, "label": text("À pied", "Zu Fuß")})
    do_save_definition(questionnaire=questionnaire, definition=definition, actor=None)


def erase_first(questionnaire):
    from parlons.modules.surveys.personal_data import erase

    erase(participant=Response.objects.filter(questionnaire=questionnaire).first().participant)


WRITES = {
    "a new response": lambda q, people: submit(q, people()),
    "a completed draft": lambda q, people: submit(q, p := people(), draft=draft_of(q, p)),
    "an import": lambda q, people: do_import_responses(
        questionnaire=q, content=b"mode\n1\n2\n", mapping={"mode": "mode"}, actor=None
    ),
    "a participant's erasure": lambda q, people: erase_first(q),
    "a new option (answers re-coded)": lambda q, people: new_option(q),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_that_changes_the_results_changes_the_version(
    write, make_questionnaire, make_participant
):
    questionnaire = make_questionnaire()
    submit(questionnaire, make_participant())
    before = version(questionnaire)
    assert len(before) == 1
    WRITES[write](questionnaire, make_participant)
    after = version(questionnaire)
    assert after != before
    assert {shard for shard, _token in after} <= set(range(SHARDS))


def test_a_guest_response_changes_the_version_when_it_is_confirmed(
    make_questionnaire, make_participant
):
    questionnaire = make_questionnaire(guests=True, confirm_guests=True)
    guest = submit(questionnaire, AnonymousUser(), guest_email="g@example.org")
    assert version(questionnaire) == ()  # not counted yet: nothing changed
    do_confirm_guest_response(guest=guest.guest)
    confirmed = version(questionnaire)
    assert confirmed != ()
    do_confirm_guest_response(guest=guest.guest)  # the link followed twice
    assert version(questionnaire) == confirmed


def test_drafts_and_refused_writes_leave_the_version(make_questionnaire, make_participant):
    questionnaire = make_questionnaire()
    person = make_participant()
    submit(questionnaire, person)
    before = version(questionnaire)
    draft_of(questionnaire, make_participant())
    with pytest.raises(ValidationError):
        submit(questionnaire, person)  # only one response each
    with pytest.raises(ValidationError):
        do_import_responses(
            questionnaire=questionnaire, content=b"mode\n7\n", mapping={"mode": "mode"}, actor=None
        )
    assert version(questionnaire) == before
    assert Response.objects.filter(questionnaire=questionnaire, status="complete").count() == 1


def test_the_cached_page_makes_9_queries_and_shows_the_next_response(
    client, make_questionnaire, organiser, make_participant, django_assert_num_queries
):
    questionnaire = make_questionnaire()
    for _ in range(3):
        submit(questionnaire, make_participant())
    client.force_login(organiser(questionnaire.instance.process.organisation, "analyst"))
    assert "3 responses counted." in client.get(bo(questionnaire, "results/")).content.decode()
    # Organisation, session, person, role, instance, questionnaire, results version,
    # demographic fields, role again for the menu; the responses are not read.
    with django_assert_num_queries(9) as queries:
        page = client.get(bo(questionnaire, "results/"))
    assert "3 responses counted." in page.content.decode()
    read = [q["sql"] for q in queries.captured_queries if '"surveys_response"."codes"' in q["sql"]]
    assert read == []
    submit(questionnaire, make_participant())
    assert "4 responses counted." in client.get(bo(questionnaire, "results/")).content.decode()


WRITE_METHODS = {"save", "delete", "update", "bulk_create", "bulk_update", "create"}
# Functions that write responses without changing the results, or whose caller bumps.
EXEMPT = {
    "services.py": {"do_save_draft", "_complete_draft"},
}


def _writes_responses(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITE_METHODS:
            continue
        receiver = ast.unparse(node.func.value)
        if "Response." in receiver or receiver in ("response", "responses", "draft"):
            return True
    return False


def _bumps(function: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call) and ast.unparse(node.func) == "bump_results_version"
        for node in ast.walk(function)
    )


def test_no_function_of_the_module_writes_responses_without_changing_the_version():
    folder = Path(__file__).resolve().parents[1]
    unbumped = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name in EXEMPT.get(path.name, set()):
                continue
            if _writes_responses(function) and not _bumps(function):
                unbumped.append(f"{path.name}:{function.name}")
    assert unbumped == []
    # The check finds the writes it is meant to find.
    services = ast.parse((folder / "services.py").read_text())
    found = {f.name for f in ast.walk(services) if isinstance(f, ast.FunctionDef)}
    writers = {
        f.name
        for f in ast.walk(services)
        if isinstance(f, ast.FunctionDef) and _writes_responses(f)
    }
    assert {"do_submit_response", "do_confirm_guest_response", "_recode_batch"} <= writers
    assert {"do_save_draft", "_complete_draft"} <= writers & found
