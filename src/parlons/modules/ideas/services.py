"""Every change to ideas and categories: ``check_*`` validates and authorises,
``do_*`` calls it inside its transaction, writes and audits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parlons.contributions.files import PreparedFile
from parlons.contributions.models import Attachment, Comment, Support
from parlons.contributions.permissions import decide_open
from parlons.contributions.services import (
    LocationInput,
    check_attachments,
    check_location,
    do_attach,
    do_set_location,
    screen_text,
)
from parlons.contributions.services.counts import touch
from parlons.contributions.services.moderation import flag_automatically
from parlons.contributions.services.supports import lock_person
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.permissions import Decision, Refused, ensure
from parlons.core.processes.models import ModuleInstance
from parlons.core.processes.services import do_save_instance
from parlons.modules.ideas.importing import CommentRow, IdeaRow
from parlons.modules.ideas.models import Category, Idea, Status

TITLE_LENGTH = (5, 150)
BODY_LENGTH = (15, 10000)


@dataclass(frozen=True)
class IdeaDraft:
    """A checked idea, ready to write."""

    title: str
    body: str
    category: Category | None
    location: LocationInput
    files: tuple[PreparedFile, ...]
    spam: tuple[str, ...]


def _category(instance: ModuleInstance, category: Any) -> Category | None:
    if category in (None, ""):
        return None
    pk = getattr(category, "pk", category)
    found = Category.objects.filter(instance=instance, pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise ValidationError(
            {"category": _("This category does not exist in this idea box.")}, code="category"
        )
    return found


def _texts(title: str, body: str) -> tuple[str, str]:
    errors = {}
    try:
        title = clean_text(title, min_length=TITLE_LENGTH[0], max_length=TITLE_LENGTH[1])
    except ValidationError as error:
        errors["title"] = error.messages
    try:
        body = clean_text(body, min_length=BODY_LENGTH[0], max_length=BODY_LENGTH[1])
    except ValidationError as error:
        errors["body"] = error.messages
    if errors:
        raise ValidationError(errors)
    return title, body


def _checked(
    *,
    instance: ModuleInstance,
    title: str,
    body: str,
    category: Any,
    location: dict | None,
    uploads: Sequence[Any],
    attachment_title: str,
    existing_files: int = 0,
) -> IdeaDraft:
    title, body = _texts(title, body)
    found = _category(instance, category)
    place = check_location(instance=instance, **(location or {}))
    try:
        files = check_attachments(
            instance=instance, uploads=uploads, existing=existing_files, title=attachment_title
        )
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from None
    spam = screen_text(organisation=instance.process.organisation, texts=[title, body])
    return IdeaDraft(title, body, found, place, tuple(files), tuple(spam))


def check_submit_idea(
    *,
    person: Any,
    instance: ModuleInstance,
    title: str,
    body: str,
    category: Any = None,
    location: dict | None = None,
    uploads: Sequence[Any] = (),
    attachment_title: str = "",
) -> IdeaDraft:
    """May ``person`` submit this idea now (phase, verifications, limits, text, files)?

    ``location`` holds the keyword arguments of ``contributions.services.check_location``
    (``latitude``, ``longitude``, ``address``, ``area``).  Call inside a transaction: it
    locks the person's row, so that the limit of ideas per participant holds.
    """
    lock_person(person)
    ensure(person=person, capability="submit", instance=instance)
    return _checked(
        instance=instance,
        title=title,
        body=body,
        category=category,
        location=location,
        uploads=uploads,
        attachment_title=attachment_title,
    )


@transaction.atomic
def do_submit_idea(*, person: Any, instance: ModuleInstance, **values: Any) -> Idea:
    """Publish an idea with its files and location (hidden first if the filter found spam)."""
    draft = check_submit_idea(person=person, instance=instance, **values)
    idea = Idea.objects.create(
        instance=instance,
        author=person,
        title=draft.title,
        body=draft.body,
        category=draft.category,
        area=draft.location.area,
        language=(translation.get_language() or "")[:8],
    )
    if draft.files:
        do_attach(person=person, obj=idea, files=draft.files)
    if not draft.location.empty:
        do_set_location(person=person, obj=idea, location=draft.location)
    log_action(actor=person, code="ideas.idea.submitted", target=idea)
    if draft.spam:
        flag_automatically(obj=idea, words=draft.spam, module="ideas")
    return idea


def may_edit(*, person: Any, idea: Idea) -> Decision:
    """The author edits while submitting is open, until the idea's first support."""
    if not getattr(person, "is_authenticated", False) or idea.author_id != person.pk:
        return Decision(False, "not_allowed", _("Only its author can change an idea."))
    if idea.status == Status.WITHDRAWN or idea.hidden_at is not None:
        return Decision(False, "not_allowed", _("This idea can no longer be changed."))
    decision = decide_open(person=person, capability="submit", instance=idea.instance)
    if not decision:
        return decision
    if Support.objects.filter(target_type="ideas.idea", target_id=idea.pk).exists():
        return Decision(
            False, "supported", _("This idea has supports now: it can no longer be changed.")
        )
    return decision


