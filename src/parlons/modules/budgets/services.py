"""Every change to budgets, projects and ballots: ``check_*`` validates and authorises,
``do_*`` calls it inside its transaction, writes and audits."""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.contributions.models import Attachment
from parlons.contributions.services import (
    check_attachments,
    check_location,
    do_attach,
    do_set_location,
)
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.participants.models import Verification, valid_verifications
from parlons.core.permissions import Decision, Refused, decide, ensure, roles_of
from parlons.core.processes.models import ModuleInstance, Opening
from parlons.modules.budgets.ballots import Choice, check_choices
from parlons.modules.budgets.models import (
    Ballot,
    BallotType,
    Budget,
    FollowUp,
    Milestone,
    Project,
    Rule,
    Status,
    VoterMark,
)

APPROVAL_ONLY_RULES = (Rule.PHRAGMEN, Rule.MES_ADD1_INTEGRAL)
APPROVAL_LIKE = (BallotType.APPROVAL, BallotType.KNAPSACK)
EVALUATORS = ("admin", "evaluator")


def _refuse(message: str) -> Refused:
    return Refused(Decision(False, "not_allowed", message))


# --------------------------------------------------------------------------- budgets


def voting_started(budget: Budget) -> bool:
    """Whether the vote on ``budget`` has begun (a vote phase started, or a ballot exists):
    from then on its ballot and its rule, published in advance, no longer change."""
    if budget.closed_at or VoterMark.objects.filter(budget=budget).exists():
        return True
    return Opening.objects.filter(
        instance_id=budget.instance_id, capability="vote", phase__starts_at__lte=timezone.now()
    ).exists()


LOCKED_FIELDS = (
    "amount",
    "ballot_type",
    "min_choices",
    "max_choices",
    "max_cost",
    "points",
    "max_points_per_project",
    "rule",
    "area",
)


def check_save_budget(*, budget: Budget, before: Budget | None) -> None:
    """A budget's settings are coherent, and its ballot and rule are unchanged once the
    vote began."""
    if budget.ballot_type not in APPROVAL_LIKE and budget.rule in APPROVAL_ONLY_RULES:
        raise ValidationError(
            {"rule": _("This rule counts approval ballots only: choose another rule.")}
        )
    if budget.ballot_type == BallotType.CUMULATIVE and not budget.points:
        raise ValidationError({"points": _("Give the voters at least one point.")})
    if budget.max_choices is not None and budget.max_choices < budget.min_choices:
        raise ValidationError(
            {"max_choices": _("The maximum is smaller than the minimum number of projects.")}
        )
    if budget.ballot_type == BallotType.RANKING and not budget.max_choices:
        raise ValidationError({"max_choices": _("Say how many projects a voter ranks.")})
    if before is not None and voting_started(before):
        changed = [f for f in LOCKED_FIELDS if getattr(before, f) != getattr(budget, f)]
        if changed:
            raise ValidationError(
                _("The vote has begun: the ballot and the rule, published in advance, are fixed.")
            )


@transaction.atomic
def do_save_budget(*, actor: Any, instance: ModuleInstance, budget: Budget) -> Budget:
    """Create or change a budget of ``instance`` (``budget`` holds the new values)."""
    before = Budget.objects.filter(pk=budget.pk).first() if budget.pk else None
    budget.instance = instance
    check_save_budget(budget=budget, before=before)
    budget.save()
    log_action(actor=actor, code="budgets.budget.saved", target=budget, data={"rule": budget.rule})
    return budget


# --------------------------------------------------------------------------- projects


@dataclass(frozen=True)
class ProjectInput:
    budget: Budget
    title: str
    body: str
    cost: int
    category: str = ""
    area: Any = None
    latitude: Any = None
    longitude: Any = None
    address: str = ""


