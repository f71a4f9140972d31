"""Official answers: a status from the target's list and a public explanation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.contributions.audit import code
from parlons.contributions.models import Answer
from parlons.contributions.permissions import ensure_action
from parlons.contributions.targets import Target, targets
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action


def check_answer(
    *, person: Any, obj: Any, status: str, explanation: dict[str, str] | None
) -> tuple[Target, dict[str, str]]:
    """May ``person`` (an evaluator or an administrator) answer ``obj`` with this status?"""
    target = targets.of(obj)
    ensure_action(person=person, action="answer", obj=obj, target=target)
    if status not in dict(target.statuses):
        raise ValidationError(_("Choose one of the statuses offered."), code="status")
    texts = {}
    for language, text in (explanation or {}).items():
        if text and text.strip():
            texts[language] = clean_text(text, max_length=5000)
    return target, texts


def _write(*, person: Any, obj: Any, target: Target, status: str, texts: dict) -> Answer:
    answer, _created = Answer.objects.update_or_create(
        target_type=target.label,
        target_id=obj.pk,
        defaults={
            "instance": target.instance_of(obj),
            "status": status,
            "explanation": texts,
            "answered_by": person,
            "answered_at": timezone.now(),
        },
    )
    if target.on_answered is not None:
        target.on_answered(obj=obj, answer=answer)
    log_action(
        actor=person, code=code(target.module, "answer.given"), target=obj, data={"status": status}
    )
    return answer


def _notify(answer: Answer) -> None:
    from parlons.contributions.tasks import notify_answer

    transaction.on_commit(lambda: notify_answer.enqueue(answer_id=answer.pk))


@transaction.atomic
def do_answer(
    *,
    person: Any,
    obj: Any,
    status: str,
    explanation: dict[str, str] | None = None,
    notify: bool = True,
) -> Answer:
    """Give or change the official answer; the author and the supporters get an e-mail."""
    target, texts = check_answer(person=person, obj=obj, status=status, explanation=explanation)
    answer = _write(person=person, obj=obj, target=target, status=status, texts=texts)
    if notify:
        _notify(answer)
    return answer


@transaction.atomic
def do_bulk_answer(
    *,
    person: Any,
    objs: Iterable[Any],
    status: str,
    explanation: dict[str, str] | None = None,
    notify: bool = True,
) -> list[Answer]:
    """The same answer for several objects (an evaluators' bulk status change)."""
    answers = []
    for obj in objs:
        target, texts = check_answer(person=person, obj=obj, status=status, explanation=explanation)
        answers.append(_write(person=person, obj=obj, target=target, status=status, texts=texts))
    if notify:
        for answer in answers:
            _notify(answer)
    return answers
