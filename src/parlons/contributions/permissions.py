"""May this person do this contribution action on this object now?

One function, :func:`decide_action`, maps the action to the capability its target
declares and asks the kernel's one question (``core.permissions.decide``) on the object's
module instance; staff capabilities are answered by role at any time; blocks and the
target's own rules come last.  Every service and view asks through it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from parlons.contributions.models import Block
from parlons.contributions.targets import Target, targets
from parlons.core.permissions import Decision, Refused, decide, roles_of
from parlons.core.permissions.decide import REASONS
from parlons.core.registry import CAPABILITIES
from parlons.core.tenancy import scopes_disabled

HIDDEN = _("This contribution was hidden by the moderators.")
BLOCKED = _(
    "You can no longer take part here: the moderators blocked your account in this organisation."
)


def _no(reason: str, message: Any = None) -> Decision:
    return Decision(False, reason, message or REASONS.get(reason, ""))


def active_block(*, person: Any, organisation: Any) -> Block | None:
    """The block in force on ``person`` in ``organisation``, if any (cached per request)."""
    if not getattr(person, "is_authenticated", False):
        return None
    cache = getattr(person, "_parlons_blocks", None)
    if cache is None:
        cache = person._parlons_blocks = {}
    if organisation.pk not in cache:
        with scopes_disabled():
            cache[organisation.pk] = Block.objects.filter(
                organisation=organisation, participant=person, lifted_at__isnull=True
            ).first()
    return cache[organisation.pk]


def blocked_message(*, instance: Any, person: Any, capability: str = "") -> Any:
    """A module's ``limits`` can include this: the refusal for a blocked participant.

    ``limits=lambda **kw: blocked_message(**kw) or my_limits(**kw)`` makes the kernel's
    ``decide`` refuse every participant capability of the module to a blocked person.
    """
    spec = CAPABILITIES.get(capability)
    if spec is not None and spec.roles:
        return None
    if active_block(person=person, organisation=instance.process.organisation):
        return BLOCKED
    return None


def decide_open(*, person: Any, capability: str, instance: Any, now: datetime | None = None):
    """:func:`decide` without the module's per-person limits (but with blocks).

    For changes that do not add to what a limit counts: editing one's own idea,
    withdrawing a support.
    """
    decision = decide(person=person, capability=capability, instance=instance, now=now)
    if decision.reason == "limit_reached":
        if active_block(person=person, organisation=instance.process.organisation):
            return _no("blocked", BLOCKED)
        return Decision(True, "ok", REASONS["ok"])
    return decision


def _staff(person: Any, capability: str, instance: Any) -> Decision:
    if not getattr(person, "is_authenticated", False):
        return _no("login_required")
    held = roles_of(person=person, organisation=instance.process.organisation)
    if not held & set(CAPABILITIES[capability].roles):
        return _no("role_required")
    return Decision(True, "ok", REASONS["ok"])


def _visible(person: Any, instance: Any) -> Decision:
    """``show``: the object is on a page the person sees; they only need to be logged in."""
    if not getattr(person, "is_authenticated", False):
        return _no("login_required")
    return Decision(True, "ok", REASONS["ok"])


def decide_action(
    *,
    person: Any,
    action: str,
    obj: Any,
    target: Target | None = None,
    instance: Any = None,
    now: datetime | None = None,
    limits: bool = True,
) -> Decision:
    """May ``person`` do ``action`` (``comment``, ``support``, ``report``...) on ``obj``?

    Callers have already shown the object to the person (its process is visible to
    them).  ``limits=False`` skips the module's per-person limits (see
    :func:`decide_open`).  The decision's message is in the person's language.
    """
    target = target or targets.of(obj)
    capability = target.actions.get(action)
    if capability is None:
        return _no("not_offered")
    instance = instance or target.instance_of(obj)
    spec = CAPABILITIES[capability]
    if spec.roles:
        return _staff(person, capability, instance)
    if capability == "show":
        decision = _visible(person, instance)
    elif limits:
        decision = decide(person=person, capability=capability, instance=instance, now=now)
    else:
        decision = decide_open(person=person, capability=capability, instance=instance, now=now)
    if not decision:
        return decision
    if active_block(person=person, organisation=instance.process.organisation):
        return _no("blocked", BLOCKED)
    if getattr(obj, "hidden_at", None) is not None:
        return _no("hidden", HIDDEN)
    if target.rules is not None:
        message = target.rules(action=action, obj=obj, person=person)
        if message:
            return _no("not_allowed", message)
    return decision


def ensure_action(**kwargs) -> Decision:
    """:func:`decide_action`, raising ``core.permissions.Refused`` when it says no."""
    decision = decide_action(**kwargs)
    if not decision:
        raise Refused(decision)
    return decision
