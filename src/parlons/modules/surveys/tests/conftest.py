"""Factories for the surveys tests: a live questionnaire from a definition."""

from __future__ import annotations

import pytest

from parlons.modules.surveys.matrix_cache import MATRICES


def text(fr: str, de: str = "", en: str = "") -> dict:
    return {k: v for k, v in {"fr": fr, "de": de, "en": en}.items() if v}


def options(*labels) -> list[dict]:
    return [
        {"code": i, "label": label if isinstance(label, dict) else text(label)}
        for i, label in enumerate(labels, 1)
    ]


# Two pages: the second is shown only to cyclists; a matrix on the first.
DEFINITION = {
    "sections": [{"key": "s1", "title": text("Vos habitudes", "Ihre Gewohnheiten")}],
    "pages": [
        {
            "key": "p1",
            "section": "s1",
            "title": text("Déplacements", "Wege"),
            "questions": [
                {
                    "key": "mode",
                    "type": "single",
                    "text": text("Comment venez-vous ?", "Wie kommen Sie?"),
                    "required": True,
                    "options": options(
                        text("À vélo", "Mit dem Rad"), text("En bus", "Mit dem Bus")
                    ),
                    "other": True,
                },
                {
                    "key": "grid",
                    "type": "matrix_single",
                    "text": text("Votre avis", "Ihre Meinung"),
                    "rows": options(text("Pistes", "Radwege"), text("Parkings", "Parkplätze")),
                    "columns": options(text("Bien", "Gut"), text("Mal", "Schlecht")),
                },
                {
                    "key": "age",
                    "type": "number",
                    "text": text("Votre âge", "Ihr Alter"),
                    "minimum": 0,
                    "maximum": 120,
                    "integer": True,
                },
            ],
        },
        {
            "key": "p2",
            "title": text("Vélo", "Rad"),
            "condition": {"mode": "all", "rules": [{"question": "mode", "op": "is", "value": [1]}]},
            "questions": [
                {
                    "key": "why",
                    "type": "long_text",
                    "text": text("Pourquoi le vélo ?", "Warum das Rad?"),
                    "required": True,
                },
            ],
        },
    ],
}


@pytest.fixture
def make_questionnaire(db, make_process, make_instance, make_phase):
    from parlons.modules.surveys.models import Questionnaire
    from parlons.modules.surveys.services import do_save_definition

    def make(
        definition=None, *, guests=False, verifications=None, when="during", process=None, **fields
    ):
        process = process or make_process(languages=["fr", "de"])
        instance = make_instance(
            process=process,
            module="surveys",
            settings={"allow_guests": guests},
            required_verifications=verifications or {},
        )
        make_phase(process, when=when, openings=[(instance, "show"), (instance, "answer")])
        questionnaire = Questionnaire.objects.create(instance=instance, **fields)
        do_save_definition(
            questionnaire=questionnaire, definition=definition or DEFINITION, actor=None
        )
        return questionnaire

    return make


@pytest.fixture
def organiser(make_member):
    """A member of the organisation with a role (admins with two-factor set up)."""
    from allauth.mfa.totp.internal.auth import TOTP

    def make(organisation, role="admin"):
        person = make_member(organisation, role=role)
        if role == "admin":
            TOTP.activate(person, "JBSWY3DPEHPK3PXP")
        return person

    return make


@pytest.fixture
def empty_matrix_cache():
    """No decoded answer matrix kept from an earlier test, nor left for a later one."""
    MATRICES.clear()
    yield
    MATRICES.clear()
