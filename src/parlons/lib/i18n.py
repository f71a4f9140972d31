"""Organiser content in several languages, stored as ``{"fr": ..., "en": ..., "de": ...}``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import models
from django.utils import translation


class TranslatedField(models.JSONField):
    """A JSON object of texts keyed by language code."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)


def pick(
    value: Mapping[str, str] | str | None,
    *,
    language: str | None = None,
    fallbacks: Iterable[str] = (),
) -> str:
    """The text of ``value`` in ``language`` (default: the active one).

    Falls back to ``fallbacks`` in order, then to the site's default language, then to
    any non-empty text, so a page never shows a blank where some translation exists.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for code in (language, language.split("-")[0], *fallbacks, settings.LANGUAGE_CODE):
        text = value.get(code)
        if text:
            return text
    return next((text for text in value.values() if text), "")
