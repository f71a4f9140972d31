"""French, English and German ship: every UI string is translated, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


@pytest.mark.parametrize("language", ["fr", "de"])
def test_every_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])
    assert len(catalogue) > 150


@pytest.mark.parametrize("language", ["fr", "de"])
def test_placeholders_survive_translation(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    broken = []
    for entry in catalogue.translated_entries():
        texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            if sorted(set(PLACEHOLDER.findall(entry.msgid))) != sorted(
                set(PLACEHOLDER.findall(text))
            ):
                broken.append((entry.msgid, text))
    assert broken == []


def test_catalogues_match_the_source():
    """Single-line translatable strings in the code are all in the catalogues.

    When this fails, run ``./run makemessages -l fr -l de`` in src/parlons and translate.
    """
    catalogue = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    known = {e.msgid for e in catalogue}
    source = Path(__file__).resolve().parents[1]
    found = set()
    pattern = re.compile(
        r"""\b(?:_|gettext|gettext_lazy|translate|pgettext)\(\s*("(?:[^"\\]|\\.)+")"""
    )
    for path in source.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1)[1:-1].replace('\\"', '"')
            if "\\" not in text:
                found.add(text)
    assert len(found) > 100
    assert sorted(found - known) == []
