"""Reports, the moderators' decisions, blocks and the word filter."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.contributions.audit import code
from parlons.contributions.models import Block, Reason, Report, WordList
from parlons.contributions.permissions import ensure_action
from parlons.contributions.targets import COMMENT_LABEL, Target, targets
from parlons.contributions.text import clean_text
from parlons.contributions.wordlists import check_words
from parlons.core.audit.services import log_action
from parlons.core.notifications.services import queue_email
from parlons.core.permissions import Decision, Refused, roles_of

DEFAULT_HIDE_AFTER = 3
MODERATORS = {"admin", "moderator"}


def screen_text(*, organisation: Any, texts: list[str]) -> list[str]:
    """The word filter on new text: ValidationError for profanity, spam words returned."""
    return check_words(organisation=organisation, texts=texts)


def _touch_parent(obj: Any) -> None:
    """Hiding or restoring a comment changes its parent's comment count."""
    from parlons.contributions.services.counts import touch

    if obj._meta.label_lower == COMMENT_LABEL:
        touch(target_type=obj.target_type, ids=[obj.target_id])


def _set_hidden(obj: Any, hidden: bool) -> None:
    obj.hidden_at = timezone.now() if hidden else None
    type(obj)._base_manager.filter(pk=obj.pk).update(hidden_at=obj.hidden_at)
    _touch_parent(obj)


def flag_automatically(*, obj: Any, words: tuple[str, ...] | list[str], module: str) -> Report:
    """The filter found spam words: hide the new text until a moderator looks at it."""
    target = targets.of(obj)
    report = Report.objects.create(
        instance=target.instance_of(obj),
        target_type=obj._meta.label_lower,
        target_id=obj.pk,
        automatic=True,
        reason=Reason.SPAM,
        details=", ".join(words),
    )
    _set_hidden(obj, True)
    log_action(actor=None, code=code(module, "contribution.flagged"), target=obj)
    return report


def check_report(*, person: Any, obj: Any, reason: str, details: str = "") -> tuple[Target, str]:
    """May ``person`` report ``obj`` for ``reason``, not reported by them yet?"""
    target = targets.of(obj)
    ensure_action(person=person, action="report", obj=obj, target=target)
    if reason not in Reason.values:
        raise ValidationError(_("Choose a reason for the report."), code="reason")
    text = clean_text(details, max_length=1000, min_length=0) if details else ""
    if Report.objects.filter(
        target_type=obj._meta.label_lower, target_id=obj.pk, reporter=person
    ).exists():
        raise ValidationError(_("You have already reported this."), code="duplicate")
    return target, text


def _unresolved_reporters(obj: Any) -> int:
    return (
        Report.objects.filter(
            target_type=obj._meta.label_lower,
            target_id=obj.pk,
            resolved_at__isnull=True,
            reporter__isnull=False,
        )
        .values("reporter")
        .distinct()
        .count()
    )


@transaction.atomic
def do_report(*, person: Any, obj: Any, reason: str, details: str = "") -> Report:
    """Record a report; at the instance's threshold the object is hidden until moderated."""
    target, text = check_report(person=person, obj=obj, reason=reason, details=details)
    instance = target.instance_of(obj)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                instance=instance,
                target_type=obj._meta.label_lower,
                target_id=obj.pk,
                reporter=person,
                reason=reason,
                details=text,
            )
    except IntegrityError:
        raise ValidationError(_("You have already reported this."), code="duplicate") from None
    log_action(actor=person, code=code(target.module, "report.created"), target=obj)
    threshold = int((instance.settings or {}).get("hide_after_reports", DEFAULT_HIDE_AFTER))
    if threshold and obj.hidden_at is None and _unresolved_reporters(obj) >= threshold:
        _set_hidden(obj, True)
        log_action(
            actor=None,
            code=code(target.module, "contribution.hidden"),
            target=obj,
            data={"automatic": True, "reports": threshold},
        )
    return report


def check_moderate(*, person: Any, obj: Any) -> Target:
    """Is ``person`` a moderator (or an administrator) of the object's organisation?"""
    target = targets.of(obj)
    ensure_action(person=person, action="moderate", obj=obj, target=target)
    return target


def _resolve(obj: Any, person: Any, resolution: str) -> int:
    return Report.objects.filter(
        target_type=obj._meta.label_lower, target_id=obj.pk, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolution=resolution, resolved_by=person)


