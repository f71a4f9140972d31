"""Ideas and the categories of an idea box."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parlons.contributions.models import ContributionTarget
from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import ScopedManager
from parlons.lib.i18n import TranslatedField


class Category(models.Model):
    """A theme of an idea box (mobility, nature in town...), named in every language."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = TranslatedField(_("name"))
    position = models.PositiveIntegerField(default=0)

    tenant_path = "instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["instance", "code"], name="idea_category_code")
        ]

    def __str__(self) -> str:
        return self.code


class Status(models.TextChoices):
    PUBLISHED = "published", _("Published")
    THRESHOLD_REACHED = "threshold_reached", _("Threshold reached")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses an official answer gives (the others follow from what participants do).
ANSWERS = (Status.UNDER_REVIEW, Status.ACCEPTED, Status.REJECTED, Status.IMPLEMENTED)


class Idea(ContributionTarget):
    """An idea: a title, a Markdown text, a category and an area; supported, commented,
    reported and answered through the contribution toolkit."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))
    language = models.CharField(max_length=8, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.ForeignKey(
        "processes.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.PUBLISHED
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    origin = models.CharField(max_length=80, blank=True)
    external_id = models.CharField(max_length=64, blank=True)

    tenant_path = "instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["instance", "-created_at"], name="idea_newest"),
            models.Index(
                fields=["instance", "-support_count", "-created_at"], name="idea_supported"
            ),
            models.Index(fields=["instance", "hidden_at", "status"], name="idea_visible"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "origin", "external_id"],
                condition=~models.Q(external_id=""),
                name="idea_imported_once",
            )
        ]

    def __str__(self) -> str:
        return self.title
