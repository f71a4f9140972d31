"""What the template pieces need for one object, built in a fixed number of queries.

A module's detail view calls :func:`panel_for` and passes the result to the includes
(``{% include "contributions/_comments.html" with panel=panel %}``...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from parlons.contributions.models import Alignment, Answer, Attachment, Location, Reason
from parlons.contributions.permissions import decide_action
from parlons.contributions.selectors import (
    COMMENT_ORDERS,
    Thread,
    answers_of,
    attachments_of,
    locations_of,
    reactions_of,
    reported_by,
    thread_of,
    tile_url,
)
from parlons.contributions.targets import COMMENT_LABEL, Target, targets
from parlons.core.permissions import Decision

DRAFT_KEY = "contributions.draft"


def _kwargs(instance: Any) -> dict[str, str]:
    process = instance.process
    return {
        "organisation_slug": process.organisation.slug,
        "process_slug": process.slug,
        "instance_slug": instance.slug,
    }


def action_url(name: str, *, instance: Any, **kwargs: Any) -> str:
    """The address of a contribution view (``comment``, ``support``...) on ``instance``."""
    return reverse(
        f"{instance.module}:contributions:{name}", kwargs={**_kwargs(instance), **kwargs}
    )


def backoffice_url(name: str, *, instance: Any, **kwargs: Any) -> str:
    """The address of a contribution back-office view (``moderation``, ``answer``...)."""
    return reverse(
        f"bo_{instance.module}:contributions:{name}", kwargs={**_kwargs(instance), **kwargs}
    )


@dataclass
class Reactions:
    """The support button (and the reaction against, where offered) of one object."""

    offered: bool
    opposable: bool
    count: int
    against: int
    mine: int | None
    decision: Decision
    url: str
    withdraw_url: str


@dataclass
class Panel:
    obj: Any
    target: Target
    instance: Any
    support: Reactions
    report_decision: Decision
    reported: bool
    report_url: str
    thread: Thread | None
    comment_decision: Decision | None
    comment_url: str
    attachments: list[Attachment]
    images: list[Attachment]
    documents: list[Attachment]
    location: Location | None
    answer: Answer | None
    tile_url: str
    reasons: list = field(default_factory=lambda: list(Reason.choices))
    alignments: list = field(default_factory=lambda: list(Alignment.choices))
    orders: list = field(default_factory=list)
    top_draft: dict = field(default_factory=dict)
    answer_label: Any = ""
    moderate: bool = False
    moderation_url: str = ""


def _pop_draft(request: Any, key: str) -> dict:
    session = getattr(request, "session", None)
    draft = session.get(DRAFT_KEY) if session is not None else None
    if not draft or not str(draft.get("key", "")).startswith(key):
        return {}
    del session[DRAFT_KEY]
    return draft


def _comment_urls(thread: Thread, instance: Any, person: Any, draft: dict) -> None:
    reported = reported_by(
        person=person, target_type=COMMENT_LABEL, ids=[c.pk for c in thread.comments]
    )
    for comment in thread.comments:
        pk = {"pk": comment.pk}
        on = {"target": COMMENT_LABEL, "pk": comment.pk}
        comment.urls = {
            "edit": action_url("comment_edit", instance=instance, **pk),
            "delete": action_url("comment_delete", instance=instance, **pk),
            "history": action_url("comment_history", instance=instance, **pk),
            "support": action_url("support", instance=instance, **on),
            "withdraw": action_url("withdraw", instance=instance, **on),
            "report": action_url("report", instance=instance, **on),
        }
        comment.reported = comment.pk in reported
        comment.form_ids = {"reply": f"reply-{comment.pk}", "report": f"report-{comment.pk}"}
        comment.draft = draft if draft.get("parent") == str(comment.pk) else {}


def panel_for(
    *, request: Any, obj: Any, comment_order: str | None = None, comment_page: Any = None
) -> Panel:
    """Everything the includes show about ``obj`` for the person of ``request``."""
    person = request.user
    target = targets.of(obj)
    instance = target.instance_of(obj)
    label, pk = target.label, obj.pk
    on = {"target": label, "pk": pk}
    mine = reactions_of(person=person, target_type=label, ids=[pk]).get(pk)
    support = Reactions(
        offered="support" in target.actions,
        opposable="oppose" in target.actions,
        count=obj.support_count,
        against=obj.oppose_count,
        mine=mine,
        decision=decide_action(person=person, action="support", obj=obj, target=target),
        url=action_url("support", instance=instance, **on),
        withdraw_url=action_url("withdraw", instance=instance, **on),
    )
    thread, comment_decision = None, None
    draft = _pop_draft(request, f"{label}:{pk}:")
    if "comment" in target.actions:
        order = comment_order or request.GET.get("comments_order") or "oldest"
        page = comment_page or request.GET.get("comments_page") or 1
        thread = thread_of(obj=obj, person=person, order=order, page=page)
        comment_decision = decide_action(person=person, action="comment", obj=obj, target=target)
        _comment_urls(thread, instance, person, draft)
    files = attachments_of(target_type=label, ids=[pk]).get(pk, [])
    answer = answers_of(target_type=label, ids=[pk]).get(pk)
    moderate = bool(decide_action(person=person, action="moderate", obj=obj, target=target))
    return Panel(
        obj=obj,
        target=target,
        instance=instance,
        support=support,
        report_decision=decide_action(person=person, action="report", obj=obj, target=target),
        reported=pk in reported_by(person=person, target_type=label, ids=[pk]),
        report_url=action_url("report", instance=instance, **on),
        thread=thread,
        comment_decision=comment_decision,
        comment_url=action_url("comment", instance=instance, **on),
        attachments=files,
        images=[a for a in files if a.kind == Attachment.Kind.IMAGE],
        documents=[a for a in files if a.kind == Attachment.Kind.DOCUMENT],
        location=locations_of(target_type=label, ids=[pk]).get(pk),
        answer=answer,
        tile_url=tile_url(instance),
        orders=list(COMMENT_ORDERS),
        top_draft={} if draft.get("parent") else draft,
        answer_label=target.status_label(answer.status) if answer else "",
        moderate=moderate,
        moderation_url=backoffice_url("moderation", instance=instance) if moderate else "",
    )
