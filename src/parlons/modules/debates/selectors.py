"""Every read of debates: tallies, lists sorted by the most debated, maps."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from parlons.contributions.models import Alignment, Comment
from parlons.contributions.selectors import reactions_of
from parlons.contributions.targets import COMMENT_LABEL
from parlons.modules.debates.models import (
    Amendment,
    Article,
    ArticleVote,
    MapState,
    Position,
    PositionChange,
    Question,
    Statement,
    StatementVote,
    Voter,
)

WORDS = re.compile(r"\s+|[^\s]+")


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


def access_article(*, instance: Any, pk: int) -> Article:
    """The article ``pk`` of ``instance``, or 404."""
    article = Article.objects.filter(instance=instance, pk=pk).select_related("section").first()
    if article is None:
        raise Http404("No such article")
    article.instance = instance
    return article


def access_amendment(*, instance: Any, pk: int) -> Amendment:
    found = Amendment.objects.filter(instance=instance, pk=pk).select_related("article").first()
    if found is None or found.hidden_at is not None:
        raise Http404("No such amendment")
    found.instance = found.article.instance = instance
    return found


def access_question(*, instance: Any, pk: int) -> Question:
    found = Question.objects.filter(instance=instance, pk=pk).first()
    if found is None or found.hidden_at is not None:
        raise Http404("No such question")
    found.instance = instance
    return found


def sections_of(*, instance: Any, person: Any, order: str = "text") -> list[dict]:
    """The articles of a text, grouped by section (``order`` "text"), or in one list from
    the most debated (arguments and amendments, then votes) for ``order`` "debated"."""
    articles = list(
        Article.objects.filter(instance=instance, hidden_at__isnull=True)
        .select_related("section")
        .annotate(n_amendments=Count("amendments", filter=Q(amendments__hidden_at__isnull=True)))
    )
    tallies = article_tallies(articles=articles)
    mine = mine_of(person=person, articles=articles)
    for article in articles:
        article.tally = tallies[article.pk]
        article.mine = mine.get(article.pk)
        article.debate = article.comment_count + article.n_amendments
    if order == "debated":
        articles.sort(key=lambda a: (-a.debate, -a.tally.total, a.position, a.pk))
        return [{"section": None, "articles": articles}]
    groups: dict[Any, dict] = {}
    for article in articles:
        key = article.section_id
        groups.setdefault(key, {"section": article.section, "articles": []})
        groups[key]["articles"].append(article)
    return sorted(
        groups.values(),
        key=lambda g: (g["section"] is not None, getattr(g["section"], "position", 0)),
    )


def arguments_of(*, obj: Any, person: Any) -> dict[str, list[Comment]]:
    """Visible top-level arguments for and against ``obj``, the most approved first,
    each with ``mine`` (the person's vote on it: 1, -1 or None)."""
    label = obj._meta.label_lower
    found = list(
        Comment.objects.filter(
            target_type=label,
            target_id=obj.pk,
            parent__isnull=True,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
            alignment__in=(Alignment.FOR, Alignment.AGAINST),
        )
        .select_related("author")
        .order_by("-support_count", "oppose_count", "created_at", "pk")
    )
    mine = reactions_of(person=person, target_type=COMMENT_LABEL, ids=[c.pk for c in found])
    for comment in found:
        comment.mine = mine.get(comment.pk)
    return {
        "for": [c for c in found if c.alignment == Alignment.FOR],
        "against": [c for c in found if c.alignment == Alignment.AGAINST],
    }


def diff_of(*, original: str, amended: str) -> list[tuple[str, str]]:
    """Word by word, ``("same" | "del" | "ins", text)`` pieces turning one into the other
    (difflib; whitespace kept, so paragraphs stay)."""
    before, after = WORDS.findall(original), WORDS.findall(amended)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(before[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("del", "".join(before[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("ins", "".join(after[j1:j2])))
    return pieces


def amendments_of(*, article: Article, person: Any) -> list[Amendment]:
    found = list(
        Amendment.objects.filter(article=article, hidden_at__isnull=True)
        .select_related("author")
        .order_by("-support_count", "created_at", "pk")
    )
    mine = reactions_of(person=person, target_type="debates.amendment", ids=[a.pk for a in found])
    for amendment in found:
        amendment.mine = mine.get(amendment.pk)
    return found


@dataclass(frozen=True)
class Balance:
    day: Any
    against: int
    undecided: int
    favour: int

    @property
    def total(self) -> int:
        return self.against + self.undecided + self.favour


def balance_of(*, question: Question) -> Balance:
    """The positions held now."""
    counts = dict(
        Position.objects.filter(question=question)
        .values_list("value")
        .annotate(n=Count("pk"))
        .values_list("value", "n")
    )
    return Balance(None, counts.get(-1, 0), counts.get(0, 0), counts.get(1, 0))


def balance_over_time(*, question: Question, days: int = 60) -> list[Balance]:
    """The positions held at the end of each day with a change (the last ``days``),
    replayed from the changes (which hold no person)."""
    held = {-1: 0, 0: 0, 1: 0}
    by_day: dict[Any, Balance] = {}
    changes = PositionChange.objects.filter(question=question).values_list(
        "value", "previous", "at"
    )
    for value, previous, at in changes.order_by("at", "pk"):
        held[value] += 1
        if previous is not None:
            held[previous] -= 1
        day = timezone.localdate(at)
        by_day[day] = Balance(day, held[-1], held[0], held[1])
    return list(by_day.values())[-days:]


def next_statement(*, instance: Any, person: Any) -> Statement | None:
    """The next statement for the person to vote on: accepted, shown, not voted yet;
    the organisers' first, then in the order they came."""
    open_ = Statement.objects.filter(
        instance=instance, status=Statement.Status.ACCEPTED, hidden_at__isnull=True
    )
    if getattr(person, "is_authenticated", False):
        open_ = open_.exclude(votes__voter__participant=person)
    found = open_.order_by("-seeded", "position", "pk").first()
    if found is not None:
        found.instance = instance
    return found


def map_progress(*, instance: Any, person: Any) -> tuple[int, int]:
    """(statements the person voted on, statements open to votes)."""
    shown = Statement.objects.filter(
        instance=instance, status=Statement.Status.ACCEPTED, hidden_at__isnull=True
    )
    voted = 0
    if getattr(person, "is_authenticated", False):
        voted = StatementVote.objects.filter(statement__in=shown, voter__participant=person).count()
    return voted, shown.count()


def map_of(*, instance: Any, person: Any) -> dict[str, Any]:
    """The last computed map with statement texts, and where the person stands."""
    row = MapState.objects.filter(instance=instance).first()
    result = (row.result if row else None) or {}
    texts = dict(Statement.objects.filter(instance=instance).values_list("number", "body"))
    voter = None
    if getattr(person, "is_authenticated", False):
        voter = Voter.objects.filter(instance=instance, participant=person).first()
    me = result.get("participants", {}).get(str(voter.number)) if voter else None
    groups = result.get("groups", [])
    for group in groups:
        group["label"] = group_label(group["id"])
        for statement in group.get("statements", []):
            statement["text"] = texts.get(statement["id"], "")
            statement["percent"] = round(100 * statement["share"])
    return {
        "computed_at": row.computed_at if row else None,
        "groups": groups,
        "consensus": [{"id": n, "text": texts.get(n, "")} for n in result.get("consensus", [])],
        "divisive": [{"id": n, "text": texts.get(n, "")} for n in result.get("divisive", [])],
        "participants": result.get("participants", {}),
        "me": me,
        "my_group": group_label(me["closest"]) if me and me.get("closest", -1) >= 0 else "",
        "voter": voter,
    }


def group_label(group_id: int) -> str:
    """Groups are named by letters, as Polis does: A, B, C…"""
    return chr(ord("A") + int(group_id)) if 0 <= int(group_id) < 26 else str(group_id)
