"""Petitions, their signatures (append-only), updates and bulk invalidations.

Signing appends a :class:`Signature` under a unique constraint (one per normalised
e-mail per petition); the public count on :class:`Petition` is written only by the
periodic count task, never incremented in a request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import ScopedManager

TITLE_MAX = 120
ASK_MAX = 300
TEXT_MAX = 20_000
COMMENT_MAX = 500
NAME_MAX = 100
POSTCODE_MAX = 12


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Mail(models.IntegerChoices):
    """Which e-mail the mail task still owes a signer (0: none)."""

    NONE = 0, "none"
    CONFIRM = 1, "confirm"
    ALREADY = 2, "already signed"


class Petition(models.Model):
    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="petitions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    ask = models.CharField(_("the ask"), max_length=ASK_MAX)
    text = models.TextField(_("text (Markdown)"), max_length=TEXT_MAX, blank=True)
    target = models.CharField(_("decision-maker targeted"), max_length=200, blank=True)
    goal = models.PositiveIntegerField(_("goal (signatures)"), default=0)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    image = models.ImageField(_("image"), upload_to="petitions/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    # [{"count": 10000, "text": "the council must answer"}, ...], ascending counts
    thresholds = models.JSONField(_("thresholds"), default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(_("the target's response"), blank=True)
    response_at = models.DateTimeField(null=True, blank=True)
    # written by the count task only
    signature_count = models.PositiveIntegerField(default=0)
    counts_by_area = models.JSONField(default=dict, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)

    tenant_path = "instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Signature(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # normalised (stripped, lower case); NULL once anonymised
    email = models.EmailField(null=True, blank=True)
    name = models.CharField(max_length=NAME_MAX, blank=True)
    postcode = models.CharField(max_length=POSTCODE_MAX, blank=True)
    consent = models.BooleanField(default=False)
    comment = models.CharField(max_length=COMMENT_MAX, blank=True)
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    mail_due = models.PositiveSmallIntegerField(choices=Mail.choices, default=Mail.CONFIRM)
    suspicious = models.CharField(max_length=40, blank=True)  # the reason, empty if none
    invalidated_at = models.DateTimeField(null=True, blank=True)
    invalidation = models.ForeignKey(
        "Invalidation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    tenant_path = "petition__instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "email"], name="petitions_one_per_email")
        ]
        indexes = [
            models.Index(
                fields=["petition", "postcode"],
                name="petitions_counted",
                condition=Q(confirmed_at__isnull=False, suspicious="", invalidated_at__isnull=True),
            ),
            models.Index(
                fields=["mail_due"], name="petitions_mail_due", condition=Q(mail_due__gt=0)
            ),
            models.Index(fields=["petition", "created_at"], name="petitions_sig_time"),
        ]

    def __str__(self) -> str:
        return f"signature {self.pk}"


class Update(models.Model):
    """News from the owner, or the target's response, e-mailed to consenting signers."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("update")
        RESPONSE = "response", _("response of the target")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text (Markdown)"), max_length=TEXT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(null=True, blank=True)  # set once e-mailed

    tenant_path = "petition__instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Invalidation(models.Model):
    """A bulk invalidation by staff: what it matched, who did it, how many it removed."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="invalidations")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    domain = models.CharField(max_length=200, blank=True)
    network = models.CharField(max_length=64, blank=True)  # CIDR
    since = models.DateTimeField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200)
    matched = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "petition__instance__process__organisation"
    objects = ScopedManager()

    def __str__(self) -> str:
        return f"invalidation {self.pk}"
