"""Every read of debates: tallies, lists sorted by the most debated, maps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from parlons.modules.debates.models import Article, ArticleVote


@dataclass(frozen=True)
class Tally:
    agree: int
    disagree: int
    mixed: int

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.mixed


def article_tallies(*, articles: list[Article]) -> dict[int, Tally]:
    """Agree / disagree / mixed per article: the votes cast here plus imported counts
    (one query)."""
    counted: dict[tuple[int, int], int] = {}
    rows = (
        ArticleVote.objects.filter(article__in=[a.pk for a in articles])
        .values_list("article_id", "value")
        .annotate(n=Count("pk"))
    )
    for article_id, value, n in rows:
        counted[(article_id, value)] = n
    return {
        a.pk: Tally(
            agree=a.agree_offset + counted.get((a.pk, 1), 0),
            disagree=a.disagree_offset + counted.get((a.pk, -1), 0),
            mixed=a.mixed_offset + counted.get((a.pk, 0), 0),
        )
        for a in articles
    }


def mine_of(*, person: Any, articles: list[Article]) -> dict[int, int]:
    """The person's vote per article."""
    if not getattr(person, "is_authenticated", False):
        return {}
    return dict(
        ArticleVote.objects.filter(
            participant=person, article__in=[a.pk for a in articles]
        ).values_list("article_id", "value")
    )
