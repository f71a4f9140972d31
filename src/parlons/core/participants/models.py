"""Participants: the account model and the verifications a process can require."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ParticipantManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Participant(AbstractBaseUser, PermissionsMixin):
    """A person with an account.  Logs in by e-mail; the display name is public."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = ParticipantManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def public_name(self) -> str:
        """The name shown next to contributions (never the e-mail address)."""
        return self.display_name or _("Participant %(id)s") % {"id": self.pk}


class Verification(models.Model):
    """A fact about a participant that a module instance can require.

    ``organisation`` is empty for facts valid everywhere (a confirmed e-mail address).
    ``identity_hash`` identifies the verified identity (a census entry, a code) so that
    one identity cannot verify two accounts.
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="verifications"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    method = models.CharField(max_length=32)
    area = models.ForeignKey("processes.Area", null=True, blank=True, on_delete=models.SET_NULL)
    identity_hash = models.CharField(max_length=128, blank=True)
    verified_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["participant", "method"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "method", "identity_hash"],
                condition=Q(revoked_at__isnull=True) & ~Q(identity_hash=""),
                name="verification_identity_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} ({self.participant_id})"


def valid_verifications(*, now=None) -> Q:
    """The filter for verifications in force at ``now``."""
    now = now or timezone.now()
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
