"""The idea box's API router (``/api/v1/ideas/``): ideas, comments and supports as open
data, paginated and filtered, participants pseudonymised."""

import re
from datetime import datetime
from typing import Any, Literal

from django.db.models import Q
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from parlons.contributions.exports import pseudonym
from parlons.contributions.models import Comment, Support
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import Area
from parlons.core.processes.selectors import access_instance
from parlons.core.tenancy import scope
from parlons.modules.ideas.models import Category, Idea, Status

router = Router(tags=["ideas"])

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
BASE = "/{organisation}/{process}/{instance}"
MAX_ID = 2**63 - 1
MAX_LIMIT = 100


class Pages(LimitOffsetPagination):
    """``?limit=&offset=`` (at most 100 a page), as the kernel's lists."""

    class Input(Schema):
        limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=1_000_000_000)

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def _text(value: str | None, length: int) -> str:
    """A filter's text without the characters a database refuses."""
    return (value or "").replace("\x00", "")[:length].strip()


class IdeaOut(Schema):
    id: int
    reference: str
    title: str
    body: str
    language: str
    category: str | None
    area: str | None
    status: str
    author: str
    supports: int
    comments: int
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_category(idea: Any) -> str | None:
        return idea.category.code if idea.category_id else None

    @staticmethod
    def resolve_area(idea: Any) -> str | None:
        return idea.area.code if idea.area_id else None

    @staticmethod
    def resolve_author(idea: Any) -> str:
        return pseudonym(instance_id=idea.instance_id, participant_id=idea.author_id)

    @staticmethod
    def resolve_supports(idea: Any) -> int:
        return idea.support_count

    @staticmethod
    def resolve_comments(idea: Any) -> int:
        return idea.comment_count


class CommentOut(Schema):
    id: int
    idea: int
    parent: int | None
    depth: int
    author: str
    alignment: int | None
    body: str
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    agree: int
    disagree: int

    @staticmethod
    def resolve_idea(comment: Any) -> int:
        return comment.target_id

    @staticmethod
    def resolve_parent(comment: Any) -> int | None:
        return comment.parent_id

    @staticmethod
    def resolve_author(comment: Any) -> str:
        return pseudonym(instance_id=comment.instance_id, participant_id=comment.author_id)

    @staticmethod
    def resolve_body(comment: Any) -> str:
        return "" if comment.deleted_at or comment.hidden_at else comment.body

    @staticmethod
    def resolve_deleted(comment: Any) -> bool:
        return comment.deleted_at is not None

    @staticmethod
    def resolve_agree(comment: Any) -> int:
        return comment.support_count

    @staticmethod
    def resolve_disagree(comment: Any) -> int:
        return comment.oppose_count


class SupportOut(Schema):
    idea: int
    participant: str
    value: int
    created_at: datetime

    @staticmethod
    def resolve_idea(support: Any) -> int:
        return support.target_id

    @staticmethod
    def resolve_participant(support: Any) -> str:
        return pseudonym(instance_id=support.instance_id, participant_id=support.participant_id)


class IdeaFilters(Schema):
    q: str | None = None
    category: str | None = None
    area: str | None = None
    status: Literal[tuple(s.value for s in Status if s != Status.WITHDRAWN)] | None = None  # type: ignore[valid-type]
    order: Literal["newest", "oldest", "supported", "commented"] = "newest"


ORDERING = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "supported": ("-support_count", "-created_at", "-pk"),
    "commented": ("-comment_count", "-created_at", "-pk"),
}


def _instance(request, organisation: str, process: str, instance: str):
    """The idea box at this address if the caller may see it, inside its scope."""
    if not all(SLUG.match(part) for part in (organisation, process, instance)):
        raise Http404
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    with scope(organisation=org):
        return org, access_instance(
            person=request.user, process_slug=process, instance_slug=instance, module="ideas"
        )


def _visible(found) -> Any:
    return Idea.objects.filter(instance=found, hidden_at__isnull=True).exclude(
        status=Status.WITHDRAWN
    )


@router.get(BASE + "/ideas", response=list[IdeaOut])
@paginate(Pages)
def list_ideas(
    request, organisation: str, process: str, instance: str, filters: Query[IdeaFilters]
):
    """The visible ideas of an idea box, filtered by text, category, area and status."""
    org, found = _instance(request, organisation, process, instance)
    with scope(organisation=org):
        ideas = _visible(found).select_related("category", "area")
        if text := _text(filters.q, 100):
            ideas = ideas.filter(Q(title__icontains=text) | Q(body__icontains=text))
        if filters.category is not None:
            code = _text(filters.category, 40)
            category = Category.objects.filter(instance=found, code=code).first()
            if category is None:
                raise HttpError(422, "Unknown category.")
            ideas = ideas.filter(category=category)
        if filters.area is not None:
            area = Area.objects.filter(organisation=org, code=_text(filters.area, 40)).first()
            if area is None:
                raise HttpError(422, "Unknown area.")
            ideas = ideas.filter(area=area)
        if filters.status:
            ideas = ideas.filter(status=filters.status)
        return ideas.order_by(*ORDERING[filters.order])


@router.get(BASE + "/ideas/{idea_id}", response=IdeaOut)
def get_idea(
    request,
    organisation: str,
    process: str,
    instance: str,
    idea_id: int = Path(..., ge=1, le=MAX_ID),
):
    """One visible idea."""
    org, found = _instance(request, organisation, process, instance)
    with scope(organisation=org):
        idea = _visible(found).select_related("category", "area").filter(pk=idea_id).first()
    if idea is None:
        raise Http404
    return idea


@router.get(BASE + "/comments", response=list[CommentOut])
@paginate(Pages)
def list_comments(
    request,
    organisation: str,
    process: str,
    instance: str,
    idea: int | None = Query(None, ge=1, le=MAX_ID),
):
    """The comments on the ideas of an idea box, oldest first (text of deleted or hidden
    comments left out); ``idea`` keeps those of one idea."""
    org, found = _instance(request, organisation, process, instance)
    with scope(organisation=org):
        comments = Comment.objects.filter(instance=found, target_type="ideas.idea")
        if idea is not None:
            comments = comments.filter(target_id=idea)
        return comments.order_by("pk")


@router.get(BASE + "/supports", response=list[SupportOut])
@paginate(Pages)
def list_supports(
    request,
    organisation: str,
    process: str,
    instance: str,
    idea: int | None = Query(None, ge=1, le=MAX_ID),
):
    """The supports of the ideas of an idea box (participants pseudonymised)."""
    org, found = _instance(request, organisation, process, instance)
    with scope(organisation=org):
        supports = Support.objects.filter(instance=found, target_type="ideas.idea", value=1)
        if idea is not None:
            supports = supports.filter(target_id=idea)
        return supports.order_by("pk")
