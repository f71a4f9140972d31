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
        data=data or {},
    )
    entry.save()
    return entry
