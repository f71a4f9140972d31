"""Forms: parse what people type; the services decide."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from parlons.modules.petitions.models import (
    ASK_MAX,
    COMMENT_MAX,
    NAME_MAX,
    POSTCODE_MAX,
    TEXT_MAX,
    TITLE_MAX,
)

THRESHOLD = re.compile(r"^\s*([\d\s.,']+)\s*[:=-]\s*(.+)$")


def parse_thresholds(text: str) -> list[dict]:
    """``10000: the council must answer`` a line → [{"count": 10000, "text": "..."}]."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = THRESHOLD.match(line)
        digits = re.sub(r"\D", "", match.group(1)) if match else ""
        if not digits:
            raise forms.ValidationError(
                _(
                    "Line %(n)d: write a count, a colon and what happens, e.g. “10000: the council must answer”."
                ),
                params={"n": number},
            )
        found.append({"count": int(digits), "text": match.group(2).strip()[:300]})
    return found


def thresholds_text(thresholds: list[dict]) -> str:
    return "\n".join(f"{t['count']}: {t['text']}" for t in thresholds)


class PetitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    ask = forms.CharField(
        label=_("The ask"),
        max_length=ASK_MAX,
        help_text=_("One clear, reachable demand, in a sentence."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target = forms.CharField(
        label=_("Decision-maker targeted"),
        max_length=200,
        required=False,
        help_text=_("Who can grant the ask: a mayor, a council, a minister, a company."),
    )
    text = forms.CharField(
        label=_("Why it matters (Markdown)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The story: who is affected, what changes if the ask is granted."),
    )
    goal = forms.IntegerField(
        label=_("Goal (signatures)"), min_value=0, max_value=100_000_000, required=False
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    thresholds = forms.CharField(
        label=_("Thresholds and their consequences"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: a count, a colon, what happens. E.g. “10000: the council must answer”."
        ),
    )
    image = forms.ImageField(label=_("Image"), required=False)
    image_alt = forms.CharField(label=_("Description of the image"), max_length=200, required=False)

    def clean_thresholds(self) -> list[dict]:
        return parse_thresholds(self.cleaned_data.get("thresholds") or "")

    def clean_goal(self) -> int:
        return self.cleaned_data.get("goal") or 0


class SignForm(forms.Form):
    """No length limits in the HTML (the service checks and says so, translated)."""

    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX * 10, required=False)
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=2000,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postcode = forms.CharField(
        label=_("Your postcode"),
        max_length=POSTCODE_MAX * 10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    consent = forms.BooleanField(
        label=_("Keep me informed of this petition by e-mail (you can stop at any time)"),
        required=False,
    )
    comment = forms.CharField(
        label=_("Why you sign (optional, public)"),
        required=False,
        max_length=COMMENT_MAX * 40,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # left empty by people; filled by bots (hidden from everyone by the stylesheet)
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX * 4)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=TEXT_MAX * 2,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class InvalidationForm(forms.Form):
    domain = forms.CharField(label=_("E-mail domain"), required=False, max_length=200)
    network = forms.CharField(
        label=_("IP range (e.g. 203.0.113.0/24)"), required=False, max_length=64
    )
    since = forms.DateTimeField(
        label=_("Signed from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        label=_("Signed before"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), max_length=200)