def check_edit_idea(
    *,
    person: Any,
    idea: Idea,
    title: str,
    body: str,
    category: Any = None,
    location: dict | None = None,
    uploads: Sequence[Any] = (),
    attachment_title: str = "",
) -> IdeaDraft:
    """May the author change the idea to this (see :func:`may_edit`)?"""
    lock_person(person)
    decision = may_edit(person=person, idea=idea)
    if not decision:
        raise Refused(decision)
    existing = Attachment.objects.filter(target_type="ideas.idea", target_id=idea.pk).count()
    return _checked(
        instance=idea.instance,
        title=title,
        body=body,
        category=category,
        location=location,
        uploads=uploads,
        attachment_title=attachment_title,
        existing_files=existing,
    )


@transaction.atomic
def do_edit_idea(*, person: Any, idea: Idea, **values: Any) -> Idea:
    """Change an idea; new files are added to the ones it has."""
    draft = check_edit_idea(person=person, idea=idea, **values)
    idea.title, idea.body, idea.category = draft.title, draft.body, draft.category
    idea.area, idea.edited_at = draft.location.area, timezone.now()
    idea.save(update_fields=["title", "body", "category", "area", "edited_at"])
    if draft.files:
        do_attach(person=person, obj=idea, files=draft.files)
    do_set_location(person=person, obj=idea, location=draft.location)
    log_action(actor=person, code="ideas.idea.edited", target=idea)
    if draft.spam:
        flag_automatically(obj=idea, words=draft.spam, module="ideas")
    return idea


@transaction.atomic
def do_withdraw_idea(*, person: Any, idea: Idea) -> Idea:
    """The author withdraws the idea: it leaves the list; supports and comments stop."""
    if not getattr(person, "is_authenticated", False) or idea.author_id != person.pk:
        raise Refused(Decision(False, "not_allowed", _("Only its author can withdraw an idea.")))
    if idea.status == Status.WITHDRAWN:
        raise ValidationError(_("This idea is already withdrawn."), code="withdrawn")
    idea.status = Status.WITHDRAWN
    idea.save(update_fields=["status"])
    log_action(actor=person, code="ideas.idea.withdrawn", target=idea)
    return idea


@transaction.atomic
def do_save_category(
    *, actor: Any, instance: ModuleInstance, name: dict[str, str], category: Category | None = None
) -> Category:
    """Create or rename a category (its code is made from the first name given)."""
    if not any((text or "").strip() for text in name.values()):
        raise ValidationError(_("Give the category a name."), code="name")
    for text in name.values():
        clean_text(text, max_length=80, min_length=0)
    if category is None:
        base = slugify(next(t for t in name.values() if t.strip()))[:30] or "category"
        code, n = base, 1
        while Category.objects.filter(instance=instance, code=code).exists():
            n += 1
            code = f"{base}-{n}"
        position = Category.objects.filter(instance=instance).count()
        category = Category(instance=instance, code=code, position=position)
    category.name = {lang: text.strip() for lang, text in name.items() if text.strip()}
    category.save()
    log_action(actor=actor, code="ideas.category.saved", target=category)
    return category


@transaction.atomic
def do_delete_category(*, actor: Any, category: Category) -> None:
    """Delete a category; its ideas keep their place in the box, without a category."""
    log_action(actor=actor, code="ideas.category.deleted", target=category)
    category.delete()


