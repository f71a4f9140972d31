"""Opinion maps: statements submitted, seeded and moderated; votes one at a time."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parlons.contributions.permissions import HIDDEN
from parlons.contributions.services import screen_text
from parlons.contributions.services.supports import lock_person
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.permissions import Decision, Refused, ensure
from parlons.core.processes.models import ModuleInstance
from parlons.modules.debates.models import (
    Kind,
    MapState,
    Reaction,
    Statement,
    StatementVote,
    StatementVoteHistory,
    Voter,
)
from parlons.modules.debates.services.common import choice, ensure_kind
from parlons.modules.debates.settings import setting

ATTEMPTS = 50  # numbers taken by concurrent first votes: take the next one
NOT_SHOWN = gettext_lazy("This statement is not open to votes.")


def _next(model: type, instance: ModuleInstance) -> int:
    top = model.objects.filter(instance=instance).aggregate(top=Max("number"))["top"]
    return 0 if top is None else top + 1


def voter_of(*, instance: ModuleInstance, person: Any, create: bool = True) -> Voter | None:
    """The person's number in this map (made on their first vote or statement)."""
    found = Voter.objects.filter(instance=instance, participant=person).first()
    if found is not None or not create:
        return found
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return Voter.objects.create(
                    instance=instance, participant=person, number=_next(Voter, instance)
                )
        except IntegrityError:
            found = Voter.objects.filter(instance=instance, participant=person).first()
            if found is not None:
                return found
    raise ValidationError(_("Please try again."), code="busy")


def check_statement_text(*, instance: ModuleInstance, body: str) -> str:
    """The statement's text, within the instance's length limit."""
    most = int(setting(instance, "statement_max_length"))
    text = clean_text(body, max_length=10**6, min_length=3)
    if len(text) > most:
        raise ValidationError(
            ngettext(
                "A statement has %(count)d character at most (this one has %(length)d).",
                "A statement has %(count)d characters at most (this one has %(length)d).",
                most,
            )
            % {"count": most, "length": len(text)},
            code="max_length",
        )
    if "\n" in text:
        raise ValidationError(_("A statement is one sentence, on one line."), code="lines")
    return text


def _create(*, instance: ModuleInstance, body: str, **fields: Any) -> Statement:
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                number = _next(Statement, instance)
                return Statement.objects.create(
                    instance=instance, number=number, position=number, body=body, **fields
                )
        except IntegrityError:
            continue
    raise ValidationError(_("Please try again."), code="busy")


@transaction.atomic
def do_submit_statement(*, person: Any, instance: ModuleInstance, body: str) -> Statement:
    """A participant submits a statement (``submit`` open); it waits for a moderator
    when the instance says so, or when the word filter found spam."""
    lock_person(person)
    ensure_kind(instance, Kind.MAP)
    ensure(person=person, capability="submit", instance=instance)
    text = check_statement_text(instance=instance, body=body)
    spam = screen_text(organisation=instance.process.organisation, texts=[text])
    waits = bool(setting(instance, "premoderate_statements")) or bool(spam)
    statement = _create(
        instance=instance,
        body=text,
        author=person,
        voter=voter_of(instance=instance, person=person),
        status=Statement.Status.PENDING if waits else Statement.Status.ACCEPTED,
    )
    log_action(actor=person, code="debates.statement.submitted", target=statement)
    return statement


@transaction.atomic
def do_seed_statement(*, actor: Any, instance: ModuleInstance, body: str) -> Statement:
    """The organisers add a statement, accepted at once."""
    ensure_kind(instance, Kind.MAP)
    text = check_statement_text(instance=instance, body=body)
    statement = _create(
        instance=instance, body=text, author=actor, seeded=True, status=Statement.Status.ACCEPTED
    )
    log_action(actor=actor, code="debates.statement.submitted", target=statement)
    return statement


@transaction.atomic
def do_moderate_statement(*, actor: Any, statement: Statement, accept: bool) -> Statement:
    """Accept or reject a statement; a rejected one leaves the map (Polis ``mod-out``)."""
    statement.status = Statement.Status.ACCEPTED if accept else Statement.Status.REJECTED
    statement.save(update_fields=["status"])
    MapState.objects.filter(instance=statement.instance_id).update(computed_at=None)
    log_action(
        actor=actor,
        code="debates.statement.moderated",
        target=statement,
        data={"status": statement.status},
    )
    return statement


def check_vote_statement(*, person: Any, statement: Statement, value: Any) -> tuple[int, Voter]:
    """May ``person`` vote ``value`` (1 agree, -1 disagree, 0 pass) on ``statement``?
    Only accepted statements not hidden by moderation take votes; the same vote twice is
    refused."""
    lock_person(person)
    instance = statement.instance
    ensure_kind(instance, Kind.MAP)
    ensure(person=person, capability="vote", instance=instance)
    if statement.hidden_at is not None:
        raise Refused(Decision(False, "hidden", HIDDEN))
    if statement.status != Statement.Status.ACCEPTED:
        raise Refused(Decision(False, "not_allowed", NOT_SHOWN))
    value = choice(value, tuple(Reaction.values), _("Choose agree, disagree or pass."))
    voter = voter_of(instance=instance, person=person)
    mine = StatementVote.objects.filter(statement=statement, voter=voter).first()
    if mine is not None and mine.value == value:
        raise ValidationError(_("You already voted this on this statement."), code="duplicate")
    return value, voter


@transaction.atomic
def do_vote_statement(*, person: Any, statement: Statement, value: Any) -> StatementVote:
    """Vote on a statement or change one's vote; the replaced vote goes to the history.
    The map is refreshed by the periodic task (``tasks.refresh_maps``)."""
    value, voter = check_vote_statement(person=person, statement=statement, value=value)
    now = timezone.now()
    stamp = int(now.timestamp() * 1000)
    vote = StatementVote.objects.filter(statement=statement, voter=voter).first()
    if vote is None:
        try:
            with transaction.atomic():
                vote = StatementVote.objects.create(
                    instance=statement.instance,
                    statement=statement,
                    voter=voter,
                    value=value,
                    timestamp=stamp,
                    changed_at=now,
                )
        except IntegrityError:
            raise ValidationError(
                _("You already voted this on this statement."), code="duplicate"
            ) from None
    else:
        StatementVoteHistory.objects.create(
            instance=statement.instance,
            statement=statement,
            voter=voter,
            value=vote.value,
            timestamp=vote.timestamp,
            source_datetime=vote.source_datetime,
            row=vote.row,
        )
        vote.value, vote.timestamp, vote.changed_at, vote.row = value, stamp, now, None
        vote.source_datetime = ""
        vote.save(update_fields=["value", "timestamp", "changed_at", "row", "source_datetime"])
    log_action(actor=person, code="debates.statement.voted", target=statement)
    return vote