def check_submit_project(
    *, person: Any, instance: ModuleInstance, values: ProjectInput, uploads: Sequence[Any] = ()
):
    """May ``person`` propose this project now (phase, verifications, texts, cost, files)?"""
    ensure(person=person, capability="submit", instance=instance)
    errors: dict[str, list[str]] = {}
    if values.budget.instance_id != instance.pk or values.budget.closed_at or values.budget.past:
        errors["budget"] = [_("Choose one of the budgets open to proposals.")]
    for field, low, high in (("title", 5, 150), ("body", 15, 10000)):
        try:
            clean_text(getattr(values, field), min_length=low, max_length=high)
        except ValidationError as error:
            errors[field] = error.messages
    if not 0 < values.cost <= values.budget.amount:
        errors["cost"] = [_("The estimated cost must be above zero and within the budget.")]
    if errors:
        raise ValidationError(errors)
    place = check_location(
        instance=instance,
        latitude=values.latitude,
        longitude=values.longitude,
        address=values.address,
        area=values.area,
    )
    try:
        files = check_attachments(instance=instance, uploads=uploads, title=values.title)
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from None
    return place, files


@transaction.atomic
def do_submit_project(
    *, person: Any, instance: ModuleInstance, values: ProjectInput, uploads: Sequence[Any] = ()
) -> Project:
    """Publish a proposed project with its images and place; evaluators review it next."""
    place, files = check_submit_project(
        person=person, instance=instance, values=values, uploads=uploads
    )
    project = Project.objects.create(
        instance=instance,
        budget=values.budget,
        author=person,
        title=clean_text(values.title, min_length=5, max_length=150),
        body=clean_text(values.body, min_length=15, max_length=10000),
        cost=values.cost,
        category=values.category[:80],
        area=place.area,
    )
    if files:
        do_attach(person=person, obj=project, files=files)
    if not place.empty:
        do_set_location(person=person, obj=project, location=place)
    log_action(actor=person, code="budgets.project.submitted", target=project)
    return project


def _may_evaluate(actor: Any, project: Project) -> None:
    organisation = project.instance.process.organisation
    if not roles_of(person=actor, organisation=organisation) & set(EVALUATORS):
        raise _refuse(_("Only the evaluators and administrators review projects."))


@transaction.atomic
def do_evaluate_project(
    *,
    actor: Any,
    project: Project,
    status: str,
    revised_cost: int | None,
    justification: str,
    merged_into: Project | None = None,
) -> Project:
    """Give a project its review: status, revised cost, the public justification; merging
    a duplicate into another project of the same budget takes it off the ballot."""
    _may_evaluate(actor, project)
    if project.budget.closed_at or VoterMark.objects.filter(budget=project.budget).exists():
        raise ValidationError(_("The vote has begun: the ballot's projects are fixed."))
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    text = clean_text(justification or "", min_length=0, max_length=5000)
    if status in (Status.INFEASIBLE, Status.MERGED) and not text:
        raise ValidationError({"justification": _("Say publicly why.")})
    if status == Status.MERGED:
        if merged_into is None or merged_into.pk == project.pk:
            raise ValidationError({"merged_into": _("Choose the project it is merged into.")})
        if merged_into.budget_id != project.budget_id:
            raise ValidationError({"merged_into": _("Merge only projects of the same budget.")})
    if revised_cost is not None and not 0 < revised_cost <= project.budget.amount:
        raise ValidationError(
            {"revised_cost": _("The revised cost must be above zero and within the budget.")}
        )
    project.status, project.revised_cost, project.justification = status, revised_cost, text
    project.merged_into = merged_into if status == Status.MERGED else None
    project.save(update_fields=["status", "revised_cost", "justification", "merged_into"])
    log_action(
        actor=actor,
        code="budgets.project.evaluated",
        target=project,
        data={"status": status, "revised_cost": revised_cost},
    )
    return project


# --------------------------------------------------------------------------- ballots


def ballot_projects(budget: Budget) -> dict[int, Project]:
    """The projects on the ballot of ``budget``, by id (``budget`` was read in scope, so
    its projects are the organisation's: no need to join up to it again)."""
    feasible = Project._base_manager.filter(budget_id=budget.pk, status=Status.FEASIBLE)
    return {p.pk: p for p in feasible}


