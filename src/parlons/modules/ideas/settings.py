"""The settings of an idea box (``ModuleInstance.settings``), with their defaults."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULTS: dict[str, Any] = {
    "max_ideas_per_participant": 0,
    "max_supports_per_participant": 0,
    "support_threshold": 0,
    "hide_after_reports": 3,
    "attachments_max": 3,
    "attachment_max_mb": 5,
    "default_order": "random",
    "map_tile_url": "",
    "map_attribution": "",
    "map_center": "",
}
ORDERS = (
    ("random", _("In random order (a new order for each visitor)")),
    ("newest", _("Newest first")),
    ("supported", _("Most supported first")),
)
TILES = re.compile(r"^https://[^\s\"'<>]+$")
CENTRE = re.compile(r"^-?\d{1,2}(\.\d+)?,\s*-?\d{1,3}(\.\d+)?$")


def setting(instance: Any, name: str) -> Any:
    """One setting of an idea box, its default when unset."""
    value = (instance.settings or {}).get(name)
    return DEFAULTS[name] if value in (None, "") else value


class IdeasSettingsForm(forms.Form):
    """Validates an idea box's settings; missing values take their defaults."""

    max_ideas_per_participant = forms.IntegerField(
        label=_("Ideas per participant (0: no limit)"), min_value=0, max_value=1000, required=False
    )
    max_supports_per_participant = forms.IntegerField(
        label=_("Supports per participant (0: no limit)"),
        min_value=0,
        max_value=100000,
        required=False,
    )
    support_threshold = forms.IntegerField(
        label=_("Supports for an idea to reach the threshold (0: no threshold)"),
        min_value=0,
        max_value=10_000_000,
        required=False,
    )
    hide_after_reports = forms.IntegerField(
        label=_("Hide a contribution after this many reports (0: never)"),
        min_value=0,
        max_value=1000,
        required=False,
    )
    attachments_max = forms.IntegerField(
        label=_("Files per idea"), min_value=0, max_value=10, required=False
    )
    attachment_max_mb = forms.IntegerField(
        label=_("Size of a file, in MB"), min_value=1, max_value=20, required=False
    )
    default_order = forms.ChoiceField(label=_("Order of the list"), choices=ORDERS, required=False)
    map_tile_url = forms.CharField(
        label=_("Map tile URL"),
        required=False,
        max_length=300,
        help_text=_(
            "Empty: no map background and no request to a third party; places are listed. "
            "Otherwise an https address with {z}, {x} and {y}, e.g. of an OpenStreetMap tile server."
        ),
    )
    map_attribution = forms.CharField(
        label=_("Map attribution"),
        required=False,
        max_length=200,
        help_text=_("Required by most tile servers, e.g. “© OpenStreetMap contributors”."),
    )
    map_center = forms.CharField(
        label=_("Centre of the map for a new idea (latitude,longitude)"),
        required=False,
        max_length=60,
    )

    def clean_map_tile_url(self) -> str:
        value = (self.cleaned_data.get("map_tile_url") or "").strip()
        if value and not (TILES.match(value) and all(p in value for p in ("{z}", "{x}", "{y}"))):
            raise ValidationError(_("Give an https address containing {z}, {x} and {y}."))
        return value

    def clean_map_center(self) -> str:
        value = (self.cleaned_data.get("map_center") or "").strip()
        if value and not CENTRE.match(value):
            raise ValidationError(_("Write the latitude and the longitude, e.g. 45.19,5.72."))
        return value.replace(" ", "")

    def clean(self) -> dict:
        data = super().clean()
        return {
            name: DEFAULTS[name] if data.get(name) in (None, "") else data[name]
            for name in DEFAULTS
        }
