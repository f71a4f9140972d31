"""A question debated for and against: the organisers' questions, participants' positions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.contributions.permissions import HIDDEN
from parlons.contributions.services.supports import lock_person
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.permissions import Decision, Refused, ensure
from parlons.core.processes.models import ModuleInstance
from parlons.modules.debates.models import Kind, Position, PositionChange, Question, Stance
from parlons.modules.debates.services.common import choice, ensure_kind


@transaction.atomic
def do_save_question(
    *,
    actor: Any,
    instance: ModuleInstance,
    title: str,
    body: str = "",
    question: Question | None = None,
) -> Question:
    """Create or change a debated question (organisers)."""
    ensure_kind(instance, Kind.QUESTION)
    errors = {}
    try:
        title = clean_text(title, max_length=300, min_length=5)
    except ValidationError as error:
        errors["title"] = error.messages
    try:
        body = clean_text(body, max_length=20000, min_length=0)
    except ValidationError as error:
        errors["body"] = error.messages
    if errors:
        raise ValidationError(errors)
    if question is None:
        position = Question.objects.filter(instance=instance).count()
        question = Question(instance=instance, position=position)
    question.title, question.body = title, body
    question.save()
    log_action(actor=actor, code="debates.question.saved", target=question)
    return question


def check_take_position(*, person: Any, question: Question, value: Any) -> int:
    """May ``person`` take this position (1 for, -1 against, 0 undecided) now?"""
    lock_person(person)
    ensure_kind(question.instance, Kind.QUESTION)
    ensure(person=person, capability="vote", instance=question.instance)
    if question.hidden_at is not None:
        raise Refused(Decision(False, "hidden", HIDDEN))
    value = choice(value, tuple(Stance.values), _("Choose for, against or undecided."))
    mine = Position.objects.filter(question=question, participant=person).first()
    if mine is not None and mine.value == value:
        raise ValidationError(_("This is already your position."), code="duplicate")
    return value


@transaction.atomic
def do_take_position(*, person: Any, question: Question, value: Any) -> Position:
    """Take or change one's overall position; the change is kept, without the person,
    for the balance over time."""
    value = check_take_position(person=person, question=question, value=value)
    now = timezone.now()
    mine = Position.objects.filter(question=question, participant=person).first()
    previous = None if mine is None else mine.value
    if mine is None:
        try:
            with transaction.atomic():
                mine = Position.objects.create(
                    instance=question.instance,
                    question=question,
                    participant=person,
                    value=value,
                    changed_at=now,
                )
        except IntegrityError:
            raise ValidationError(_("This is already your position."), code="duplicate") from None
    else:
        mine.value, mine.changed_at = value, now
        mine.save(update_fields=["value", "changed_at"])
    PositionChange.objects.create(
        instance=question.instance, question=question, value=value, previous=previous, at=now
    )
    log_action(actor=person, code="debates.position.taken", target=question)
    return mine
