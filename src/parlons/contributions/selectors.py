"""Reads of contributions, each in a fixed number of queries whatever the volume.

The ``*_of`` functions take a target label and the pks of objects already fetched (a
page of a list) and return a dict keyed by pk: one query each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator

from parlons.contributions.models import (
    Answer,
    Attachment,
    Comment,
    Location,
    Report,
    Support,
)
from parlons.contributions.targets import COMMENT_LABEL, Target, targets

COMMENT_ORDERS = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "supported": ("-support_count", "-created_at", "-pk"),
}
COMMENTS_PER_PAGE = 50
# Deeper replies (imported threads can go 20 levels down) are drawn at this indentation.
MAX_INDENT = 4


def target_object(row: Any) -> Any:
    """The object a contribution row (comment, answer, report...) is about."""
    if row.target_type == COMMENT_LABEL:
        return Comment.objects.select_related("instance__process__organisation").get(
            pk=row.target_id
        )
    target = targets.get(row.target_type)
    return (
        target.model_class()
        .objects.select_related(f"{target.instance_field}__process__organisation")
        .get(pk=row.target_id)
    )


def reactions_of(*, person: Any, target_type: str, ids: Iterable[int]) -> dict[int, int]:
    """``{pk: +1 or -1}`` for the objects ``person`` supported or reacted against."""
    ids = list(ids)
    if not getattr(person, "is_authenticated", False) or not ids:
        return {}
    return dict(
        Support.objects.filter(
            target_type=target_type, target_id__in=ids, participant=person
        ).values_list("target_id", "value")
    )


def attachments_of(*, target_type: str, ids: Iterable[int]) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(target_type=target_type, target_id__in=list(ids)):
        found[attachment.target_id].append(attachment)
    return found


def locations_of(*, target_type: str, ids: Iterable[int]) -> dict[int, Location]:
    return {
        location.target_id: location
        for location in Location.objects.filter(
            target_type=target_type, target_id__in=list(ids)
        ).select_related("area")
    }


def answers_of(*, target_type: str, ids: Iterable[int]) -> dict[int, Answer]:
    return {
        answer.target_id: answer
        for answer in Answer.objects.filter(target_type=target_type, target_id__in=list(ids))
    }


@dataclass
class Thread:
    """The comments of one object, page by page, flattened in reading order.

    ``comments`` lists the page's top-level comments, each followed by its replies
    (depth first, oldest first); every comment carries ``indent``, ``can_reply``,
    ``mine``, ``my_reaction`` and ``reply_to`` (the comment it answers).
    """

    target: Target
    obj: Any
    comments: list[Comment]
    page: Page
    order: str
    total: int
    reactions: dict[int, int] = field(default_factory=dict)


def _flatten(top: list[Comment], replies: list[Comment]) -> list[Comment]:
    children: dict[int, list[Comment]] = defaultdict(list)
    by_pk = {comment.pk: comment for comment in (*top, *replies)}
    for reply in replies:
        children[reply.parent_id].append(reply)
    ordered: list[Comment] = []

    def walk(comment: Comment) -> None:
        ordered.append(comment)
        for child in children.get(comment.pk, ()):
            child.reply_to = by_pk.get(child.parent_id)
            walk(child)

    for comment in top:
        comment.reply_to = None
        walk(comment)
    return ordered


def thread_of(
    *,
    obj: Any,
    person: Any,
    order: str = "oldest",
    page: Any = 1,
    per_page: int = COMMENTS_PER_PAGE,
) -> Thread:
    """One page of the thread of ``obj``: four queries (count, top level, replies, the
    person's reactions), whatever the number of comments."""
    target = targets.of(obj)
    order = order if order in COMMENT_ORDERS else "oldest"
    top_level = (
        Comment.objects.filter(target_type=target.label, target_id=obj.pk, root__isnull=True)
        .select_related("author")
        .order_by(*COMMENT_ORDERS[order])
    )
    paginator = Paginator(top_level, per_page)
    current = paginator.get_page(page)
    top = list(current.object_list)
    replies = list(
        Comment.objects.filter(root__in=[c.pk for c in top])
        .select_related("author")
        .order_by("created_at", "pk")
    )
    comments = _flatten(top, replies)
    reactions = reactions_of(person=person, target_type=COMMENT_LABEL, ids=[c.pk for c in comments])
    person_pk = person.pk if getattr(person, "is_authenticated", False) else None
    for comment in comments:
        comment.indent = min(comment.depth, MAX_INDENT)
        comment.can_reply = comment.visible and comment.depth + 1 < target.comment_depth
        comment.mine = person_pk is not None and comment.author_id == person_pk
        comment.my_reaction = reactions.get(comment.pk)
    return Thread(
        target=target,
        obj=obj,
        comments=comments,
        page=current,
        order=order,
        total=obj.comment_count,
        reactions=reactions,
    )


def reported_by(*, person: Any, target_type: str, ids: Iterable[int]) -> set[int]:
    """The pks among ``ids`` that ``person`` has reported."""
    ids = list(ids)
    if not getattr(person, "is_authenticated", False) or not ids:
        return set()
    return set(
        Report.objects.filter(
            target_type=target_type, target_id__in=ids, reporter=person
        ).values_list("target_id", flat=True)
    )


@dataclass
class QueueItem:
    """One object in the moderation queue, with its open reports."""

    obj: Any
    target: Target
    label: str
    reports: list[Report]
    url: str = ""
    parent: Any = None
    title: str = ""

    @property
    def key(self) -> str:
        """The ``target`` value of the moderation form (the stored target type)."""
        return self.obj._meta.label_lower

    @property
    def hidden(self) -> bool:
        return self.obj.hidden_at is not None


def _models_of(module: str):
    yield COMMENT_LABEL, Comment, "instance"
    for target in targets.for_module(module):
        yield target.label, target.model_class(), target.instance_field


def _objects(label: str, ids: set[int]) -> dict[int, Any]:
    if label == COMMENT_LABEL:
        model, field_name = Comment, "instance"
    elif label in targets:
        target = targets.get(label)
        model, field_name = target.model_class(), target.instance_field
    else:
        return {}
    queryset = model.objects.filter(pk__in=ids).select_related(
        f"{field_name}__process__organisation"
    )
    return {obj.pk: obj for obj in queryset}


def moderation_queue(*, instance: Any, show: str = "reported", limit: int = 500) -> list[QueueItem]:
    """What moderators look at in ``instance``: objects with open reports
    (``show="reported"``) or objects hidden now (``show="hidden"``); a query per kind."""
    wanted: dict[str, set[int]] = defaultdict(set)
    if show == "hidden":
        for label, model, field_name in _models_of(instance.module):
            hidden = model.objects.filter(hidden_at__isnull=False, **{field_name: instance})
            wanted[label].update(hidden.values_list("pk", flat=True)[:limit])
    reports: dict[tuple[str, int], list[Report]] = defaultdict(list)
    open_reports = Report.objects.filter(instance=instance, resolved_at__isnull=True)
    for report in open_reports.select_related("reporter").order_by("created_at", "pk")[: limit * 4]:
        reports[(report.target_type, report.target_id)].append(report)
        if show != "hidden":
            wanted[report.target_type].add(report.target_id)
    items = []
    for label, ids in sorted(wanted.items()):
        for pk, obj in sorted(_objects(label, ids).items()):
            name = str(obj._meta.verbose_name)
            items.append(QueueItem(obj, targets.of(obj), name, reports.get((label, pk), [])))
    _add_urls(items)
    return items


def _add_urls(items: list[QueueItem]) -> None:
    """Public addresses; a comment's is its parent's page (parents fetched per kind)."""
    parents: dict[str, set[int]] = defaultdict(set)
    for item in items:
        if isinstance(item.obj, Comment):
            parents[item.obj.target_type].add(item.obj.target_id)
    fetched = {label: _objects(label, ids) for label, ids in parents.items()}
    for item in items:
        item.title = item.target.title(item.obj)
        if isinstance(item.obj, Comment):
            item.parent = fetched[item.obj.target_type].get(item.obj.target_id)
            if item.parent is not None:
                parent_url = targets.of(item.parent).url(item.parent)
                item.url = f"{parent_url}#comment-{item.obj.pk}"
        else:
            item.url = item.target.url(item.obj)


def tile_url(instance: Any) -> str:
    """The map tile URL template in force for ``instance`` ("" means: no map tiles)."""
    own = (instance.settings or {}).get("map_tile_url") or ""
    return own or settings.PARLONS.get("MAP_TILE_URL", "")
