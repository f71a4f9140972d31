"""Reads of ideas: the visible list with its filters and orders, one idea, similar ideas."""

from __future__ import annotations

import difflib
import hashlib
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404

from parlons.contributions.permissions import decide_action
from parlons.contributions.text import normalise, words_of
from parlons.core.processes.models import ModuleInstance
from parlons.modules.ideas.models import Idea, Status

ORDERS = ("random", "newest", "oldest", "supported", "commented")
# Random order without sorting by RANDOM(): the pk times a multiplier drawn from the
# visitor's seed, modulo a prime (a different permutation for each multiplier).  The same
# seed gives the same order on every page.
HASH_PRIME = 4294967291
MAX_SEED = HASH_PRIME - 1
_STOP = {
    *[
        "les",
        "des",
        "une",
        "pour",
        "dans",
        "avec",
        "sans",
        "plus",
        "par",
        "sur",
        "aux",
        "qui",
        "que",
        "est",
        "sont",
        "mais",
        "ainsi",
        "leur",
    ],
    *[
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "that",
        "this",
        "are",
        "more",
        "our",
        "your",
        "their",
        "have",
        "has",
        "was",
        "were",
    ],
    *[
        "der",
        "die",
        "das",
        "und",
        "mit",
        "für",
        "von",
        "den",
        "dem",
        "ein",
        "eine",
        "einen",
        "ist",
        "sind",
        "auch",
        "mehr",
        "bei",
        "zum",
        "zur",
    ],
    *[
        "los",
        "las",
        "una",
        "para",
        "con",
        "por",
        "del",
        "que",
        "más",
        "sus",
        "este",
        "esta",
        "como",
    ],
}
STOP_WORDS = frozenset(normalise(word) for word in _STOP)


@dataclass(frozen=True)
class IdeaFilters:
    """What a visitor asked the list for (already validated)."""

    q: str = ""
    category: Any = None
    area: Any = None
    status: str = ""
    order: str = "random"
    seed: int = 0


def multiplier(seed: int) -> int:
    """A multiplier in [1, HASH_PRIME - 1] spread from any seed (12345 and 12346 give
    unrelated orders)."""
    digest = hashlib.sha256(f"parlons-ideas-order:{seed}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (HASH_PRIME - 1) + 1


def new_seed() -> int:
    return random.SystemRandom().randrange(1, MAX_SEED)


def visible_ideas(*, instance: ModuleInstance) -> QuerySet[Idea]:
    """The ideas anyone may see in ``instance``: not hidden, not withdrawn."""
    return Idea.objects.filter(instance=instance, hidden_at__isnull=True).exclude(
        status=Status.WITHDRAWN
    )


def _ordered(queryset: QuerySet[Idea], filters: IdeaFilters) -> QuerySet[Idea]:
    if filters.order == "newest":
        return queryset.order_by("-created_at", "-pk")
    if filters.order == "oldest":
        return queryset.order_by("created_at", "pk")
    if filters.order == "supported":
        return queryset.order_by("-support_count", "-created_at", "-pk")
    if filters.order == "commented":
        return queryset.order_by("-comment_count", "-created_at", "-pk")
    shuffled = ExpressionWrapper(
        (F("id") * multiplier(filters.seed)) % HASH_PRIME, output_field=BigIntegerField()
    )
    return queryset.annotate(shuffle=shuffled).order_by("shuffle", "pk")


def list_ideas(*, instance: ModuleInstance, filters: IdeaFilters) -> QuerySet[Idea]:
    """The visible ideas of ``instance`` filtered and ordered as asked (one query a page)."""
    queryset = visible_ideas(instance=instance)
    if filters.q:
        for word in filters.q.split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if filters.category is not None:
        queryset = queryset.filter(category=filters.category)
    if filters.area is not None:
        queryset = queryset.filter(area=filters.area)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return _ordered(queryset.select_related("category", "area", "author"), filters)


def access_idea(*, person: Any, instance: ModuleInstance, pk: int) -> Idea:
    """The idea ``pk`` of ``instance``; a withdrawn or hidden idea still has its page (it
    says so), missing ones raise Http404."""
    idea = (
        Idea.objects.filter(instance=instance, pk=pk)
        .select_related("category", "area", "author")
        .first()
    )
    if idea is None:
        raise Http404("No such idea")
    idea.instance = instance
    return idea


def may_see_hidden(*, person: Any, idea: Idea) -> bool:
    """Moderators see a hidden idea's text (to decide); so does its author."""
    if getattr(person, "is_authenticated", False) and idea.author_id == person.pk:
        return True
    return bool(decide_action(person=person, action="moderate", obj=idea))


def _score(title_words: set[str], wanted: set[str], title: str, asked: str) -> float:
    overlap = len(title_words & wanted) / max(len(wanted), 1)
    return overlap + 0.5 * difflib.SequenceMatcher(None, normalise(title), asked).ratio()


def similar_ideas(
    *, instance: ModuleInstance, title: str, exclude: int | None = None, limit: int = 5
) -> list[Idea]:
    """The existing ideas whose titles best match ``title`` (for the hint while typing).

    Candidates share at least one significant word (4 letters or more, not a stop word)
    with the title; they are ranked by the share of those words they contain and by the
    similarity of the whole titles.  Two queries at most, whatever the number of ideas.
    """
    asked = normalise(title or "")[:150]
    wanted = {w for w in words_of(asked) if len(w) >= 4 and w not in STOP_WORDS}
    if not wanted:
        return []
    raw = [w for w in (title or "").split() if len(w) >= 4][:8]
    match = Q()
    for word in {*raw, *sorted(wanted)[:8]}:
        match |= Q(title__icontains=word.strip(".,;:!?\"'()"))
    candidates = visible_ideas(instance=instance).filter(match).order_by("-created_at")
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    ranked = []
    for idea in candidates.only("pk", "title", "instance_id", "status", "support_count")[:300]:
        title_words = set(words_of(idea.title))
        if title_words & wanted:
            ranked.append((_score(title_words, wanted, idea.title, asked), -idea.pk, idea))
    ranked.sort(reverse=True, key=lambda row: (row[0], row[1]))
    return [idea for _score_, _pk, idea in ranked[:limit]]
