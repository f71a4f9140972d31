"""Participants: the account model and the verifications a process can require."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parlons.core.tenancy import ScopedManager


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
    notify_replies = models.BooleanField(_("e-mail me when someone replies to me"), default=True)
    notify_updates = models.BooleanField(
        _("e-mail me the news of processes I took part in"), default=False
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
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
        if self.erased_at:
            return str(_("Anonymous participant"))
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
    data = models.JSONField(default=dict, blank=True)
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


class AgeBand(models.TextChoices):
    UNDER_18 = "under-18", _("under 18")
    FROM_18 = "18-29", _("18 to 29")
    FROM_30 = "30-44", _("30 to 44")
    FROM_45 = "45-59", _("45 to 59")
    FROM_60 = "60-74", _("60 to 74")
    FROM_75 = "75+", _("75 and over")


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    OTHER = "other", _("in another way")
    UNSAID = "unsaid", _("prefer not to say")


class Demographics(models.Model):
    """An optional profile, kept only with explicit consent and used only in aggregate."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="demographics"
    )
    consented_at = models.DateTimeField()
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    area_code = models.CharField(_("area"), max_length=40, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"demographics of {self.participant_id}"


class CensusEntry(models.Model):
    """One line of an organisation's census or voter list, kept only as a keyed hash."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    identity_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "identity_hash"], name="census_entry_once"
            )
        ]

    def __str__(self) -> str:
        return self.identity_hash[:12]


class VotingCode(models.Model):
    """A single-use invitation or voting code, stored hashed; printed from its batch."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    code_hash = models.CharField(max_length=64)
    batch = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code_hash"], name="code_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch}:{self.code_hash[:8]}"


class VerificationConflict(models.Model):
    """A second account tried to use an identity already verified for someone else."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    method = models.CharField(max_length=32)
    identity_hash = models.CharField(max_length=128)
    holder = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="+")
    claimant = models.ForeignKey(
        Participant, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    def __str__(self) -> str:
        return f"{self.method} conflict {self.pk}"


class Guest(models.Model):
    """A person taking part without an account (a signer, a respondent), by e-mail."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    process = models.ForeignKey(
        "processes.Process", null=True, blank=True, on_delete=models.SET_NULL
    )
    email = models.EmailField()
    module = models.CharField(max_length=40, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"guest {self.pk}"
