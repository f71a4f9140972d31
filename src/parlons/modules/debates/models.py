"""Debates: a text consulted article by article, questions debated for and against, and
opinion maps of short statements (Polis).

One module instance holds one kind (``settings["kind"]``: ``text``, ``question`` or
``map``).  Votes append or update one row per participant and object under a unique
constraint; counts are aggregated on read (offsets hold the counts of an imported past
consultation).  Arguments are the toolkit's comments with a position (for / against).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parlons.contributions.models import ContributionTarget
from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import ScopedManager

TENANT = "instance__process__organisation"
PERSON = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    TEXT = "text", _("Consultation on a text")
    QUESTION = "question", _("Debate on a question")
    MAP = "map", _("Opinion map")


class Choice(models.IntegerChoices):
    """A vote on an article: agree, disagree or mixed."""

    DISAGREE = -1, _("Disagree")
    MIXED = 0, _("Mixed")
    AGREE = 1, _("Agree")


class Stance(models.IntegerChoices):
    """A participant's overall position on a debated question."""

    AGAINST = -1, _("Against")
    UNDECIDED = 0, _("Undecided")
    FOR = 1, _("For")


class Reaction(models.IntegerChoices):
    """A vote on a statement of an opinion map (Polis: agree 1, disagree -1, pass 0)."""

    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")
    AGREE = 1, _("Agree")


VALUES = Q(value__in=(-1, 0, 1))


class Section(models.Model):
    """A part of the consulted text (a chapter, a title)."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveIntegerField(default=0)
    external_id = models.CharField(max_length=64, blank=True)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Article(ContributionTarget):
    """An article of the text (published by the organisers) or a participant's proposal
    of a new article; voted on, amended, argued, sourced and answered."""

    class Type(models.TextChoices):
        ARTICLE = "article", _("Article")
        PROPOSAL = "proposal", _("Proposal")

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.ARTICLE)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    explanation = models.TextField(_("explanation"), blank=True)
    position = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    agree_offset = models.PositiveIntegerField(default=0)
    disagree_offset = models.PositiveIntegerField(default=0)
    mixed_offset = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=80, blank=True)
    external_id = models.CharField(max_length=64, blank=True)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "origin", "external_id"],
                condition=~Q(external_id=""),
                name="debate_article_imported_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVote(models.Model):
    """One participant's vote on one article; changing it updates the row."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    value = models.SmallIntegerField(choices=Choice.choices)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "participant"], name="article_vote_once"),
            models.CheckConstraint(condition=VALUES, name="article_vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on article {self.article_id}"


class Amendment(ContributionTarget):
    """A participant's amended version of an article (its whole new text), shown as a diff
    against the original and voted for or against (the toolkit's supports, ±1)."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("amended text"))
    explanation = models.TextField(_("why this change"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"amendment {self.pk} of article {self.article_id}"


class Source(models.Model):
    """A link with a title that a participant adds to an article."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    author = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    origin = models.CharField(max_length=80, blank=True)
    external_id = models.CharField(max_length=64, blank=True)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(ContributionTarget):
    """A question debated with arguments for and against, and participants' positions."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("question"), max_length=300)
    body = models.TextField(_("context"), blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Position(models.Model):
    """A participant's current position on a question (one row, changeable)."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="positions")
    participant = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    value = models.SmallIntegerField(choices=Stance.choices)
    changed_at = models.DateTimeField(default=timezone.now)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "participant"], name="position_once"),
            models.CheckConstraint(condition=VALUES, name="position_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on question {self.question_id}"


class PositionChange(models.Model):
    """A position taken or changed, without the person: the balance over time replays
    these (``value`` is added, ``previous`` removed)."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="changes")
    value = models.SmallIntegerField()
    previous = models.SmallIntegerField(null=True)
    at = models.DateTimeField(default=timezone.now)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["question", "at"], name="position_change_time")]

    def __str__(self) -> str:
        return f"{self.previous} -> {self.value} on question {self.question_id}"


class Voter(models.Model):
    """A participant of an opinion map under a number (Polis ``pid``): pseudonymous in
    exports; imported participants have no account."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveIntegerField()
    source_group = models.IntegerField(null=True, blank=True)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instance", "number"], name="voter_number_once"),
            models.UniqueConstraint(
                fields=["instance", "participant"],
                condition=Q(participant__isnull=False),
                name="voter_once",
            ),
        ]

    def __str__(self) -> str:
        return f"voter {self.number}"


class Statement(ContributionTarget):
    """A short statement of an opinion map (Polis comment), seeded by the organisers or
    submitted by a participant; moderated (accepted, rejected, or waiting)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voter = models.ForeignKey(Voter, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.TextField(_("statement"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    seeded = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    source_datetime = models.CharField(max_length=64, blank=True)
    source_timestamp = models.BigIntegerField(null=True, blank=True)
    agree_offset = models.IntegerField(default=0)
    disagree_offset = models.IntegerField(default=0)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "number"], name="statement_number_once")
        ]

    def __str__(self) -> str:
        return self.body[:60]


class StatementVote(models.Model):
    """A voter's vote on a statement; the row holds the latest, ``StatementVoteHistory``
    the ones it replaced (Polis ``votes.csv`` keeps every vote cast)."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Reaction.choices)
    timestamp = models.BigIntegerField()  # milliseconds since the epoch, as Polis
    source_datetime = models.CharField(max_length=64, blank=True)
    row = models.PositiveIntegerField(null=True)  # line in an imported votes.csv
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    tenant_path = TENANT
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "voter"], name="statement_vote_once"),
            models.CheckConstraint(condition=VALUES, name="statement_vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on statement {self.statement_id}"


class StatementVoteHistory(models.Model):
    """A vote later replaced by the same voter (kept for the Polis export)."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()
    timestamp = models.BigIntegerField()
    source_datetime = models.CharField(max_length=64, blank=True)
    row = models.PositiveIntegerField(null=True)

    tenant_path = TENANT
    objects = ScopedManager()

    def __str__(self) -> str:
        return f"earlier {self.value:+d} on statement {self.statement_id}"


class MapState(models.Model):
    """The opinion map of an instance: the engine's state (pickled, for incremental
    updates), the last result, what it has seen, and the Polis summary rows."""

    instance = models.OneToOneField(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    state = models.BinaryField(null=True)
    result = models.JSONField(default=dict)
    seen_until = models.DateTimeField(null=True)
    computed_at = models.DateTimeField(null=True)
    summary = models.JSONField(default=list)

    tenant_path = TENANT
    objects = ScopedManager()

    def __str__(self) -> str:
        return f"map of {self.instance_id}"
