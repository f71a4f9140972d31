"""Every change to questionnaires and responses: check, then do.

Bad input raises ``ValidationError`` with messages in the active language and changes
nothing (each ``do_*`` runs in one transaction).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.core.audit.services import log_action
from parlons.core.permissions import Refused, ensure
from parlons.core.processes.models import ModuleInstance
from parlons.modules.surveys.answering import check_answer_value
from parlons.modules.surveys.coding import Layout, encode
from parlons.modules.surveys.definition import (
    OTHER,
    TEXT_TYPES,
    check_definition,
    layout_fingerprint,
    questions_by_key,
    visible_pages,
    visible_questions,
)
from parlons.modules.surveys.models import Questionnaire, Response, Status, TextAnswer
from parlons.modules.surveys.versions import bump_results_version


def already_answered_message() -> str:
    return _("You have already answered this questionnaire: only one response is allowed.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- the questionnaire ------------------------------------------------------------------


@transaction.atomic
def do_save_definition(
    *, questionnaire: Questionnaire, definition: Any, actor: Any
) -> Questionnaire:
    """Validate and store a whole definition; stored answers are re-coded if their slots moved."""
    clean = check_definition(definition)
    fingerprint = layout_fingerprint(clean)
    changed = fingerprint != questionnaire.fingerprint
    questionnaire.definition = clean
    questionnaire.fingerprint = fingerprint
    questionnaire.save(update_fields=["definition", "fingerprint", "updated_at"])
    if changed:
        recode_responses(questionnaire=questionnaire)
    log_action(actor=actor, code="surveys.questionnaire.edited", target=questionnaire.instance)
    return questionnaire


def parse_definition_json(*, text: str) -> Any:
    """A definition from its JSON text (an export of this or another questionnaire)."""
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(_("This file is not valid JSON.")) from None
    if isinstance(document, Mapping) and "definition" in document:
        document = document["definition"]
    return document


def export_definition(*, questionnaire: Questionnaire) -> dict:
    """The JSON document that :func:`parse_definition_json` reads back."""
    return {
        "format": "parlons-questionnaire",
        "version": 1,
        "is_quiz": questionnaire.is_quiz,
        "intro": questionnaire.intro,
        "thanks": questionnaire.thanks,
        "definition": questionnaire.definition,
    }


SETTINGS = ("intro", "thanks", "is_quiz", "one_response", "confirm_guests", "min_cell_size")


@transaction.atomic
def do_save_settings(*, questionnaire: Questionnaire, values: Mapping, actor: Any) -> Questionnaire:
    """Texts around the questionnaire and how it is answered."""
    for name in SETTINGS:
        if name in values:
            setattr(questionnaire, name, values[name])
    if questionnaire.min_cell_size < 1:
        raise ValidationError(_("The minimum cell size is at least 1."))
    questionnaire.save()
    log_action(actor=actor, code="surveys.questionnaire.configured", target=questionnaire.instance)
    return questionnaire


@transaction.atomic
def do_publish_results(*, questionnaire: Questionnaire, published: bool, actor: Any) -> None:
    """Show (or hide) the results on the public site, with small cells suppressed."""
    questionnaire.results_published = published
    questionnaire.save(update_fields=["results_published", "updated_at"])
    code = "surveys.results.published" if published else "surveys.results.withdrawn"
    log_action(actor=actor, code=code, target=questionnaire.instance)


@transaction.atomic
def do_duplicate_questionnaire(
    *, questionnaire: Questionnaire, slug: str, title: dict, actor: Any
) -> ModuleInstance:
    """A new module instance in the same process with a copy of the questionnaire."""
    from parlons.core.processes.services import do_save_instance

    source = questionnaire.instance
    instance = do_save_instance(
        process=source.process,
        actor=actor,
        values={
            "module": "surveys",
            "slug": slug,
            "title": title,
            "settings": dict(source.settings),
            "required_verifications": dict(source.required_verifications),
        },
    )
    copy = Questionnaire.objects.create(
        instance=instance,
        definition=questionnaire.definition,
        fingerprint=questionnaire.fingerprint,
        **{name: getattr(questionnaire, name) for name in SETTINGS},
    )
    log_action(
        actor=actor,
        code="surveys.questionnaire.duplicated",
        target=instance,
        data={"from": source.slug},
    )
    return copy.instance


@transaction.atomic
def do_save_margins(*, questionnaire: Questionnaire, margins: list, actor: Any) -> None:
    """Store the population margins the organiser entered (checked by ``weighting``)."""
    from parlons.modules.surveys.weighting import check_margins

    questionnaire.margins = check_margins(questionnaire=questionnaire, margins=margins)
    questionnaire.save(update_fields=["margins", "updated_at"])
    log_action(actor=actor, code="surveys.margins.saved", target=questionnaire.instance)


def recode_responses(*, questionnaire: Questionnaire, batch: int = 2000) -> int:
    """Re-code the binary rows of every response from its JSON answers (new layout).

    Each batch of rows and a new results version are committed together.
    """
    plan = Layout.of(questionnaire.definition)
    count = 0
    pending = Response.objects.filter(questionnaire=questionnaire).exclude(
        fingerprint=questionnaire.fingerprint
    )
    while True:
        with transaction.atomic():
            done = _recode_batch(questionnaire, plan, pending, batch)
        if not done:
            return count
        count += done


def _recode_batch(questionnaire, plan, pending, batch: int) -> int:
    chunk = list(pending.only("pk", "answers")[:batch])
    if chunk:
        for response in chunk:
            response.codes, response.numbers = encode(plan=plan, answers=response.answers)
            response.fingerprint = questionnaire.fingerprint
        Response.objects.bulk_update(chunk, ["codes", "numbers", "fingerprint"])
        bump_results_version(questionnaire_ids=[questionnaire.pk])
    return len(chunk)


# --- answering --------------------------------------------------------------------------


def check_may_answer(*, instance: ModuleInstance, person: Any) -> None:
    """ValidationError with the decision's message unless the person may answer now."""
    try:
        ensure(person=person, capability="answer", instance=instance)
    except Refused as refused:
        raise ValidationError(str(refused.decision.message), code=refused.decision.reason) from None


