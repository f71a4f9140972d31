"""Processes, their phases and the module instances the phases open."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parlons.core.organisations.models import Organisation, language_codes
from parlons.core.tenancy import ScopedManager
from parlons.lib.i18n import TranslatedField


class Area(models.Model):
    """A territory of an organisation (a district, a constituency, the whole city)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(_("code"), max_length=40)
    name = TranslatedField(_("name"))
    postcodes = models.JSONField(_("postcodes"), default=list, blank=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="area_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: listed and open to all")
    UNLISTED = "unlisted", _("Unlisted: open to anyone with the link")
    PRIVATE = "private", _("Private: invited participants only")


class ProcessQuerySet(models.QuerySet):
    def listed(self) -> ProcessQuerySet:
        return self.filter(visibility=Visibility.PUBLIC, published=True)


class Process(models.Model):
    """A participatory space: a title, areas, languages, visibility and a timeline."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="processes"
    )
    slug = models.SlugField(_("address"), max_length=80)
    title = TranslatedField(_("title"))
    summary = TranslatedField(_("summary"), blank=True)
    description = TranslatedField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="processes/", blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    published = models.BooleanField(_("published"), default=True)
    languages = models.JSONField(_("languages"), default=language_codes)
    areas = models.ManyToManyField(Area, blank=True, related_name="processes")
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="invited_processes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "organisation"
    objects = ScopedManager.from_queryset(ProcessQuerySet)()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="process_slug_unique")
        ]

    def __str__(self) -> str:
        return self.slug


class Phase(models.Model):
    """A dated step of a process.  It opens module instances with capabilities."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    position = models.PositiveIntegerField(default=0)

    tenant_path = "process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["starts_at", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="phase_dates")
        ]

    def __str__(self) -> str:
        return f"{self.process_id}:{self.pk}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class ModuleInstance(models.Model):
    """One module configured inside one process, e.g. "the 2027 budget vote"."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="instances")
    module = models.CharField(_("module"), max_length=40)
    slug = models.SlugField(_("address"), max_length=80)
    title = TranslatedField(_("title"))
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    # {method: {params}}; an object, not a list, so that has_key lookups work on SQLite.
    required_verifications = models.JSONField(_("required verifications"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    tenant_path = "process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="instance_slug_unique")
        ]

    def __str__(self) -> str:
        return f"{self.module}:{self.slug}"


class Opening(models.Model):
    """A phase opens a capability on a module instance (one row per capability).

    The capability ``show`` means the phase presents the instance without opening any
    action on it.
    """

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="openings")
    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="openings")
    capability = models.CharField(max_length=32)

    tenant_path = "phase__process__organisation"
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phase", "instance", "capability"], name="opening_once")
        ]

    def __str__(self) -> str:
        return f"{self.phase_id}:{self.instance_id}:{self.capability}"
