"""Budgets, projects, ballots and the follow-up of funded projects.

Voters' identities are kept apart from what they chose: :class:`VoterMark` says that a
participant voted on a budget (it makes "one ballot per participant" a unique
constraint), :class:`Ballot` holds the choices under a random id and no participant.
A ballot is found again for editing by ``lookup``, a keyed hash (HMAC with the server's
secret key) of the budget and the participant: the database alone does not link a
ballot to a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parlons.contributions.models import ContributionTarget
from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import ScopedManager
from parlons.lib.i18n import TranslatedField

INSTANCE_PATH = "instance__process__organisation"
BUDGET_PATH = "budget__instance__process__organisation"


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose between a minimum and a maximum of projects")
    KNAPSACK = "knapsack", _("Knapsack: choose projects whose total cost fits the budget")
    CUMULATIVE = "cumulative", _("Cumulative: share points between projects")
    RANKING = "ranking", _("Ranking: rank your favourite projects")


class Rule(models.TextChoices):
    GREEDY = "greedy", _("Greedy: the most supported projects first, while money is left")
    MES = "mes", _("Method of Equal Shares")
    MES_GREEDY = "mes+greedy", _("Method of Equal Shares, completed by greedy")
    MES_ADD1 = "mes-add1", _("Method of Equal Shares with add-one completion")
    MES_ADD1_GREEDY = "mes-add1+greedy", _("Equal Shares with add-one, then greedy")
    MES_ADD1_INTEGRAL = "mes-add1-integral", _("Equal Shares as on equalshares.net (Add1u)")
    PHRAGMEN = "phragmen", _("Sequential Phragmén")


class Budget(models.Model):
    """One budget of a module instance (a district, or city-wide): its amount, who may
    vote (an area, on top of the instance's verifications), its ballot and its rule."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("address"), max_length=60)
    title = TranslatedField(_("title"))
    amount = models.PositiveBigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=8, default="EUR")
    area = models.ForeignKey(
        "processes.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voters resident of"),
    )
    ballot_type = models.CharField(
        _("ballot"), max_length=16, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    min_choices = models.PositiveIntegerField(_("minimum number of projects"), default=1)
    max_choices = models.PositiveIntegerField(
        _("maximum number of projects"), null=True, blank=True
    )
    max_cost = models.PositiveBigIntegerField(_("maximum total cost"), null=True, blank=True)
    points = models.PositiveIntegerField(_("points to share"), default=10)
    max_points_per_project = models.PositiveIntegerField(
        _("maximum points on one project"), null=True, blank=True
    )
    rule = models.CharField(_("rule"), max_length=24, choices=Rule.choices, default=Rule.MES)
    position = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    past = models.BooleanField(_("imported past budget"), default=False)
    results = models.JSONField(default=dict, blank=True, editable=False)
    published_pb = models.TextField(blank=True, editable=False)
    published_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    tenant_path = INSTANCE_PATH
    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["instance", "slug"], name="budget_slug_unique")
        ]

    def __str__(self) -> str:
        return self.slug


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    FEASIBLE = "feasible", _("Feasible: on the ballot")
    INFEASIBLE = "infeasible", _("Not feasible")
    MERGED = "merged", _("Merged into another project")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FollowUp(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STUDY = "study", _("Under study")
    WORKS = "works", _("Works in progress")
    DONE = "done", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Project(ContributionTarget):
    """A project proposed for a budget: estimated cost, area, category; evaluated
    (status, revised cost, public justification); followed up once funded."""

    instance = models.ForeignKey(ModuleInstance, on_delete=models.CASCADE, related_name="+")
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("description"))
    cost = models.PositiveBigIntegerField(_("estimated cost"))
    category = models.CharField(_("category"), max_length=80, blank=True)
    area = models.ForeignKey(
        "processes.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    revised_cost = models.PositiveBigIntegerField(_("revised cost"), null=True, blank=True)
    justification = models.TextField(_("public justification"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    external_id = models.CharField(max_length=64, blank=True)
    selected = models.BooleanField(_("funded"), default=False)
    followup = models.CharField(
        _("follow-up status"), max_length=16, choices=FollowUp.choices, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    spent = models.PositiveBigIntegerField(_("spent so far"), default=0)
    followup_note = models.TextField(_("news of the project"), blank=True)

    tenant_path = INSTANCE_PATH
    objects = ScopedManager()

    class Meta:
        ordering = ["budget", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress"),
            models.UniqueConstraint(
                fields=["budget", "external_id"],
                condition=~Q(external_id=""),
                name="project_imported_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def final_cost(self) -> int:
        """The cost the ballot and the rule use: the revised one when evaluators gave it."""
        return self.revised_cost if self.revised_cost is not None else self.cost


class Milestone(models.Model):
    """A dated step of a funded project (study, works, opening)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=150)
    due = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)

    tenant_path = "project__instance__process__organisation"
    objects = ScopedManager()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


class VoterMark(models.Model):
    """That someone voted on a budget: a participant online, or a paper sheet entered by a
    mediator (``paper_reference``, the sheet's number). No link to the ballot."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paper_reference = models.CharField(max_length=40, blank=True)
    voted_at = models.DateTimeField(default=timezone.now)

    tenant_path = BUDGET_PATH
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "participant"],
                condition=Q(participant__isnull=False),
                name="budget_one_vote_per_participant",
            ),
            models.UniqueConstraint(
                fields=["budget", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="budget_one_vote_per_paper_sheet",
            ),
        ]

    def __str__(self) -> str:
        return f"voted on {self.budget_id}"


class Ballot(models.Model):
    """What one voter chose: ``choices`` is a list of ``[project id, points]`` (points 1
    for approval and knapsack; ranking in order). No participant, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    lookup = models.CharField(max_length=64, blank=True)
    choices = models.JSONField(default=list)
    receipt_hash = models.CharField(max_length=64)
    paper = models.BooleanField(default=False)

    tenant_path = BUDGET_PATH
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "lookup"], condition=~Q(lookup=""), name="ballot_lookup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"
