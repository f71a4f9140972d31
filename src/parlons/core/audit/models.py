"""The audit log: who did what, on what, when."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parlons.core.tenancy import ScopedManager


class AuditEntry(models.Model):
    """One mutation.  ``code`` is namespaced and past tense: ``budgets.ballot.cast``.

    ``target_type``/``target_id`` name the object without a foreign key, so entries
    outlive what they describe.  The actor is kept as a foreign key that erasure of the
    person's account sets to null.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # What the target was called when this happened ({language: text}); never a person.
    target_label = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.code
