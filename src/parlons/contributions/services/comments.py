"""Comments: threaded, with an optional position, edited with history, deleted softly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parlons.contributions.audit import code
from parlons.contributions.models import Alignment, Comment, CommentVersion
from parlons.contributions.permissions import ensure_action
from parlons.contributions.services.counts import touch
from parlons.contributions.services.moderation import flag_automatically, screen_text
from parlons.contributions.targets import Target, targets
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.notifications.services import queue_email
from parlons.core.permissions import Refused
from parlons.core.permissions.decide import Decision

MAX_LENGTH = 5000


@dataclass(frozen=True)
class CommentDraft:
    """A checked comment, ready to write."""

    target: Target
    obj: Any
    body: str
    alignment: int | None
    parent: Comment | None
    spam: tuple[str, ...]


def _alignment(target: Target, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = None
    if value not in Alignment.values:
        raise ValidationError(_("Choose in favour, neutral or against."), code="alignment")
    return value if target.alignment else None


def _parent(target: Target, obj: Any, parent_id: Any) -> Comment | None:
    if parent_id in (None, ""):
        return None
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError):
        parent_id = 0
    parent = Comment.objects.filter(
        pk=parent_id, target_type=target.label, target_id=obj.pk
    ).first()
    if parent is None or parent.deleted_at is not None or parent.hidden_at is not None:
        raise ValidationError(_("The comment you reply to is no longer here."), code="parent")
    if parent.depth + 1 >= target.comment_depth:
        raise ValidationError(
            _("Replies go %(count)d levels deep at most: reply to the comment above.")
            % {"count": target.comment_depth},
            code="depth",
        )
    return parent


def check_comment(
    *, person: Any, obj: Any, body: str, alignment: Any = None, parent_id: Any = None
) -> CommentDraft:
    """May ``person`` comment on ``obj`` (or reply to ``parent_id``) with this text?"""
    target = targets.of(obj)
    ensure_action(person=person, action="comment", obj=obj, target=target)
    text = clean_text(body, max_length=MAX_LENGTH)
    position = _alignment(target, alignment)
    parent = _parent(target, obj, parent_id)
    spam = screen_text(organisation=target.instance_of(obj).process.organisation, texts=[text])
    return CommentDraft(target, obj, text, position, parent, tuple(spam))


@transaction.atomic
def do_comment(
    *, person: Any, obj: Any, body: str, alignment: Any = None, parent_id: Any = None
) -> Comment:
    """Write a comment or a reply; e-mail the author of the comment replied to."""
    draft = check_comment(
        person=person, obj=obj, body=body, alignment=alignment, parent_id=parent_id
    )
    parent = draft.parent
    comment = Comment.objects.create(
        instance=draft.target.instance_of(obj),
        target_type=draft.target.label,
        target_id=obj.pk,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author=person,
        body=draft.body,
        alignment=draft.alignment,
        language=(translation.get_language() or "")[:8],
        created_at=timezone.now(),
    )
    touch(target_type=draft.target.label, ids=[obj.pk])
    log_action(actor=person, code=code(draft.target.module, "comment.created"), target=comment)
    if draft.spam:
        flag_automatically(obj=comment, words=draft.spam, module=draft.target.module)
    elif parent is not None:
        _notify_reply(comment=comment, parent=parent, obj=obj, target=draft.target)
    return comment


def _notify_reply(*, comment: Comment, parent: Comment, obj: Any, target: Target) -> None:
    author = parent.author
    if (
        author is None
        or author.pk == comment.author_id
        or not author.notify_replies
        or author.erased_at
        or not author.is_active
    ):
        return
    from django.conf import settings

    with translation.override(author.language):
        url = settings.SITE_URL.rstrip("/") + target.url(obj) + f"#comment-{comment.pk}"
        preferences = settings.SITE_URL.rstrip("/") + reverse("me:profile")
    queue_email(
        to=author.email,
        template="contributions/email/reply",
        language=author.language,
        context={
            "title": target.title(obj),
            "replier": comment.author.public_name,
            "body": comment.body,
            "url": url,
            "preferences": preferences,
        },
    )


def _own(person: Any, comment: Comment) -> None:
    if not getattr(person, "is_authenticated", False) or comment.author_id != person.pk:
        raise Refused(Decision(False, "not_allowed", _("Only its author can change a comment.")))
    if comment.deleted_at is not None:
        raise ValidationError(_("This comment was deleted."), code="deleted")


def check_edit_comment(*, person: Any, comment: Comment, body: str, alignment: Any = None):
    """May the author edit the comment now (commenting still open), with this text?"""
    _own(person, comment)
    from parlons.contributions.selectors import target_object

    obj = target_object(comment)
    target = targets.of(obj)
    ensure_action(person=person, action="comment", obj=obj, target=target, limits=False)
    if comment.hidden_at is not None:
        raise ValidationError(_("This comment was hidden by the moderators."), code="hidden")
    text = clean_text(body, max_length=MAX_LENGTH)
    position = _alignment(target, alignment)
    spam = screen_text(organisation=target.instance_of(obj).process.organisation, texts=[text])
    return target, text, position, spam


@transaction.atomic
def do_edit_comment(*, person: Any, comment: Comment, body: str, alignment: Any = None) -> Comment:
    """Change the text; the previous text stays visible in the comment's history."""
    target, text, position, spam = check_edit_comment(
        person=person, comment=comment, body=body, alignment=alignment
    )
    if text == comment.body and position == comment.alignment:
        return comment
    CommentVersion.objects.create(
        comment=comment,
        body=comment.body,
        alignment=comment.alignment,
        written_at=comment.edited_at or comment.created_at,
    )
    comment.body, comment.alignment, comment.edited_at = text, position, timezone.now()
    comment.save(update_fields=["body", "alignment", "edited_at"])
    log_action(actor=person, code=code(target.module, "comment.edited"), target=comment)
    if spam:
        flag_automatically(obj=comment, words=spam, module=target.module)
    return comment


def check_delete_comment(*, person: Any, comment: Comment) -> None:
    """Authors may delete their own comments at any time."""
    _own(person, comment)


@transaction.atomic
def do_delete_comment(*, person: Any, comment: Comment) -> Comment:
    """Soft delete: the text disappears from pages, the replies stay in place."""
    check_delete_comment(person=person, comment=comment)
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    touch(target_type=comment.target_type, ids=[comment.target_id])
    module = comment.instance.module
    log_action(actor=person, code=code(module, "comment.deleted"), target=comment)
    return comment
