"""Import of the 2015 “République numérique” consultation (the JSON documents its public
API served, one per article or proposal) as a past text consultation.

Each ``type`` (a section of a chapter of the bill) becomes a section; each opinion an
article (the government's, by its ``vip`` account) or a proposal (a participant's), with
its explanation, its agree / disagree / mixed counts (offsets: the votes themselves were
not published), its arguments (toolkit comments for or against, with their vote counts)
and its sources.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from parlons.contributions.models import Alignment, Comment
from parlons.core.audit.services import log_action
from parlons.core.processes.models import ModuleInstance
from parlons.modules.debates.models import Article, Kind, Section, Source
from parlons.modules.debates.services.common import ensure_kind

ORIGIN = "republique-numerique.fr"
TAG = re.compile(r"<[^>]+>")
BREAK = re.compile(r"</p>|<br\s*/?>|</li>", re.IGNORECASE)


@dataclass(frozen=True)
class Imported:
    articles: int
    proposals: int
    arguments: int
    sources: int
    votes: int


def html_to_text(value: str | None) -> str:
    """Paragraphs of plain text from the platform's HTML (no markup is kept)."""
    text = BREAK.sub("\n\n", value or "")
    text = html.unescape(TAG.sub("", text)).replace("\xa0", " ")
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _when(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


def read_opinions(directory: Path) -> list[dict]:
    """The opinion documents of the directory (``opinions/*.json``), by id."""
    files = sorted((Path(directory) / "opinions").glob("*.json"))
    opinions = [json.loads(f.read_text(encoding="utf-8"))["opinion"] for f in files]
    return sorted(opinions, key=lambda o: int(o["id"]))


def _sections(instance: ModuleInstance, opinions: list[dict]) -> dict[int, Section]:
    types = {}
    for opinion in opinions:
        types.setdefault(int(opinion["type"]["id"]), opinion["type"])
    found = {}
    for position, (type_id, kind) in enumerate(sorted(types.items())):
        title = " — ".join(t for t in (kind.get("title"), kind.get("subtitle")) if t)
        found[type_id], _created = Section.objects.get_or_create(
            instance=instance,
            external_id=str(type_id),
            defaults={"title": title[:300], "position": position},
        )
    return found


def _article(instance, section, opinion, position) -> Article:
    explanation = "\n\n".join(html_to_text(a.get("body")) for a in opinion.get("appendices", []))
    return Article(
        instance=instance,
        section=section,
        type=Article.Type.ARTICLE if opinion["author"].get("vip") else Article.Type.PROPOSAL,
        title=opinion["title"][:300],
        body=html_to_text(opinion["body"]) or opinion["title"],
        explanation=explanation,
        position=position,
        author_name=(opinion["author"].get("displayName") or "")[:120],
        created_at=_when(opinion["created_at"]),
        agree_offset=int(opinion["votes_ok"]),
        disagree_offset=int(opinion["votes_nok"]),
        mixed_offset=int(opinion["votes_mitige"]),
        comment_count=len(opinion["arguments"]),
        origin=ORIGIN,
        external_id=str(opinion["id"]),
    )


def _argument(instance, article, argument) -> Comment:
    votes = int(argument.get("votes_count") or 0)
    return Comment(
        instance=instance,
        target_type="debates.article",
        target_id=article.pk,
        body=html_to_text(argument["body"]) or "…",
        alignment=Alignment.FOR if int(argument["type"]) == 1 else Alignment.AGAINST,
        language="fr",
        created_at=_when(argument["created_at"]),
        support_offset=votes,
        support_count=votes,
        origin=ORIGIN,
        external_id=str(argument["id"]),
    )


def _source(instance, article, source) -> Source:
    return Source(
        instance=instance,
        article=article,
        url=(source.get("link") or "")[:500],
        title=(source.get("title") or source.get("link") or "")[:200],
        created_at=_when(source["created_at"]),
        origin=ORIGIN,
        external_id=str(source["id"]),
    )


@transaction.atomic
def do_import_republique_numerique(
    *, actor: Any, instance: ModuleInstance, directory: Path
) -> Imported:
    """Import the consultation into ``instance`` (a text consultation); opinions already
    imported are left as they are, so running it again adds nothing."""
    ensure_kind(instance, Kind.TEXT)
    opinions = read_opinions(directory)
    sections = _sections(instance, opinions)
    done = set(
        Article.objects.filter(instance=instance, origin=ORIGIN).values_list(
            "external_id", flat=True
        )
    )
    todo = [o for o in opinions if str(o["id"]) not in done]
    start = Article.objects.filter(instance=instance).count()
    articles = Article.objects.bulk_create(
        [
            _article(instance, sections[int(o["type"]["id"])], o, start + i)
            for i, o in enumerate(todo)
        ]
    )
    if not articles or articles[0].pk is None:  # back-ends that return no keys
        by_id = {a.external_id: a for a in Article.objects.filter(instance=instance, origin=ORIGIN)}
        articles = [by_id[str(o["id"])] for o in todo]
    Comment.objects.bulk_create(
        [
            _argument(instance, a, arg)
            for a, o in zip(articles, todo, strict=True)
            for arg in o["arguments"]
        ],
        batch_size=500,
    )
    Source.objects.bulk_create(
        [
            _source(instance, a, s)
            for a, o in zip(articles, todo, strict=True)
            for s in o["sources"]
        ],
        batch_size=500,
    )
    result = Imported(
        articles=sum(1 for a in articles if a.type == Article.Type.ARTICLE),
        proposals=sum(1 for a in articles if a.type == Article.Type.PROPOSAL),
        arguments=sum(len(o["arguments"]) for o in todo),
        sources=sum(len(o["sources"]) for o in todo),
        votes=sum(int(o["votes_total"]) for o in todo),
    )
    log_action(actor=actor, code="debates.text.imported", target=instance, data=result.__dict__)
    return result
