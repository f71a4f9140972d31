"""Bad module declarations are refused at registration and by the system checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.core.management import call_command

from parlons.core.registry import (
    Exporter,
    ModuleDeclaration,
    ModuleRegistry,
    Periodic,
    RegistryError,
)
from parlons.core.registry.checks import check_modules


def declare(**fields) -> ModuleDeclaration:
    fields.setdefault("key", "pages")
    fields.setdefault("name", "A module")
    return ModuleDeclaration(**fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"key": "Bad-Key"}, "lowercase"),
        ({"capabilities": ("show", "teleport")}, "unknown capabilities ['teleport']"),
        ({"capabilities": ("vote",)}, "'show' capability"),
        (
            {"capabilities": ("show", "vote"), "phase_combinations": (frozenset({"sign"}),)},
            "does not offer: ['sign']",
        ),
        ({"permissions": ("budgets.ballot:cast",)}, "must look like 'pages.object:verb'"),
        (
            {"audit_actions": {"pages.edited": "x", "other.thing.done": "y"}},
            "audit code 'other.thing.done'",
        ),
    ],
)
def test_register_refuses_a_bad_declaration(fields, message):
    fresh = ModuleRegistry()
    with pytest.raises(RegistryError, match=message.replace("[", r"\[").replace("]", r"\]")):
        fresh.register(declare(**fields))
    assert len(fresh) == 0


def test_register_refuses_a_duplicate_key():
    fresh = ModuleRegistry()
    fresh.register(declare())
    with pytest.raises(RegistryError, match="already registered"):
        fresh.register(declare())
    assert len(fresh) == 1


def _check_ids(declaration) -> list[str]:
    fresh = ModuleRegistry.__new__(ModuleRegistry)
    fresh._modules = {declaration.key: declaration}  # bypass register(): checks see all
    return sorted(error.id for error in check_modules(modules=fresh))


def test_checks_pass_for_the_real_pages_module():
    from parlons.core.registry import registry

    assert check_modules(modules=registry) == []
    assert "pages" in registry


@pytest.mark.parametrize(
    ("fields", "error_id"),
    [
        ({"key": "ghost"}, "parlons.E002"),
        ({"urls": "parlons.does.not.exist"}, "parlons.E003"),
        ({"urls": "parlons.modules.pages.models"}, "parlons.E003"),
        ({"api_router": "parlons.modules.pages.models.Page"}, "parlons.E004"),
        ({"settings_form": dict}, "parlons.E005"),
        (
            {
                "exporters": (
                    Exporter(key="csv", label="CSV", content_type="text/csv", write=print),
                )
                * 2
            },
            "parlons.E006",
        ),
        ({"capabilities": ("show", "fly")}, "parlons.E001"),
        (
            {"periodic": (Periodic(key="pages.x.run", every=timedelta(1), task="nope.task"),)},
            "parlons.E007",
        ),
        (
            {
                "periodic": (
                    Periodic(
                        key="other.x.run",
                        every=timedelta(1),
                        task="parlons.core.participants.tasks.erase_expired_guests",
                    ),
                )
            },
            "parlons.E001",
        ),
        ({"organisation_urls": "parlons.modules.pages.urls"}, "parlons.E008"),
    ],
)
def test_system_checks_name_each_problem(fields, error_id):
    assert _check_ids(declare(**fields)) == [error_id]


def test_a_valid_settings_form_passes():
    class Settings(forms.Form):
        limit = forms.IntegerField()

    assert _check_ids(declare(settings_form=Settings)) == []


def test_parlons_check_runs_the_module_checks(capsys):
    call_command("check", "--tag", "parlons")
    assert "no issues" in capsys.readouterr().out
