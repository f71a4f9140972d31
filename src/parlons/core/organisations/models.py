"""Organisations (the tenants) and their members."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from parlons.core.tenancy import ScopedManager
from parlons.lib.i18n import TranslatedField

RESERVED_SLUGS = {
    "accounts",
    "api",
    "backoffice",
    "me",
    "mailbox",
    "media",
    "static",
    "account",
    "i18n",
    "django-admin",
    "guest",
}


def not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved."))


colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class Organisation(models.Model):
    """A city, NGO, federation, company or coalition that runs processes."""

    slug = models.SlugField(_("address"), max_length=60, unique=True, validators=[not_reserved])
    name = models.CharField(_("name"), max_length=120)
    description = TranslatedField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#1d4e89", validators=[colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#b3541e", validators=[colour]
    )
    languages = models.JSONField(_("languages"), default=language_codes)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MODERATOR = "moderator", _("Moderator")
    EVALUATOR = "evaluator", _("Evaluator")
    ANALYST = "analyst", _("Analyst")
    MEDIATOR = "mediator", _("Mediator")


class Member(models.Model):
    """A person's role in an organisation; one row per role held."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "participant", "role"], name="member_role_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_role_display()}"
