"""Directories of representatives, campaigns that interpellate them, messages and stances.

A directory belongs to an organisation and is filled by an import (``services.importing``);
a campaign is a module instance that names one directory, its proposals and a message
template. Messages append one row per sender, representative and campaign under a unique
constraint; counts are aggregated when read, never kept on a shared row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import ScopedManager
from parlons.lib.i18n import TranslatedField


class Source(models.TextChoices):
    FRENCH_DEPUTIES = "fr-deputies", _("French deputies (Datan, INSEE and La Poste tables)")
    UK_MPS = "uk-mps", _("UK MPs (mp-lookup CSV)")
    MEPS = "meps", _("Members of the European Parliament (CSV, with regions)")
    POPOLO = "popolo", _("Popolo JSON")
    CSV = "csv", _("CSV with a column mapping")


class Directory(models.Model):
    """A list of representatives an organisation keeps, re-imported in place."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=150)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    imported_at = models.DateTimeField(_("last import"), null=True, blank=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("directory of representatives")
        verbose_name_plural = _("directories of representatives")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="interp_directory_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Constituency(models.Model):
    """A constituency, region or country that representatives of a directory are elected for."""

    directory = models.ForeignKey(Directory, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, default="constituency")

    tenant_path = "directory__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        constraints = [
            models.UniqueConstraint(fields=["directory", "code"], name="interp_constituency_code")
        ]

    def __str__(self) -> str:
        return self.name


class Representative(models.Model):
    """An elected person. Kept when a re-import no longer lists them (``left_at``), so that
    their messages and stances stay."""

    directory = models.ForeignKey(Directory, on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(_("identifier"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    group = models.CharField(_("group"), max_length=200, blank=True)
    group_abbreviation = models.CharField(max_length=40, blank=True)
    party = models.CharField(_("party"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(max_length=80, blank=True)
    image = models.CharField(max_length=500, blank=True)
    website = models.CharField(max_length=500, blank=True)
    identifiers = models.JSONField(default=list, blank=True)
    constituencies = models.ManyToManyField(Constituency, blank=True, related_name="+")
    # The constituency codes in the source's order, to diff a re-import exactly.
    area_codes = models.JSONField(default=list, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    tenant_path = "directory__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["family_name", "name", "pk"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["directory", "external_id"], name="interp_representative_id"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PostcodeCommune(models.Model):
    """One commune a postcode serves, with its constituency codes (France)."""

    directory = models.ForeignKey(Directory, on_delete=models.CASCADE, related_name="+")
    postcode = models.CharField(max_length=10)
    commune_code = models.CharField(max_length=10)
    commune_name = models.CharField(max_length=100)
    area_codes = models.JSONField(default=list)
    exact = models.BooleanField(default=True)

    tenant_path = "directory__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["postcode", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["directory", "postcode", "commune_code"], name="interp_postcode_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.postcode} {self.commune_code}"


class Campaign(models.Model):
    """The interpellation a module instance runs: a directory and a message template."""

    instance = models.OneToOneField(
        ModuleInstance, on_delete=models.CASCADE, related_name="interpellation"
    )
    directory = models.ForeignKey(
        Directory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    introduction = TranslatedField(_("introduction (Markdown)"), blank=True)
    subject = TranslatedField(_("subject of the message"), blank=True)
    template = TranslatedField(_("message template"), blank=True)

    tenant_path = "instance__process__organisation"
    objects = ScopedManager()

    def __str__(self) -> str:
        return f"campaign of {self.instance_id}"


class Proposal(models.Model):
    """One of the proposals representatives are asked to take a stance on."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    title = TranslatedField(_("title"))
    text = TranslatedField(_("text (Markdown)"), blank=True)
    position = models.PositiveIntegerField(default=0)

    tenant_path = "instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"proposal {self.pk}"


class Message(models.Model):
    """A participant's message to one representative in one campaign.

    ``sender_key`` is the sender's normalised e-mail: one message per sender,
    representative and campaign. A guest's message waits for the confirmation of their
    e-mail address (``confirmed_at``) before it is sent.
    """

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="messages"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guest = models.ForeignKey(
        "participants.Guest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_key = models.CharField(max_length=254)
    sender_name = models.CharField(_("name"), max_length=120)
    sender_email = models.EmailField(_("e-mail"))
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    followup_at = models.DateTimeField(null=True, blank=True)
    replied = models.CharField(max_length=8, blank=True)  # "", "yes", "no" (follow-up answer)
    reply_text = models.TextField(blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    tenant_path = "instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "representative", "sender_key"], name="interp_message_once"
            )
        ]
        indexes = [
            models.Index(fields=["instance", "representative", "sent_at"], name="interp_sent"),
            models.Index(fields=["sent_at", "followup_at"], name="interp_followup"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Position(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    OPPOSES = "opposes", _("Opposes")
    UNDECIDED = "undecided", _("Undecided")
    NO_ANSWER = "no_answer", _("No answer")


class Stance(models.Model):
    """Where a representative stands on a proposal, from a reply (staff) or in their own
    words (their personal link). No row means no answer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stances")
    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="stances"
    )
    position = models.CharField(
        _("stance"), max_length=12, choices=Position.choices, default=Position.NO_ANSWER
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    stated_on = models.DateField(_("date"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    by_representative = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "proposal__instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "representative"], name="interp_stance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id}:{self.proposal_id}:{self.position}"
