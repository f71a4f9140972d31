"""Definitions are validated whole: cycles, unknown questions and later pages are refused."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from parlons.modules.surveys.definition import check_definition, layout, visible_pages
from parlons.modules.surveys.services import do_save_definition

from .conftest import DEFINITION, options, text

pytestmark = pytest.mark.django_db


def test_a_valid_definition_keeps_its_shape_and_lays_out_slots():
    clean = check_definition(DEFINITION)
    codes, numbers = layout(clean)
    assert [s.name for s in codes] == ["mode", "grid.1", "grid.2", "why"]
    assert [s.name for s in numbers] == ["age"]
    assert [p["key"] for p in visible_pages(clean, {"mode": 2})] == ["p1"]
    assert [p["key"] for p in visible_pages(clean, {"mode": 1})] == ["p1", "p2"]


def cyclic() -> dict:
    """p1's question "a" shows if "b" (on p2) is answered, and p2 shows if "a" is."""
    return {
        "sections": [],
        "pages": [
            {
                "key": "p1",
                "questions": [
                    {
                        "key": "a",
                        "type": "single",
                        "text": text("A"),
                        "options": options("x", "y"),
                        "condition": {
                            "mode": "any",
                            "rules": [{"question": "b", "op": "answered"}],
                        },
                    }
                ],
            },
            {
                "key": "p2",
                "condition": {
                    "mode": "all",
                    "rules": [{"question": "a", "op": "is", "value": [1]}],
                },
                "questions": [{"key": "b", "type": "short_text", "text": text("B")}],
            },
        ],
    }


def test_a_cycle_is_refused_in_the_users_language_and_nothing_is_saved(make_questionnaire):
    questionnaire = make_questionnaire()
    before = copy.deepcopy(questionnaire.definition)
    with translation.override("de"), pytest.raises(ValidationError) as error:
        do_save_definition(questionnaire=questionnaire, definition=cyclic(), actor=None)
    assert error.value.messages == [
        "Die Anzeigebedingungen bilden einen Kreis (a → b → Seite p2 → a): keine Reihenfolge "
        "der Seiten kann sie erfüllen."
    ]
    questionnaire.refresh_from_db()
    assert questionnaire.definition == before


def test_a_condition_on_its_own_page_is_a_cycle_too():
    definition = copy.deepcopy(DEFINITION)
    definition["pages"][1]["condition"]["rules"][0]["question"] = "why"
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_definition(definition)
    assert "form a cycle (page p2 → why → page p2)" in error.value.messages[0]


def test_unknown_and_later_questions_and_bad_values_are_named():
    definition = copy.deepcopy(DEFINITION)
    definition["pages"][0]["questions"][1]["condition"] = {
        "mode": "all",
        "rules": [{"question": "nope", "op": "answered"}],
    }
    definition["pages"][1]["condition"]["rules"][0]["value"] = [9]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_definition(definition)
    assert error.value.messages == [
        "The condition on “p2” uses an answer that “mode” does not offer.",
        "The condition on “grid” refers to an unknown question “nope”.",
    ] or sorted(error.value.messages) == sorted(
        [
            "The condition on “p2” uses an answer that “mode” does not offer.",
            "The condition on “grid” refers to an unknown question “nope”.",
        ]
    )


def test_duplicate_keys_and_missing_texts_are_refused():
    definition = copy.deepcopy(DEFINITION)
    definition["pages"][1]["questions"][0]["key"] = "mode"
    definition["pages"][0]["questions"][2]["text"] = {}
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        check_definition(definition)
    assert "La question « age » n’a pas de texte." in error.value.messages
    assert "La clé de question « mode » est utilisée deux fois." in error.value.messages