@transaction.atomic
def do_hide(*, person: Any, obj: Any, note: str = "") -> None:
    """Hide ``obj`` from the public, resolve its reports, tell its author why."""
    target = check_moderate(person=person, obj=obj)
    note = clean_text(note, max_length=1000, min_length=0) if note else ""
    _set_hidden(obj, True)
    _resolve(obj, person, "hidden")
    log_action(
        actor=person,
        code=code(target.module, "contribution.hidden"),
        target=obj,
        data={"note": note},
    )
    author = target.author_of(obj)
    if author is not None and author.is_active and not author.erased_at:
        _mail(
            author,
            "contributions/email/hidden",
            {"title": target.title(obj), "note": note, "organisation": _organisation(obj).name},
        )


@transaction.atomic
def do_restore(*, person: Any, obj: Any) -> None:
    """Show a hidden object again; its open reports are dismissed."""
    target = check_moderate(person=person, obj=obj)
    if obj.hidden_at is None:
        raise ValidationError(_("This is not hidden."), code="not_hidden")
    _set_hidden(obj, False)
    _resolve(obj, person, "restored")
    log_action(actor=person, code=code(target.module, "contribution.restored"), target=obj)


@transaction.atomic
def do_dismiss_reports(*, person: Any, obj: Any) -> int:
    """Keep ``obj`` visible and close its reports."""
    target = check_moderate(person=person, obj=obj)
    closed = _resolve(obj, person, "dismissed")
    log_action(actor=person, code=code(target.module, "reports.dismissed"), target=obj)
    return closed


def _organisation(obj: Any) -> Any:
    return targets.of(obj).instance_of(obj).process.organisation


def _mail(person: Any, template: str, context: dict) -> None:
    queue_email(to=person.email, template=template, language=person.language, context=context)


def _check_moderator(person: Any, organisation: Any) -> None:
    if not roles_of(person=person, organisation=organisation) & MODERATORS:
        raise Refused(Decision(False, "role_required", _("Only moderators can do this.")))


@transaction.atomic
def do_block(
    *, person: Any, participant: Any, organisation: Any, message: str, module: str
) -> Block:
    """Stop ``participant`` from contributing in ``organisation``; e-mail them ``message``."""
    _check_moderator(person, organisation)
    text = clean_text(message, max_length=2000)
    if participant.pk == person.pk or roles_of(person=participant, organisation=organisation):
        raise ValidationError(
            _("Members of the organisers' team cannot be blocked here."), code="member"
        )
    if Block.objects.filter(
        organisation=organisation, participant=participant, lifted_at__isnull=True
    ).exists():
        raise ValidationError(_("This participant is already blocked."), code="duplicate")
    block = Block.objects.create(
        organisation=organisation, participant=participant, message=text, blocked_by=person
    )
    participant._parlons_blocks = {}
    log_action(
        actor=person,
        code=code(module, "participant.blocked"),
        target=participant,
        organisation=organisation,
    )
    if participant.is_active and not participant.erased_at:
        _mail(
            participant,
            "contributions/email/blocked",
            {"message": text, "organisation": organisation.name},
        )
    return block


@transaction.atomic
def do_lift_block(*, person: Any, block: Block, module: str) -> Block:
    _check_moderator(person, block.organisation)
    if block.lifted_at is not None:
        raise ValidationError(_("This block was already lifted."), code="lifted")
    block.lifted_at, block.lifted_by = timezone.now(), person
    block.save(update_fields=["lifted_at", "lifted_by"])
    log_action(
        actor=person,
        code=code(module, "participant.unblocked"),
        target=block.participant,
        organisation=block.organisation,
    )
    return block


@transaction.atomic
def do_save_word_list(
    *, person: Any, organisation: Any, language: str, kind: str, words: str, module: str
) -> WordList:
    """Replace the organisation's list of ``kind`` words for ``language`` (one per line)."""
    _check_moderator(person, organisation)
    if kind not in WordList.Kind.values or language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown word list."), code="unknown")
    lines = sorted({line.strip() for line in (words or "").splitlines() if line.strip()})
    if any(len(line) > 80 for line in lines) or len(lines) > 2000:
        raise ValidationError(
            _("One word or phrase per line, 80 characters each, 2,000 lines at most."),
            code="too_long",
        )
    row, _created = WordList.objects.update_or_create(
        organisation=organisation,
        language=language,
        kind=kind,
        defaults={"words": "\n".join(lines)},
    )
    log_action(
        actor=person,
        code=code(module, "words.updated"),
        organisation=organisation,
        data={"language": language, "kind": kind, "count": len(lines)},
    )
    return row
