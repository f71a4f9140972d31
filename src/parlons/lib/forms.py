"""Form pieces without domain knowledge: organiser texts in several languages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info


def language_choices() -> list[tuple[str, str]]:
    """The site's languages, each named in itself (Français, English, Deutsch)."""
    return [(code, get_language_info(code)["name_local"]) for code, _n in settings.LANGUAGES]


class TranslatedFieldsForm(forms.Form):
    """A form with one input per language for each name in ``translated``.

    ``translated = {"title": (required, widget_class)}``; cleaned data gains
    ``title = {"fr": ..., "en": ...}``.
    """

    translated: dict[str, tuple[bool, type]] = {}
    translated_labels: dict[str, object] = {}

    def __init__(self, *args, languages=None, initial_texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(languages or [code for code, _n in settings.LANGUAGES])
        initial_texts = initial_texts or {}
        fields = {}
        for name, (required, widget) in self.translated.items():
            for position, code in enumerate(self.languages):
                fields[f"{name}_{code}"] = forms.CharField(
                    label=f"{self.translated_labels[name]} ({get_language_info(code)['name_local']})",
                    required=required and position == 0,
                    widget=widget(attrs={"lang": code}),
                    initial=(initial_texts.get(name) or {}).get(code, ""),
                    max_length=20000,
                )
        self.fields = {**fields, **self.fields}

    def clean(self):
        data = super().clean()
        for name in self.translated:
            data[name] = {
                code: data.pop(f"{name}_{code}", "").strip()
                for code in self.languages
                if (data.get(f"{name}_{code}") or "").strip()
            }
        return data
