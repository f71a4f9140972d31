"""The settings of a campaign (``ModuleInstance.settings``), with their defaults."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DEFAULTS: dict[str, Any] = {
    "allow_guests": False,
    "message_max_length": 5000,
    "messages_per_hour": 30,
    "messages_per_hour_per_ip": 100,
    "representatives_per_message": 20,
    "followup_days": 14,
}


def setting(instance: Any, name: str) -> Any:
    """One setting of a campaign, its default when unset."""
    value = (instance.settings or {}).get(name)
    return DEFAULTS[name] if value in (None, "") else value


class InterpellationsSettingsForm(forms.Form):
    """Validates a campaign's settings; missing values take their defaults."""

    allow_guests = forms.BooleanField(
        label=_("Participants without an account may write (they confirm their e-mail)"),
        required=False,
    )
    message_max_length = forms.IntegerField(
        label=_("Length of a message, in characters"),
        min_value=200,
        max_value=20000,
        required=False,
    )
    messages_per_hour = forms.IntegerField(
        label=_("Messages a participant may send in an hour"),
        min_value=1,
        max_value=1000,
        required=False,
    )
    messages_per_hour_per_ip = forms.IntegerField(
        label=_("Messages one network address may send in an hour"),
        min_value=1,
        max_value=100000,
        required=False,
    )
    representatives_per_message = forms.IntegerField(
        label=_("Representatives one message may go to"), min_value=1, max_value=100, required=False
    )
    followup_days = forms.IntegerField(
        label=_("Days before asking the participant whether they had a reply"),
        min_value=1,
        max_value=90,
        required=False,
    )

    def clean(self) -> dict:
        data = super().clean()
        values = {
            name: DEFAULTS[name] if data.get(name) in (None, "") else data[name]
            for name in DEFAULTS
        }
        values["allow_guests"] = bool(data.get("allow_guests"))
        return values