def voter_lookup(*, budget: Budget, person: Any) -> str:
    """A keyed hash of (budget, participant): finds the voter's ballot again for editing,
    while the database alone does not link ballots to people."""
    message = f"budgets.ballot:{budget.pk}:{person.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def receipt_hash(code: str) -> str:
    """The hash of a receipt code that the published ballots carry."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def new_receipt() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _n in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def eligibility(*, person: Any, budget: Budget) -> Decision:
    """The kernel's question for ``vote``, then this budget's own: open, and the voter
    resident of its area when it has one."""
    decision = decide(person=person, capability="vote", instance=budget.instance)
    if not decision:
        return decision
    if budget.closed_at or budget.past:
        return Decision(False, "phase_closed", _("The vote on this budget is closed."))
    if budget.area_id and not (
        Verification.objects.filter(
            valid_verifications(now=timezone.now()), participant=person, area_id=budget.area_id
        ).exists()
    ):
        return Decision(
            False,
            "verification_required",
            _("This budget is voted on by the residents of its area only."),
        )
    return decision


def _share_lock(budget: Budget) -> Budget:
    """Lock ``budget``'s row for share and re-read whether it is closed, in one statement:
    voters do not wait for each other, but the close (which locks the row for update)
    waits for the ballots being cast, and they for it, so no ballot slips in after the
    count.  Only ``closed_at`` and ``past`` are re-read: the ballot's limits and rule are
    fixed from the start of the vote (:func:`check_save_budget`)."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    table = Budget._meta.db_table
    found = list(
        Budget._base_manager.raw(
            f"SELECT id, closed_at, past FROM {table} WHERE id = %s{lock}", [budget.pk]
        )
    )
    if not found:
        raise _refuse(_("The vote on this budget is closed."))
    fresh = copy.copy(budget)
    fresh.closed_at, fresh.past = found[0].closed_at, found[0].past
    return fresh


def check_cast_ballot(*, person: Any, budget: Budget, choices: list[Choice]) -> list[Choice]:
    """May ``person`` cast (or change) this ballot now, within its limits? Call it in the
    transaction that records the ballot: it holds the budget's row for share until then.

    Two submissions of one voter at once need no lock of the person: the first ballot's
    voter mark is unique per budget and person, so the second waits for the first to
    commit, then becomes a change of it (:func:`do_cast_ballot`)."""
    budget = _share_lock(budget)
    decision = eligibility(person=person, budget=budget)
    if not decision:
        raise Refused(decision)
    return check_choices(budget=budget, choices=choices, projects=ballot_projects(budget))


@transaction.atomic
def do_cast_ballot(*, person: Any, budget: Budget, choices: list[Choice]) -> str | None:
    """Record ``person``'s ballot, or replace it until the close. Returns the receipt code
    for a first ballot (shown once), None for a change (the receipt stays the same).

    A first ballot is the common case: it is inserted straight away (voter mark and
    ballot, apart); the mark's unique constraint tells a change, which then updates the
    ballot found through the voter's keyed hash."""
    checked = check_cast_ballot(person=person, budget=budget, choices=choices)
    rows = [[choice.project, choice.points] for choice in checked]
    lookup = voter_lookup(budget=budget, person=person)
    receipt = new_receipt()
    try:
        with transaction.atomic():
            VoterMark(budget=budget, participant=person).save(force_insert=True)
            Ballot(
                budget=budget, lookup=lookup, choices=rows, receipt_hash=receipt_hash(receipt)
            ).save(force_insert=True)
    except IntegrityError:
        mine = Ballot._base_manager.filter(budget_id=budget.pk, lookup=lookup)
        if not mine.update(choices=rows):  # a mark without a ballot: never edited here
            raise ValidationError(_("Your ballot is already recorded."), code="twice") from None
        log_action(actor=person, code="budgets.ballot.changed", target=budget)
        return None
    log_action(actor=person, code="budgets.ballot.cast", target=budget)
    return receipt


def has_voted(*, person: Any, budget: Budget) -> bool:
    return bool(
        getattr(person, "is_authenticated", False)
        and VoterMark.objects.filter(budget=budget, participant=person).exists()
    )