def single_key(*, questionnaire: Questionnaire, person: Any, guest_email: str = "") -> str:
    """The key that allows one response per participant (empty: no limit applies)."""
    if not questionnaire.one_response:
        return ""
    if getattr(person, "is_authenticated", False):
        return f"p:{person.pk}"
    if guest_email:
        return "g:" + hashlib.sha256(guest_email.strip().lower().encode()).hexdigest()
    return ""


def check_submission(*, questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict:
    """The answers of the visible questions only, or every problem in the user's language."""
    definition = questionnaire.definition
    kept: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for page in visible_pages(definition, answers):
        for question in visible_questions(page, answers):
            key = question["key"]
            value = answers.get(key)
            if value in (None, "", [], {}):
                if question.get("required"):
                    problems[key] = _("This question is required.")
                continue
            message = check_answer_value(question, value)
            if message:
                problems[key] = message
                continue
            kept[key] = value
            other = answers.get(f"{key}.{OTHER}")
            if other and (value == OTHER or (isinstance(value, list) and OTHER in value)):
                kept[f"{key}.{OTHER}"] = other
    if problems:
        error = ValidationError(
            [
                _("%(question)s: %(problem)s")
                % {"question": _question_name(definition, key), "problem": message}
                for key, message in problems.items()
            ]
        )
        error.by_question = problems
        raise error
    return kept


def _question_name(definition: Mapping, key: str) -> str:
    from parlons.lib.i18n import pick

    question = questions_by_key(definition).get(key)
    return pick(question["text"]) if question else key


def score_of(*, questionnaire: Questionnaire, answers: Mapping[str, Any]) -> tuple[int, int] | None:
    """(points, out of) for a quiz, over the questions the respondent saw."""
    if not questionnaire.is_quiz:
        return None
    points = total = 0
    for page in visible_pages(questionnaire.definition, answers):
        for question in visible_questions(page, answers):
            if "correct" not in question:
                continue
            total += question["points"]
            if is_correct(question=question, value=answers.get(question["key"])):
                points += question["points"]
    return points, total


def is_correct(*, question: Mapping, value: Any) -> bool:
    if value is None:
        return False
    chosen = set(value) if isinstance(value, list) else {value}
    return (
        chosen == set(question["correct"])
        if question["type"] == "multiple"
        else (chosen <= set(question["correct"]))
    )


@transaction.atomic
def do_save_draft(
    *,
    questionnaire: Questionnaire,
    person: Any,
    draft: Response | None,
    answers: Mapping[str, Any],
    page: str,
    language: str,
    files: Mapping[str, Any] | None = None,
) -> tuple[Response, str]:
    """Keep the answers so far to resume later; returns the draft and a guest's resume token."""
    check_may_answer(instance=questionnaire.instance, person=person)
    token = ""
    answers = dict(answers)
    if files:
        _store_files(None, questionnaire, answers, files)
    if draft is None:
        key = single_key(questionnaire=questionnaire, person=person)
        token = secrets.token_urlsafe(18)
        draft = Response(
            questionnaire=questionnaire,
            participant=person if getattr(person, "is_authenticated", False) else None,
            single_key=key,
            token_hash=token_hash(token),
            language=language,
        )
        try:
            with transaction.atomic():
                draft.answers, draft.page = dict(answers), page
                draft.save()
        except IntegrityError:
            raise ValidationError(already_answered_message(), code="once") from None
    else:
        updated = Response.objects.filter(pk=draft.pk, status=Status.DRAFT).update(
            answers=dict(answers), page=page, language=language
        )
        if not updated:
            raise ValidationError(already_answered_message(), code="once")
        draft.answers, draft.page = dict(answers), page
    return draft, token


@transaction.atomic
def do_submit_response(
    *,
    questionnaire: Questionnaire,
    person: Any,
    answers: Mapping[str, Any],
    language: str,
    draft: Response | None = None,
    guest_email: str = "",
    files: Mapping[str, Any] | None = None,
) -> Response:
    """Check every answer, then record the complete response (once where only one is allowed).

    A second response of the same participant, in sequence or in parallel, meets the
    unique constraint (or the conditional update of the draft) and is refused with a
    clear message; nothing of it is saved.
    """
    check_may_answer(instance=questionnaire.instance, person=person)
    kept = check_submission(questionnaire=questionnaire, answers=answers)
    key = single_key(questionnaire=questionnaire, person=person, guest_email=guest_email)
    if (
        key
        and not draft
        and Response.objects.filter(questionnaire=questionnaire, single_key=key).exists()
    ):
        raise ValidationError(already_answered_message(), code="once")
    now = timezone.now()
    response = draft or Response(
        questionnaire=questionnaire,
        participant=person if getattr(person, "is_authenticated", False) else None,
    )
    _fill(response, questionnaire, kept, language, now)
    if key and not response.single_key:
        response.single_key = key
    guest_link = _guest(response, questionnaire, guest_email, language)
    if files:
        _store_files(response, questionnaire, kept, files)
    try:
        with transaction.atomic():
            if draft is None:
                response.save()
            elif not _complete_draft(response):
                raise ValidationError(already_answered_message(), code="once")
    except IntegrityError:
        raise ValidationError(already_answered_message(), code="once") from None
    _texts(response, questionnaire, kept)
    log_action(
        actor=person,
        code="surveys.response.submitted",
        target=questionnaire.instance,
        data={"response": response.pk},
    )
    if guest_link:
        _queue_guest_email(response, questionnaire, guest_email, guest_link, language)
    else:  # a guest's response counts once confirmed
        bump_results_version(questionnaire_ids=[questionnaire.pk])
    return response


def _fill(response: Response, questionnaire: Questionnaire, kept: dict, language: str, now) -> None:
    plan = Layout.of(questionnaire.definition)
    response.answers = kept
    response.codes, response.numbers = encode(plan=plan, answers=kept)
    response.fingerprint = questionnaire.fingerprint
    response.status = Status.COMPLETE
    response.language = language
    response.submitted_at = now
    response.day = timezone.localtime(now).date().toordinal()
    score = score_of(questionnaire=questionnaire, answers=kept)
    if score:
        response.score, response.max_score = score


def _complete_draft(response: Response) -> bool:
    fields = [
        "answers",
        "codes",
        "numbers",
        "fingerprint",
        "status",
        "language",
        "submitted_at",
        "day",
        "score",
        "max_score",
        "single_key",
        "guest",
        "confirmed",
    ]
    updated = Response.objects.filter(pk=response.pk, status=Status.DRAFT).update(
        **{name: getattr(response, name) for name in fields}
    )
    return updated == 1


def _guest(response: Response, questionnaire: Questionnaire, email: str, language: str) -> str:
    if response.participant_id or not questionnaire.confirm_guests:
        return ""
    if not email:
        raise ValidationError(_("Give your e-mail address to confirm your response."))
    from parlons.core.participants.guests import do_open_guest

    process = questionnaire.instance.process
    guest, path = do_open_guest(
        organisation=process.organisation,
        process=process,
        email=email,
        language=language,
        module="surveys",
    )
    response.guest = guest
    response.confirmed = False
    return path


def _queue_guest_email(response, questionnaire, email: str, path: str, language: str) -> None:
    from django.conf import settings

    from parlons.core.notifications.services import queue_email

    instance = questionnaire.instance
    queue_email(
        to=email,
        template="surveys/email/confirm",
        context={"link": settings.SITE_URL + path, "title": instance.title},
        language=language,
    )


def _store_files(response, questionnaire, kept, files) -> None:
    from parlons.modules.surveys.answering import store_upload

    for key, upload in files.items():
        if key in kept:
            path = store_upload(upload=upload, folder=f"surveys/{questionnaire.pk}")
            kept[key] = {**kept[key], "path": path}
    if response is not None:
        response.answers = kept


def _texts(response: Response, questionnaire: Questionnaire, kept: Mapping) -> None:
    questions = questions_by_key(questionnaire.definition)
    rows = []
    for key, value in kept.items():
        question = questions.get(key)
        if question is not None and question["type"] in TEXT_TYPES or key.endswith(f".{OTHER}"):
            rows.append(
                TextAnswer(questionnaire=questionnaire, response=response, question=key, text=value)
            )
    TextAnswer.objects.filter(response=response).delete()
    TextAnswer.objects.bulk_create(rows)


@transaction.atomic
def do_confirm_guest_response(*, guest) -> Response | None:
    """The guest followed the e-mailed link: their response counts from now on."""
    response = (
        Response.objects.select_related("questionnaire__instance__process")
        .filter(guest=guest)
        .first()
    )
    if response is not None and not response.confirmed:
        Response.objects.filter(pk=response.pk).update(confirmed=True)
        log_action(
            actor=None,
            code="surveys.response.confirmed",
            target=response.questionnaire.instance,
            data={"response": response.pk},
        )
        bump_results_version(questionnaire_ids=[response.questionnaire_id])
    return response


def guest_confirmed(*, request, guest):
    """A guest followed the e-mailed link: their response now counts."""
    from django.shortcuts import render

    response = do_confirm_guest_response(guest=guest)
    instance = response.questionnaire.instance if response else None
    return render(
        request,
        "surveys/confirmed.html",
        {"instance": instance, "process": instance.process if instance else None},
    )
