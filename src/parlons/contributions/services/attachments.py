"""Attachments: files checked by content, within the instance's count and size limits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parlons.contributions.audit import code
from parlons.contributions.files import PreparedFile, limits_of, prepare_upload
from parlons.contributions.models import Attachment
from parlons.contributions.targets import targets
from parlons.core.audit.services import log_action


def check_attachments(
    *, instance: Any, uploads: Sequence[Any], existing: int = 0, title: str = ""
) -> list[PreparedFile]:
    """Check uploaded files against ``instance``'s limits; return them ready to store.

    Permission is the caller's: the module's form that carries the files (submitting an
    idea, editing a project) has asked its own capability.
    """
    uploads = [upload for upload in uploads if upload]
    max_count, max_bytes = limits_of(instance)
    if existing + len(uploads) > max_count:
        raise ValidationError(
            ngettext(
                "%(count)d file at most.",
                "%(count)d files at most.",
                max_count,
            )
            % {"count": max_count},
            code="too_many",
        )
    errors: list[ValidationError] = []
    prepared = []
    for upload in uploads:
        try:
            prepared.append(prepare_upload(upload, max_bytes=max_bytes, title=title[:200]))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return prepared


@transaction.atomic
def do_attach(*, person: Any, obj: Any, files: Sequence[PreparedFile]) -> list[Attachment]:
    """Store checked files on ``obj`` (call :func:`check_attachments` first)."""
    target = targets.of(obj)
    instance = target.instance_of(obj)
    start = Attachment.objects.filter(target_type=target.label, target_id=obj.pk).count()
    stored = []
    for position, prepared in enumerate(files, start=start):
        attachment = Attachment(
            instance=instance,
            target_type=target.label,
            target_id=obj.pk,
            kind=prepared.kind,
            title=prepared.title,
            content_type=prepared.content_type,
            size=len(prepared.content),
            width=prepared.width,
            height=prepared.height,
            position=position,
            uploaded_by=person if getattr(person, "is_authenticated", False) else None,
        )
        attachment.file.save(f"file{prepared.suffix}", ContentFile(prepared.content), save=False)
        attachment.save()
        stored.append(attachment)
        log_action(actor=person, code=code(target.module, "attachment.added"), target=obj)
    return stored


@transaction.atomic
def do_remove_attachment(*, person: Any, attachment: Attachment, allowed: bool) -> None:
    """Remove a file; ``allowed`` is the module's answer to "may this person edit it?"."""
    if not allowed:
        from parlons.core.permissions import Decision, Refused

        raise Refused(Decision(False, "not_allowed", _("You cannot change this.")))
    module = attachment.instance.module
    attachment.file.delete(save=False)
    attachment.delete()
    log_action(actor=person, code=code(module, "attachment.removed"), target=attachment.instance)
