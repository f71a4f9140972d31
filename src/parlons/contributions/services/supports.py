"""Supports and reactions: one row per participant and object, under a unique constraint."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parlons.contributions.audit import code
from parlons.contributions.models import Support
from parlons.contributions.permissions import ensure_action
from parlons.contributions.services.counts import touch
from parlons.contributions.targets import Target, targets
from parlons.core.audit.services import log_action


def lock_person(person: Any) -> None:
    """Serialise one person's own writes (their row, never a shared one), so that the
    module's per-person limits are counted after the person's previous write committed."""
    get_user_model().objects.select_for_update().filter(pk=person.pk).values_list("pk").first()


def _mine(target: Target, obj: Any, person: Any) -> Support | None:
    return Support.objects.filter(
        target_type=target.label, target_id=obj.pk, participant=person
    ).first()


def check_support(*, person: Any, obj: Any, value: int = 1) -> Target:
    """May ``person`` support (``value`` 1) or react against (-1) ``obj``, not done yet?

    Call inside a transaction: it locks the person's row first.
    """
    if value not in (1, -1):
        raise ValidationError(_("A support is 1 or -1."), code="invalid")
    lock_person(person)
    target = targets.of(obj)
    ensure_action(person=person, action="support" if value == 1 else "oppose", obj=obj)
    mine = _mine(target, obj, person)
    if mine is not None and mine.value == value:
        raise ValidationError(
            _("You already support this.") if value == 1 else _("You already reacted to this."),
            code="duplicate",
        )
    return target


@transaction.atomic
def do_support(*, person: Any, obj: Any, value: int = 1) -> Support:
    """Support ``obj`` (or turn a reaction against into a support, and back).

    The unique constraint is the last guard: a duplicate that slips past the check
    (another session of the same person) is refused with the same message.
    """
    target = check_support(person=person, obj=obj, value=value)
    support = _mine(target, obj, person)
    if support is not None:
        support.value = value
        support.save(update_fields=["value"])
    else:
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    instance=target.instance_of(obj),
                    target_type=target.label,
                    target_id=obj.pk,
                    participant=person,
                    value=value,
                )
        except IntegrityError:
            raise ValidationError(_("You already support this."), code="duplicate") from None
    touch(target_type=target.label, ids=[obj.pk])
    log_action(
        actor=person, code=code(target.module, "support.given"), target=obj, data={"value": value}
    )
    return support


def check_withdraw_support(*, person: Any, obj: Any) -> tuple[Target, Support]:
    """Is there a support of ``person`` on ``obj`` to withdraw while supporting is open?"""
    lock_person(person)
    target = targets.of(obj)
    mine = _mine(target, obj, person)
    if mine is None:
        raise ValidationError(_("You do not support this."), code="missing")
    action = "support" if mine.value == 1 else "oppose"
    ensure_action(person=person, action=action, obj=obj, limits=False)
    return target, mine


@transaction.atomic
def do_withdraw_support(*, person: Any, obj: Any) -> None:
    """Withdraw the person's support or reaction (allowed at the module's limits)."""
    target, mine = check_withdraw_support(person=person, obj=obj)
    mine.delete()
    touch(target_type=target.label, ids=[obj.pk])
    log_action(actor=person, code=code(target.module, "support.withdrawn"), target=obj)
