"""French, English and German ship: every UI string is translated, placeholders intact.

Strings are found in the source the way ``parlons makemessages-lite`` finds them (Python
calls and template tags); when these tests fail, run ``./run makemessages-lite`` and
translate the new entries of the catalogue it names.
"""

from __future__ import annotations

import re

import polib
import pytest

from parlons.core.operations import catalogues

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
FOUND = catalogues.messages_by_catalogue()
CASES = [
    pytest.param(root, language, id=f"{root.relative_to(catalogues.PACKAGE.parent)}:{language}")
    for root in FOUND
    for language in catalogues.LANGUAGES
]


def _catalogue(root, language) -> polib.POFile:
    path = catalogues.po_path(root, language)
    assert path.exists(), f"{path} is missing: run ./run makemessages-lite"
    return polib.pofile(str(path))


def _key(entry) -> tuple[str, str, str]:
    return (entry.msgid, entry.msgid_plural or "", entry.msgctxt or "")


@pytest.mark.parametrize(("root", "language"), CASES)
def test_every_string_of_the_source_is_in_its_catalogue(root, language):
    known = {_key(entry) for entry in _catalogue(root, language)}
    wanted = {(m.msgid, m.plural, m.context) for m in FOUND[root]}
    assert sorted(wanted - known) == [], "missing: run ./run makemessages-lite"
    assert sorted(known - wanted) == [], "obsolete: run ./run makemessages-lite"


@pytest.mark.parametrize(("root", "language"), CASES)
def test_every_string_is_translated(root, language):
    catalogue = _catalogue(root, language)
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize(("root", "language"), CASES)
def test_placeholders_survive_translation(root, language):
    broken = []
    for entry in _catalogue(root, language).translated_entries():
        texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            if sorted(set(PLACEHOLDER.findall(entry.msgid))) != sorted(
                set(PLACEHOLDER.findall(text))
            ):
                broken.append((entry.msgid, text))
    assert broken == []


def test_the_extractor_finds_python_and_template_strings():
    python = list(
        catalogues.python_messages(
            'x = _("One")\ny = ngettext("%(n)d idea", "%(n)d ideas", n)\n'
            'z = pgettext("verb", "Support")\nw = _(name)\n'
            'v = gettext_lazy(\n    "Two "\n    "lines"\n)\n'
        )
    )
    assert python == [
        catalogues.Message("One"),
        catalogues.Message("%(n)d idea", "%(n)d ideas"),
        catalogues.Message("Support", "", "verb"),
        catalogues.Message("Two lines"),
    ]
    template = list(
        catalogues.template_messages(
            '{% load i18n %}<h1>{% translate "Ideas" %}</h1>'
            "{% blocktranslate count n=count %}{{ n }} vote{% plural %}{{ n }} votes"
            "{% endblocktranslate %}",
            origin="t.html",
        )
    )
    assert template == [
        catalogues.Message("Ideas"),
        catalogues.Message("%(n)s vote", "%(n)s votes"),
    ]
    uneven = (
        "{% load i18n %}\n<div>\n      {% if x %}\n  {% translate 'Deep' %}\n {% endif %}</div>"
    )
    assert list(catalogues.template_messages(uneven, origin="u.html")) == [
        catalogues.Message("Deep")
    ]
    assert len(FOUND[catalogues.PACKAGE]) > 250
