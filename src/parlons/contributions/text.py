"""Participants' text: plain Markdown, no HTML, within limits, past the word filter."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# An HTML tag or comment: "<p>", "</script>", "<img src=x>", "<!-- -->".  Markdown
# autolinks ("<https://…>", "<name@example.org>") do not match.
HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>|<!--")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WORD = re.compile(r"\w+", re.UNICODE)


def clean_text(value: str | None, *, max_length: int, min_length: int = 1, label: str = "") -> str:
    """The text stripped, or ValidationError: empty, too long, HTML, control characters.

    HTML is refused rather than silently removed, so that the author sees what will be
    published; Markdown covers what participants need (emphasis, lists, links).
    """
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) < min_length:
        if not text:
            raise ValidationError(_("This field is required."), code="required")
        raise ValidationError(
            ngettext(
                "Write at least %(count)d character.",
                "Write at least %(count)d characters.",
                min_length,
            )
            % {"count": min_length},
            code="min_length",
        )
    if len(text) > max_length:
        raise ValidationError(
            _("%(count)d characters at most (this text has %(length)d).")
            % {"count": max_length, "length": len(text)},
            code="max_length",
        )
    if CONTROL.search(text):
        raise ValidationError(_("The text contains invalid characters."), code="control")
    if HTML.search(text):
        raise ValidationError(
            _(
                "HTML is not accepted: write plain text, with Markdown for emphasis "
                "(**bold**, *italics*), lists and links ([text](https://…))."
            ),
            code="html",
        )
    return text


def normalise(text: str) -> str:
    """Lower case without accents, for matching words: "Scheiße" → "scheisse"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    return WORD.findall(normalise(text))


def _starts(tokens: list[str], stems: list[str]) -> bool:
    """Whether consecutive tokens begin with the stems in order ("chou-fleur*")."""
    width = len(stems)
    return any(
        all(tokens[i + k].startswith(stem) for k, stem in enumerate(stems))
        for i in range(len(tokens) - width + 1)
    )


def find_words(text: str, entries: Iterable[str]) -> list[str]:
    """The entries of a word list found in ``text``, as written in the list.

    An entry is a word or a phrase, matched whole after :func:`normalise`; an entry
    ending in ``*`` matches every word it begins (``arnaque*``; in a phrase, each word
    begins the word at its place: ``chou-fleur*`` matches "choux-fleurs").
    """
    tokens = words_of(text)
    joined = f" {' '.join(tokens)} "
    found = []
    for entry in entries:
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        if entry.endswith("*"):
            stems = words_of(entry[:-1])
            if stems and _starts(tokens, stems):
                found.append(entry)
            continue
        phrase = " ".join(words_of(entry))
        if phrase and f" {phrase} " in joined:
            found.append(entry)
    return found
