"""Exports of a debate: articles, amendments, arguments, votes (per pseudonymous
participant), the opinion map, and the Polis open-data files in a ZIP."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from parlons.contributions.exports import COMMENT_HEADER, comment_rows, pseudonym, support_rows
from parlons.formats import polis
from parlons.formats.tabular import iter_csv
from parlons.modules.debates.models import Amendment, Article, ArticleVote, MapState, Position
from parlons.modules.debates.selectors import article_tallies

ARTICLE_HEADER = (
    "id",
    "section",
    "type",
    "title",
    "body",
    "agree",
    "disagree",
    "mixed",
    "arguments",
    "hidden",
    "origin",
    "external_id",
)
AMENDMENT_HEADER = (
    "id",
    "article_id",
    "author",
    "body",
    "explanation",
    "for",
    "against",
    "created_at",
    "hidden",
)
VOTE_HEADER = ("object_type", "object_id", "participant", "value", "changed_at")
MAP_HEADER = ("participant", "x", "y", "group", "closest_group")


def article_rows(*, instance: Any, public: bool = False) -> Iterator[tuple]:
    articles = list(Article.objects.filter(instance=instance).select_related("section"))
    if public:
        articles = [a for a in articles if a.hidden_at is None]
    tallies = article_tallies(articles=articles)
    for a in articles:
        t = tallies[a.pk]
        yield (
            a.pk,
            a.section.title if a.section else "",
            a.type,
            a.title,
            a.body,
            t.agree,
            t.disagree,
            t.mixed,
            a.comment_count,
            a.hidden_at is not None,
            a.origin,
            a.external_id,
        )


def amendment_rows(*, instance: Any, public: bool = False) -> Iterator[tuple]:
    found = Amendment.objects.filter(instance=instance).order_by("pk")
    if public:
        found = found.filter(hidden_at__isnull=True)
    for a in found:
        yield (
            a.pk,
            a.article_id,
            pseudonym(instance_id=instance.pk, participant_id=a.author_id),
            a.body,
            a.explanation,
            a.support_count,
            a.oppose_count,
            a.created_at,
            a.hidden_at is not None,
        )


def argument_rows(*, instance: Any, public: bool = False) -> Iterator[tuple]:
    for label in ("debates.article", "debates.amendment", "debates.question"):
        yield from comment_rows(instance=instance, target_type=label, public=public)


def vote_rows(*, instance: Any) -> Iterator[tuple]:
    """Votes on articles, amendments, arguments and questions, and statement votes, each
    participant under the same pseudonym in this instance (never across instances)."""
    for v in ArticleVote.objects.filter(instance=instance).order_by("pk").iterator():
        who = pseudonym(instance_id=instance.pk, participant_id=v.participant_id)
        yield ("debates.article", v.article_id, who, v.value, v.changed_at)
    for v in Position.objects.filter(instance=instance).order_by("pk").iterator():
        who = pseudonym(instance_id=instance.pk, participant_id=v.participant_id)
        yield ("debates.question", v.question_id, who, v.value, v.changed_at)
    for label in ("debates.amendment", "contributions.comment"):
        yield from support_rows(instance=instance, target_type=label)
    from parlons.modules.debates.models import StatementVote

    votes = StatementVote.objects.filter(instance=instance).select_related("voter", "statement")
    for v in votes.order_by("pk").iterator(chunk_size=5000):
        yield (
            "debates.statement",
            v.statement.number,
            f"v-{v.voter.number}",
            v.value,
            v.changed_at,
        )


def map_rows(*, instance: Any) -> Iterator[tuple]:
    row = MapState.objects.filter(instance=instance).first()
    participants = (row.result or {}).get("participants", {}) if row else {}
    for number, p in sorted(participants.items(), key=lambda kv: int(kv[0])):
        yield (f"v-{number}", p["x"], p["y"], p["group"], p.get("closest"))


def _write(header, rows, stream) -> None:
    for chunk in iter_csv(header=header, rows=rows):
        stream.write(chunk)


def write_articles_csv(*, instance: Any, stream: Any) -> None:
    _write(ARTICLE_HEADER, article_rows(instance=instance), stream)


def write_amendments_csv(*, instance: Any, stream: Any) -> None:
    _write(AMENDMENT_HEADER, amendment_rows(instance=instance), stream)


def write_arguments_csv(*, instance: Any, stream: Any) -> None:
    _write(COMMENT_HEADER, argument_rows(instance=instance), stream)


def write_votes_csv(*, instance: Any, stream: Any) -> None:
    _write(VOTE_HEADER, vote_rows(instance=instance), stream)


def write_map_csv(*, instance: Any, stream: Any) -> None:
    _write(MAP_HEADER, map_rows(instance=instance), stream)


def write_polis_zip(*, instance: Any, stream: Any) -> None:
    """The four Polis files (``formats.polis``), voters under their numbers."""
    from parlons.modules.debates.polis_io import export_conversation

    conversation = export_conversation(instance=instance)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        polis.write_conversation(conversation=conversation, directory=folder)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, arcname=path.name)
    stream.write(buffer.getvalue())
