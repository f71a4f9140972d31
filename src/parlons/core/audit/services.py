"""Writing to the audit log, and saying each entry as a sentence."""

from __future__ import annotations

from typing import Any

from django.db import models

from parlons.core.audit.models import AuditEntry


def _organisation_of(target: Any):
    from parlons.core.organisations.models import Organisation

    if isinstance(target, Organisation):
        return target
    for path in ("organisation", "process", "instance", "phase"):
        related = getattr(target, path, None)
        if related is not None and related is not target:
            return _organisation_of(related)
    return None


def _label(target: Any) -> dict:
    """The target's name for the log: its title (all languages) or its text, but nothing
    that names a person (participants and members are shown by number only)."""
    if target is None or target._meta.label_lower in PERSONAL_TARGETS:
        return {}
    title = getattr(target, "title", None)
    if isinstance(title, dict) and title:
        return {code: str(text)[:200] for code, text in title.items() if text}
    if isinstance(title, str) and title:
        return {"": title[:200]}
    name = getattr(target, "name", None)
    if isinstance(name, str) and name:
        return {"": name[:200]}
    return {}


PERSONAL_TARGETS = {"participants.participant", "organisations.member", "participants.guest"}


def log_action(
    *,
    actor: Any,
    code: str,
    target: models.Model | None = None,
    organisation: Any = None,
    data: dict | None = None,
) -> AuditEntry:
    """Record one mutation.  Call it inside the transaction of the change it records."""
    if organisation is None and target is not None:
        organisation = _organisation_of(target)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        organisation=organisation,
        actor=actor,
        code=code,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=_label(target),
        data=data or {},
    )
    entry.save()
    return entry
