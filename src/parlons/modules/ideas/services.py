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
from parlons.contributions.models import Attachment, Support
from parlons.contributions.permissions import decide_open
from parlons.contributions.services import (
    LocationInput,
    check_attachments,
    check_location,
    do_attach,
    do_set_location,
    screen_text,
)
from parlons.contributions.services.moderation import flag_automatically
from parlons.contributions.services.supports import lock_person
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.permissions import Decision, Refused, ensure
from parlons.core.processes.models import ModuleInstance
from parlons.core.processes.services import do_save_instance
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