@transaction.atomic
def do_save_settings(*, actor: Any, instance: ModuleInstance, settings: dict) -> ModuleInstance:
    """Replace an idea box's settings (validated by the module's settings form)."""
    values = {
        "module": instance.module,
        "slug": instance.slug,
        "title": instance.title,
        "required_verifications": instance.required_verifications,
        "settings": settings,
    }
    instance = do_save_instance(
        process=instance.process, actor=actor, values=values, instance=instance
    )
    log_action(actor=actor, code="ideas.settings.updated", target=instance)
    return instance


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote (rows already imported from the same origin are skipped)."""

    ideas: int
    comments: int
    categories: int
    skipped_ideas: int
    skipped_comments: int
    orphans: int  # replies whose parent is not in the file, kept at the top of the thread


@dataclass(frozen=True)
class _Placed:
    idea: str  # external id of the idea
    parent: str  # external id of the parent comment, "" at the top of a thread
    depth: int


def _place_comments(
    comments: Sequence[CommentRow], ideas: set[str], old: dict[str, _Placed]
) -> tuple[dict[str, _Placed], int]:
    """Where each comment goes: its idea, its parent and its depth.  A reply whose parent
    is missing goes to the top of its idea's thread; a comment with no idea is refused."""
    by_id = {c.external_id: c for c in comments}
    placed: dict[str, _Placed] = dict(old)
    errors: list[str] = []
    orphans = 0
    for comment in comments:
        chain: list[CommentRow] = []
        node = comment
        while node.external_id not in placed:
            if node in chain:
                errors.append(_("Line %(line)s: the replies form a loop.") % {"line": node.line})
                break
            chain.append(node)
            parent = node.parent_id
            if parent in by_id and parent not in placed:
                node = by_id[parent]
            elif parent in placed:
                up = placed[parent]
                placed[node.external_id] = _Placed(up.idea, parent, up.depth + 1)
            else:
                orphans += bool(parent)
                placed[node.external_id] = _Placed(node.idea_id, "", 0)
        for link in reversed(chain):
            if link.external_id not in placed and link.parent_id in placed:
                up = placed[link.parent_id]
                placed[link.external_id] = _Placed(up.idea, link.parent_id, up.depth + 1)
    for comment in comments:
        if comment.external_id in placed and placed[comment.external_id].idea not in ideas:
            errors.append(
                _(
                    "Line %(line)s: the comment is on the proposal “%(id)s”, which is "
                    "neither in the file nor imported before."
                )
                % {"line": comment.line, "id": comment.idea_id or comment.parent_id}
            )
    if errors:
        raise ValidationError(errors[:10], code="import")
    return placed, orphans


def check_import_ideas(
    *,
    instance: ModuleInstance,
    ideas: Sequence[IdeaRow],
    comments: Sequence[CommentRow],
    origin: str,
) -> tuple[dict[str, _Placed], int]:
    """Can these rows go into ``instance``?  Every comment must find its idea (in the file
    or imported before from ``origin``)."""
    if instance.module != "ideas":
        raise ValidationError(_("This is not an idea box."), code="module")
    if not origin.strip() or len(origin) > 80:
        raise ValidationError(_("Name the origin of the file (80 characters at most)."))
    # Whole-origin reads, not IN lists: a large file would pass SQLite's parameter limit.
    known = dict(
        Idea.objects.filter(instance=instance, origin=origin).values_list("pk", "external_id")
    )
    old = {
        ext: _Placed(known.get(idea, ""), "", depth)
        for ext, idea, depth in Comment.objects.filter(
            instance=instance, origin=origin
        ).values_list("external_id", "target_id", "depth")
    }
    return _place_comments(comments, set(known.values()) | {row.external_id for row in ideas}, old)


def _import_categories(instance: ModuleInstance, ideas: Sequence[IdeaRow]) -> tuple[dict, int]:
    """The categories named in the file, found by code or created."""
    existing = {c.code: c for c in Category.objects.filter(instance=instance)}
    found, created = {}, 0
    for row in ideas:
        if not row.category:
            continue
        code = slugify(next(iter(row.category.values())))[:40] or "category"
        if code not in existing:
            existing[code] = Category.objects.create(
                instance=instance, code=code, name=row.category, position=len(existing)
            )
            created += 1
        found[row.external_id] = existing[code]
    return found, created


