"""Factories of the debates tests: a debate of each kind, articles, statements, votes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

OPEN = ("vote", "amend", "argue", "submit")


@pytest.fixture(autouse=True)
def site_language():
    """Each test runs in English (its assertions read the messages) and leaves no
    language behind; ``test_messages_follow_the_language`` checks French and German."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@dataclass
class Debate:
    organisation: Any
    process: Any
    instance: Any
    phase: Any


@pytest.fixture
def make_debate(make_organisation, make_process, make_instance, make_phase):
    def make(kind: str = "text", *, when: str = "during", opens=OPEN, settings=None) -> Debate:
        organisation = make_organisation(languages=["fr", "en", "de"])
        process = make_process(organisation, languages=["fr", "en", "de"])
        instance = make_instance(
            process,
            module="debates",
            title={"fr": "Débat", "en": "Debate", "de": "Debatte"},
            settings={"kind": kind, **(settings or {})},
        )
        phase = make_phase(process, when=when, openings=[(instance, c) for c in ("show", *opens)])
        instance.process = process
        return Debate(organisation, process, instance, phase)

    return make


@pytest.fixture
def make_article():
    from parlons.modules.debates.models import Article

    def make(debate, **fields):
        fields.setdefault("title", "Article 1")
        fields.setdefault("body", "Les données publiques sont ouvertes par défaut.")
        article = Article.objects.create(instance=debate.instance, **fields)
        article.instance = debate.instance
        return article

    return make


@pytest.fixture
def make_statement():
    from parlons.modules.debates.services.statements import do_seed_statement

    def make(debate, body="Les pistes cyclables doivent être séparées des voitures.", **fields):
        statement = do_seed_statement(actor=None, instance=debate.instance, body=body)
        for name, value in fields.items():
            setattr(statement, name, value)
        if fields:
            statement.save()
        statement.instance = debate.instance
        return statement

    return make
