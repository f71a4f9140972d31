"""Exports of an idea box: ideas, comments and supports in CSV, all three in one XLSX.

Participants are pseudonymised (``contributions.exports.pseudonym``); formulas in
participants' text are defused by the writers of ``formats.tabular``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from parlons.contributions.exports import (
    COMMENT_HEADER,
    SUPPORT_HEADER,
    comment_rows,
    pseudonym,
    support_rows,
)
from parlons.contributions.models import Answer, Location
from parlons.formats.tabular import Sheet, iter_csv, iter_xlsx
from parlons.lib.i18n import pick
from parlons.modules.ideas.models import Idea

LABEL = "ideas.idea"
IDEA_HEADER = (
    "id",
    "reference",
    "title",
    "body",
    "category",
    "area",
    "status",
    "author",
    "supports",
    "comments",
    "created_at",
    "edited_at",
    "hidden",
    "address",
    "latitude",
    "longitude",
    "answer_status",
    "answer",
    "origin",
    "external_id",
)


def idea_rows(*, instance: Any, public: bool = False) -> Iterator[tuple]:
    """Every idea of ``instance`` (the API's open data leaves out hidden ones)."""
    located = {
        row.target_id: row for row in Location.objects.filter(instance=instance, target_type=LABEL)
    }
    answers = {
        row.target_id: row for row in Answer.objects.filter(instance=instance, target_type=LABEL)
    }
    ideas = Idea.objects.filter(instance=instance).select_related("category", "area")
    if public:
        ideas = ideas.filter(hidden_at__isnull=True)
    for idea in ideas.order_by("pk").iterator(chunk_size=2000):
        place, answer = located.get(idea.pk), answers.get(idea.pk)
        yield (
            idea.pk,
            idea.reference,
            idea.title,
            idea.body,
            pick(idea.category.name) if idea.category else "",
            idea.area.code if idea.area else "",
            idea.status,
            pseudonym(instance_id=instance.pk, participant_id=idea.author_id),
            idea.support_count,
            idea.comment_count,
            idea.created_at,
            idea.edited_at,
            idea.hidden_at is not None,
            place.address if place else "",
            float(place.latitude) if place and place.latitude is not None else None,
            float(place.longitude) if place and place.longitude is not None else None,
            answer.status if answer else "",
            pick(answer.explanation) if answer else "",
            idea.origin,
            idea.external_id,
        )


def ideas_csv(*, instance: Any) -> Iterator[bytes]:
    return iter_csv(header=IDEA_HEADER, rows=idea_rows(instance=instance))


def comments_csv(*, instance: Any) -> Iterator[bytes]:
    return iter_csv(header=COMMENT_HEADER, rows=comment_rows(instance=instance, target_type=LABEL))


def supports_csv(*, instance: Any) -> Iterator[bytes]:
    return iter_csv(header=SUPPORT_HEADER, rows=support_rows(instance=instance, target_type=LABEL))


def all_xlsx(*, instance: Any) -> Iterator[bytes]:
    return iter_xlsx(
        sheets=[
            Sheet(name="ideas", header=IDEA_HEADER, rows=idea_rows(instance=instance)),
            Sheet(
                name="comments",
                header=COMMENT_HEADER,
                rows=comment_rows(instance=instance, target_type=LABEL),
            ),
            Sheet(
                name="supports",
                header=SUPPORT_HEADER,
                rows=support_rows(instance=instance, target_type=LABEL),
            ),
        ]
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# key -> (content type, file suffix, chunks)
STREAMS = {
    "ideas-csv": ("text/csv; charset=utf-8", "csv", ideas_csv),
    "comments-csv": ("text/csv; charset=utf-8", "csv", comments_csv),
    "supports-csv": ("text/csv; charset=utf-8", "csv", supports_csv),
    "all-xlsx": (XLSX, "xlsx", all_xlsx),
}


def _write(chunks: Iterator[bytes], stream: Any) -> None:
    for chunk in chunks:
        stream.write(chunk)


def write_ideas_csv(*, instance: Any, stream: Any) -> None:
    _write(ideas_csv(instance=instance), stream)


def write_comments_csv(*, instance: Any, stream: Any) -> None:
    _write(comments_csv(instance=instance), stream)


def write_supports_csv(*, instance: Any, stream: Any) -> None:
    _write(supports_csv(instance=instance), stream)


def write_xlsx(*, instance: Any, stream: Any) -> None:
    _write(all_xlsx(instance=instance), stream)
