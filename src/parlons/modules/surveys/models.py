"""Questionnaires, responses and free-text answers.

A questionnaire is one JSON definition per module instance (see ``definition.py``). A
response keeps its answers as JSON and as two compact binary rows (``coding.py``) that
results read without decoding the JSON. One response per participant is enforced by a
unique constraint on ``single_key`` ("p:<participant id>" or "g:<guest e-mail>").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import ScopedManager
from parlons.lib.i18n import TranslatedField
from parlons.modules.surveys.definition import empty_definition


class Questionnaire(models.Model):
    instance = models.OneToOneField(
        ModuleInstance, on_delete=models.CASCADE, related_name="questionnaire"
    )
    definition = models.JSONField(default=empty_definition)
    fingerprint = models.CharField(max_length=16, blank=True)
    intro = TranslatedField(_("introduction"), blank=True)
    thanks = TranslatedField(_("thank-you message"), blank=True)
    is_quiz = models.BooleanField(_("quiz"), default=False)
    one_response = models.BooleanField(_("one response per participant"), default=True)
    confirm_guests = models.BooleanField(_("guests confirm by e-mail"), default=False)
    results_published = models.BooleanField(_("results published"), default=False)
    min_cell_size = models.PositiveSmallIntegerField(_("minimum cell size"), default=5)
    margins = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "instance__process__organisation"
    objects = ScopedManager()

    def __str__(self) -> str:
        return f"questionnaire of {self.instance_id}"


class Status(models.TextChoices):
    DRAFT = "draft", _("in progress")
    COMPLETE = "complete", _("complete")


class Origin(models.TextChoices):
    ONLINE = "online", _("online")
    IMPORTED = "imported", _("imported")


class Response(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guest = models.ForeignKey(
        "participants.Guest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    single_key = models.CharField(max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ONLINE)
    import_batch = models.CharField(max_length=40, blank=True)
    confirmed = models.BooleanField(default=True)
    page = models.CharField(max_length=40, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    codes = models.BinaryField(default=b"")
    numbers = models.BinaryField(default=b"")
    fingerprint = models.CharField(max_length=16, blank=True)
    day = models.IntegerField(null=True, blank=True)  # submission date as a proleptic ordinal
    score = models.IntegerField(null=True, blank=True)
    max_score = models.IntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    tenant_path = "questionnaire__instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        indexes = [
            # Covers the stamp query of the results (selectors.response_stamp): counting
            # 100,000 responses reads this index only, never the rows and their JSON.
            models.Index(
                fields=[
                    "questionnaire",
                    "status",
                    "confirmed",
                    "participant",
                    "fingerprint",
                    "submitted_at",
                    "id",  # PostgreSQL indexes do not carry the id by themselves
                ],
                name="survey_response_stamp_ids",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "single_key"],
                condition=~Q(single_key=""),
                name="survey_response_once",
            )
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class ResultsVersion(models.Model):
    """One shard of the version of a questionnaire's results (see ``versions.py``).

    Every write that changes what the results count stores a new random token in one
    shard, in its own transaction; the cached results are valid under the tokens of all
    shards, read by one indexed lookup.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    shard = models.PositiveSmallIntegerField()
    token = models.BigIntegerField()

    tenant_path = "questionnaire__instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "shard"], name="survey_results_version_shard"
            )
        ]

    def __str__(self) -> str:
        return f"results version {self.questionnaire_id}/{self.shard}"


class TextAnswer(models.Model):
    """A free-text answer (or the text of an "other" option), for browsing and search."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="texts")
    question = models.CharField(max_length=60)
    text = models.TextField()

    tenant_path = "questionnaire__instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["questionnaire", "question"])]

    def __str__(self) -> str:
        return f"{self.question}: {self.text[:30]}"
