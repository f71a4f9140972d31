"""An information page: Markdown text per language, one per module instance."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import ScopedManager
from parlons.lib.i18n import TranslatedField


class Page(models.Model):
    instance = models.OneToOneField(ModuleInstance, on_delete=models.CASCADE, related_name="page")
    body = TranslatedField(_("text (Markdown)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "instance__process__organisation"
    objects = ScopedManager()

    def __str__(self) -> str:
        return f"page of {self.instance_id}"