@transaction.atomic
def do_import_ideas(
    *,
    actor: Any,
    instance: ModuleInstance,
    ideas: Sequence[IdeaRow],
    comments: Sequence[CommentRow] = (),
    origin: str,
    language: str = "",
) -> ImportReport:
    """Write the ideas and comments of an export (see :mod:`.importing`) in one transaction.

    Authors stay empty (the export's user ids name nobody here); supports and votes counted
    on the other platform become the offsets the batch count adds to supports given here.
    Running it again with the same origin adds only the rows not imported yet.
    """
    placed, orphans = check_import_ideas(
        instance=instance, ideas=ideas, comments=comments, origin=origin
    )
    pks = dict(
        Idea.objects.filter(instance=instance, origin=origin).values_list("external_id", "pk")
    )
    done = set(
        Comment.objects.filter(instance=instance, origin=origin).values_list(
            "external_id", flat=True
        )
    )
    new_ideas = [row for row in ideas if row.external_id not in pks]
    new_comments = [row for row in comments if row.external_id not in done]
    visible: dict[str, int] = {}
    for row in new_comments:
        if row.body:
            visible[placed[row.external_id].idea] = visible.get(placed[row.external_id].idea, 0) + 1
    categories, created_categories = _import_categories(instance, new_ideas)
    now = timezone.now()
    created = Idea.objects.bulk_create(
        [
            Idea(
                instance=instance,
                title=row.title,
                body=row.body,
                language=language[:8],
                category=categories.get(row.external_id),
                status=row.status,
                created_at=row.created_at or now,
                reference=row.reference,
                origin=origin,
                external_id=row.external_id,
                support_offset=row.supports,
                support_count=row.supports,
                comment_count=visible.get(row.external_id, 0),
            )
            for row in new_ideas
        ],
        batch_size=1000,
    )
    pks.update({idea.external_id: idea.pk for idea in created})
    _write_comments(instance, new_comments, placed, pks, origin=origin, language=language, now=now)
    fresh = {row.external_id for row in new_ideas}
    touch(target_type="ideas.idea", ids=[pks[i] for i in visible if i not in fresh])
    report = ImportReport(
        ideas=len(created),
        comments=len(new_comments),
        categories=created_categories,
        skipped_ideas=len(ideas) - len(new_ideas),
        skipped_comments=len(comments) - len(new_comments),
        orphans=orphans,
    )
    log_action(
        actor=actor,
        code="ideas.ideas.imported",
        target=instance,
        data={"origin": origin, "ideas": report.ideas, "comments": report.comments},
    )
    return report


def _write_comments(instance, rows, placed, ideas, *, origin, language, now) -> None:
    """Comments level by level, so that each reply knows its parent's and root's pks."""
    pks = dict(
        Comment.objects.filter(instance=instance, origin=origin).values_list("external_id", "pk")
    )
    roots = dict(
        Comment.objects.filter(instance=instance, origin=origin).values_list("pk", "root_id")
    )
    for depth in sorted({placed[row.external_id].depth for row in rows}):
        level = [row for row in rows if placed[row.external_id].depth == depth]
        made = Comment.objects.bulk_create(
            [
                _comment_of(instance, row, placed, ideas, pks, roots, origin, language, now)
                for row in level
            ],
            batch_size=1000,
        )
        for comment in made:
            pks[comment.external_id] = comment.pk
            roots[comment.pk] = comment.root_id


def _comment_of(instance, row, placed, ideas, pks, roots, origin, language, now) -> Comment:
    where = placed[row.external_id]
    parent = pks.get(where.parent) if where.parent else None
    created = row.created_at or now
    return Comment(
        instance=instance,
        target_type="ideas.idea",
        target_id=ideas[where.idea],
        parent_id=parent,
        root_id=(roots.get(parent) or parent) if parent else None,
        depth=where.depth,
        body=row.body,
        alignment=row.alignment,
        language=language[:8],
        created_at=created,
        deleted_at=None if row.body else created,
        origin=origin,
        external_id=row.external_id,
        support_offset=row.up,
        oppose_offset=row.down,
        support_count=row.up,
        oppose_count=row.down,
    )
