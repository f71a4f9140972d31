"""The settings of a petitions instance (``ModuleInstance.settings``), with their defaults."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DEFAULTS: dict[str, Any] = {
    "allow_guests": False,
    "participants_propose": False,
    "signatures_per_ip_per_hour": 30,
    "signatures_per_petition_per_minute": 0,
    "anonymise_after_days": 90,
    "embed_origins": "",
}


def setting(instance: Any, name: str) -> Any:
    """One setting of a petitions instance, its default when unset."""
    value = (instance.settings or {}).get(name)
    return DEFAULTS[name] if value in (None, "") else value


class PetitionsSettingsForm(forms.Form):
    """Validates a petitions instance's settings; missing values take their defaults."""

    allow_guests = forms.BooleanField(
        label=_("People without an account may sign (confirmed by e-mail)"), required=False
    )
    participants_propose = forms.BooleanField(
        label=_("Participants may propose petitions (published after moderation)"),
        required=False,
    )
    signatures_per_ip_per_hour = forms.IntegerField(
        label=_("Signatures per connection (IP address) per petition and hour (0: no limit)"),
        min_value=0,
        max_value=1_000_000,
        required=False,
    )
    signatures_per_petition_per_minute = forms.IntegerField(
        label=_("Signatures per petition and minute (0: no limit)"),
        min_value=0,
        max_value=10_000_000,
        required=False,
    )
    anonymise_after_days = forms.IntegerField(
        label=_("Anonymise the signers this many days after the petition closes"),
        min_value=0,
        max_value=3650,
        required=False,
    )
    embed_origins = forms.CharField(
        label=_("Sites that may embed the signing widget (one https:// origin a line; empty: any)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean_embed_origins(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["embed_origins"].splitlines()]
        origins = [line for line in lines if line]
        for origin in origins:
            if not origin.startswith("https://") or any(c in origin for c in " ;'\""):
                raise forms.ValidationError(
                    _("Give each site as https://name.example, one a line.")
                )
        return "\n".join(origins)