def current_choices(*, person: Any, budget: Budget) -> list[Choice]:
    """The choices of the person's ballot (for editing), found through the keyed hash."""
    ballot = Ballot.objects.filter(
        budget=budget, lookup=voter_lookup(budget=budget, person=person)
    ).first()
    return [Choice(int(pk), int(points)) for pk, points in (ballot.choices if ballot else [])]


@transaction.atomic
def do_enter_paper_ballot(
    *, actor: Any, budget: Budget, choices: list[Choice], reference: str
) -> str:
    """A mediator enters a paper ballot (the sheet's number once per budget): checked
    against the same limits, marked paper, audited. Returns the receipt code."""
    ensure(person=actor, capability="mediate", instance=budget.instance)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.closed_at or budget.past:
        raise _refuse(_("The vote on this budget is closed."))
    reference = clean_text(reference or "", min_length=1, max_length=40)
    checked = check_choices(budget=budget, choices=choices, projects=ballot_projects(budget))
    receipt = new_receipt()
    try:
        with transaction.atomic():
            VoterMark.objects.create(budget=budget, paper_reference=reference)
            Ballot.objects.create(
                budget=budget,
                choices=[[c.project, c.points] for c in checked],
                receipt_hash=receipt_hash(receipt),
                paper=True,
            )
    except IntegrityError:
        raise ValidationError(
            _("The paper ballot %(reference)s is already entered.") % {"reference": reference},
            code="twice",
        ) from None
    log_action(
        actor=actor, code="budgets.ballot.paper_entered", target=budget, data={"sheet": reference}
    )
    return receipt


# --------------------------------------------------------------------------- close, follow-up


@transaction.atomic
def do_close_budget(*, actor: Any, budget: Budget) -> Budget:
    """Close the vote, compute the outcome with the published rule and publish the
    anonymised ballots (a ``.pb`` file and its SHA-256)."""
    from parlons.modules.budgets.results import publish_results

    organisation = budget.instance.process.organisation
    if "admin" not in roles_of(person=actor, organisation=organisation):
        raise _refuse(_("Only the administrators close a vote."))
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.closed_at:
        raise ValidationError(_("This vote is already closed."), code="closed")
    budget.closed_at = timezone.now()
    budget.save(update_fields=["closed_at"])
    publish_results(budget=budget)
    log_action(actor=actor, code="budgets.budget.closed", target=budget)
    return budget


@transaction.atomic
def do_update_followup(
    *,
    actor: Any,
    project: Project,
    followup: str,
    progress: int,
    spent: int,
    note: str,
) -> Project:
    """Report on a funded project: status, progress, money spent, news."""
    _may_evaluate(actor, project)
    if not project.selected:
        raise ValidationError(_("Only funded projects are followed up."))
    if followup not in FollowUp.values:
        raise ValidationError({"followup": _("Choose a status from the list.")})
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("The progress is a percentage, from 0 to 100.")})
    project.followup, project.progress, project.spent = followup, progress, spent
    project.followup_note = clean_text(note or "", min_length=0, max_length=5000)
    project.save(update_fields=["followup", "progress", "spent", "followup_note"])
    log_action(actor=actor, code="budgets.project.followed_up", target=project)
    return project


@transaction.atomic
def do_add_milestone(
    *, actor: Any, project: Project, title: str, due: Any, done: bool
) -> Milestone:
    """Add a dated milestone to a funded project."""
    _may_evaluate(actor, project)
    if not project.selected:
        raise ValidationError(_("Only funded projects are followed up."))
    milestone = Milestone.objects.create(
        project=project, title=clean_text(title, min_length=2, max_length=150), due=due, done=done
    )
    log_action(actor=actor, code="budgets.project.followed_up", target=project)
    return milestone


@transaction.atomic
def do_add_photo(*, actor: Any, project: Project, uploads: Sequence[Any]) -> None:
    """Add photos of the works to a funded project (stored as its attachments)."""
    _may_evaluate(actor, project)
    existing = Attachment.objects.filter(target_type="budgets.project", target_id=project.pk)
    files = check_attachments(
        instance=project.instance, uploads=uploads, existing=existing.count(), title=project.title
    )
    do_attach(person=actor, obj=project, files=files)
    log_action(actor=actor, code="budgets.project.followed_up", target=project)
