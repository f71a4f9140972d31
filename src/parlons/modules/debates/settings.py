"""The settings of a debates instance (``ModuleInstance.settings``), with their defaults."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parlons.modules.debates.models import Kind

DEFAULTS: dict[str, Any] = {
    "kind": Kind.TEXT.value,
    "statement_max_length": 280,
    "premoderate_statements": True,
}


def setting(instance: Any, name: str) -> Any:
    """One setting of a debates instance, its default when unset."""
    value = (instance.settings or {}).get(name)
    return DEFAULTS[name] if value in (None, "") else value


def kind_of(instance: Any) -> str:
    return str(setting(instance, "kind"))


class DebatesSettingsForm(forms.Form):
    """Validates a debates instance's settings; missing values take their defaults."""

    kind = forms.ChoiceField(label=_("Kind of debate"), choices=Kind.choices, required=False)
    statement_max_length = forms.IntegerField(
        label=_("Longest statement of an opinion map (characters)"),
        min_value=20,
        max_value=1000,
        required=False,
    )
    premoderate_statements = forms.BooleanField(
        label=_("Participants' statements wait for a moderator before they are shown"),
        required=False,
        initial=True,
    )
