"""What participants add to a module's objects, and what moderators and organisers decide.

Every row names its object by ``target_type`` (the model label, ``"ideas.idea"``) and
``target_id``, and the module instance the object belongs to (``instance``), through
which it is owned by an organisation (tenancy) and ruled by the instance's phases.
Counts are never incremented inside a request: supports and comments append rows, each
write appends a :class:`PendingCount`, and the periodic task of :mod:`.counts` recounts
the objects named there in batches (see ``docs/modules/contributions.md``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import ScopedManager
from parlons.lib.i18n import TranslatedField

INSTANCE_PATH = "instance__process__organisation"


class ContributionTarget(models.Model):
    """The fields a target model inherits: counts kept by the batch count, moderation.

    ``support_offset``/``oppose_offset`` hold reactions counted elsewhere (the platform
    an object was imported from); the batch count adds them to the rows counted here.
    """

    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    oppose_count = models.PositiveIntegerField(_("reactions against"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    support_offset = models.PositiveIntegerField(default=0, editable=False)
    oppose_offset = models.PositiveIntegerField(default=0, editable=False)
    hidden_at = models.DateTimeField(_("hidden by moderation"), null=True, blank=True)

    class Meta:
        abstract = True


class TargetRow(models.Model):
    """The columns that name an object of a target model inside a module instance."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=80)
    target_id = models.PositiveBigIntegerField()

    tenant_path = INSTANCE_PATH
    objects = ScopedManager()

    class Meta:
        abstract = True


class Alignment(models.IntegerChoices):
    AGAINST = -1, _("against")
    NEUTRAL = 0, _("neutral")
    FOR = 1, _("in favour")


class Comment(TargetRow, ContributionTarget):
    """A comment on an object, or a reply to a comment (``parent``; ``root`` is the
    top-level comment of the thread).  Deleting is soft: the thread keeps its shape."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    alignment = models.SmallIntegerField(
        _("position"), choices=Alignment.choices, null=True, blank=True
    )
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(max_length=80, blank=True)
    external_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "root", "created_at"], name="comment_thread"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "origin", "external_id"],
                condition=~Q(external_id=""),
                name="comment_imported_once",
            )
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.target_type}#{self.target_id}"

    @property
    def visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class CommentVersion(models.Model):
    """The text a comment had before an edit (the visible edit history)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField()
    alignment = models.SmallIntegerField(null=True, blank=True)
    written_at = models.DateTimeField()

    tenant_path = "comment__" + INSTANCE_PATH
    objects = ScopedManager()

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"version of comment {self.comment_id}"


class Support(TargetRow):
    """One participant's support (+1) or reaction against (-1) of one object."""

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.SmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["instance", "participant"], name="support_by_participant")]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "participant"], name="support_once"
            ),
            models.CheckConstraint(condition=Q(value__in=(1, -1)), name="support_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on {self.target_type}#{self.target_id}"


class PendingCount(models.Model):
    """An object whose counts changed: appended by writes, consumed by the batch count.

    Holds nothing personal and belongs to no organisation: an internal queue.
    """

    target_type = models.CharField(max_length=80)
    target_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"recount {self.target_type}#{self.target_id}"


def attachment_path(attachment: Attachment, filename: str) -> str:
    """A random name: the participant's file name never reaches the disk or the URL."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"contributions/{attachment.instance_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(TargetRow):
    """An image (re-encoded: resized, metadata stripped) or a PDF document."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        DOCUMENT = "document", _("document")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    title = models.CharField(_("description"), max_length=200, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="attachment_target")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.target_type}#{self.target_id}"


class Location(TargetRow):
    """Where an object is: a point and/or an address, and the area it falls in."""

    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    area = models.ForeignKey(
        "processes.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="location_once")
        ]

    def __str__(self) -> str:
        return self.address or f"{self.latitude},{self.longitude}"

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Insulting, hateful or offensive")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_DATA = "personal_data", _("Reveals someone's personal data")
    OTHER = "other", _("Another reason")


class Report(TargetRow):
    """A participant's report (flag) of an object, or the filter's (``reporter`` empty,
    ``automatic`` true).  Resolved by a moderator's decision."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="report_target"),
            models.Index(fields=["instance", "resolved_at"], name="report_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "reporter"],
                condition=Q(reporter__isnull=False),
                name="report_once",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.reason} on {self.target_type}#{self.target_id}"


class Answer(TargetRow):
    """The organisers' official answer to an object: a status and a public explanation."""

    status = models.CharField(_("status"), max_length=32)
    explanation = TranslatedField(_("explanation"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.status} for {self.target_type}#{self.target_id}"


class WordList(models.Model):
    """An organisation's own list of words, replacing the built-in one for a language.

    ``spam`` words send a contribution to the moderators before it shows; ``profanity``
    words refuse it with a message asking the author to rephrase.
    """

    class Kind(models.TextChoices):
        SPAM = "spam", _("spam")
        PROFANITY = "profanity", _("profanity")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    words = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language", "kind"], name="word_list_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} words ({self.language})"


class Block(models.Model):
    """A participant may not contribute in an organisation until the block is lifted."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message to the participant"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_path = "organisation"
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "participant"],
                condition=Q(lifted_at__isnull=True),
                name="block_active_once",
            )
        ]

    def __str__(self) -> str:
        return f"block of {self.participant_id}"
