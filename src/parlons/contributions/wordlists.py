"""The spam and profanity filter: built-in word lists per language, replaced by an
organisation's own lists where it has written them.

Deliberately basic: it catches the common cases and leaves judgement to moderators.
Spam words send a contribution to the moderation queue before it shows; profanity
refuses it with a message that names the words, so that an honest author can rephrase.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parlons.contributions.models import WordList
from parlons.contributions.text import find_words
from parlons.core.tenancy import scopes_disabled

SPAM, PROFANITY = WordList.Kind.SPAM, WordList.Kind.PROFANITY

DEFAULT_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        SPAM: (
            "casino en ligne",
            "paris sportifs",
            "viagra",
            "cialis",
            "crédit rapide",
            "gagner de l'argent",
            "rencontres coquines",
            "cryptomonnaie gratuite",
            "porno*",
        ),
        PROFANITY: (
            "connard",
            "connasse",
            "salope",
            "enculé",
            "enculée",
            "pute",
            "putain",
            "fils de pute",
            "ta gueule",
            "nique ta mère",
            "pédé",
            "bougnoule",
        ),
    },
    "en": {
        SPAM: (
            "online casino",
            "sports betting",
            "viagra",
            "cialis",
            "payday loan",
            "make money fast",
            "free crypto",
            "porn*",
            "escort service",
        ),
        PROFANITY: (
            "fuck*",
            "motherfucker",
            "shit",
            "bullshit",
            "cunt",
            "asshole",
            "bitch",
            "bastard",
            "dickhead",
            "wanker",
        ),
    },
    "de": {
        SPAM: (
            "online casino",
            "sportwetten",
            "viagra",
            "cialis",
            "schnellkredit",
            "schnell geld verdienen",
            "gratis krypto",
            "porno*",
        ),
        PROFANITY: (
            "arschloch",
            "fotze",
            "wichser",
            "hurensohn",
            "schlampe",
            "scheiße",
            "fick*",
            "missgeburt",
            "vollidiot",
        ),
    },
}


def default_words(*, language: str, kind: str) -> list[str]:
    return list(DEFAULT_WORDS.get(language, {}).get(kind, ()))


def words_for(*, organisation: Any, kind: str, languages: list[str] | None = None) -> list[str]:
    """The words of ``kind`` in force for ``organisation``, over its languages."""
    languages = list(languages or organisation.languages)
    with scopes_disabled():
        own = {
            row.language: row.words.splitlines()
            for row in WordList.objects.filter(
                organisation=organisation, kind=kind, language__in=languages
            )
        }
    words: list[str] = []
    for language in languages:
        words.extend(own.get(language, default_words(language=language, kind=kind)))
    return words


def check_words(*, organisation: Any, texts: list[str]) -> list[str]:
    """Refuse profanity (ValidationError naming the words); return the spam words found."""
    joined = "\n".join(texts)
    rude = find_words(joined, words_for(organisation=organisation, kind=PROFANITY))
    if rude:
        raise ValidationError(
            _("Please rephrase: these words are not accepted here: %(words)s.")
            % {"words": ", ".join(sorted(set(rude)))},
            code="profanity",
        )
    return find_words(joined, words_for(organisation=organisation, kind=SPAM))
