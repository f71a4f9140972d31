"""The permission decision and its queryset form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parlons.core.organisations.models import Member
from parlons.core.participants.models import Verification, valid_verifications
from parlons.core.processes.models import ModuleInstance, Opening, Process, Visibility
from parlons.core.registry import CAPABILITIES, ModuleRegistry, registry
from parlons.core.tenancy import scopes_disabled

REASONS = {
    "ok": _("Allowed."),
    "not_found": _("This page does not exist or is not open to you."),
    "not_offered": _("This action does not exist here."),
    "phase_closed": _("This is not open at the moment."),
    "login_required": _("Please log in to take part."),
    "role_required": _("Only the organisers' team can do this."),
    "verification_required": _("You need to verify your eligibility before taking part."),
    "limit_reached": _("You have reached the limit for this."),
}


@dataclass(frozen=True)
class Decision:
    """The answer, with a reason code and a message in the user's language."""

    allowed: bool
    reason: str
    message: Any = ""
    missing_verifications: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.allowed


class Refused(Exception):
    """Raised by :func:`ensure` when a decision says no; carries the decision."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(str(decision.message))
        self.decision = decision


def _no(reason: str, message: Any = None, **extra) -> Decision:
    return Decision(False, reason, message or REASONS[reason], **extra)


def roles_of(*, person: Any, organisation: Any) -> frozenset[str]:
    """The roles ``person`` holds in ``organisation`` (superusers hold every role)."""
    if not getattr(person, "is_authenticated", False):
        return frozenset()
    if person.is_superuser:
        return frozenset({"admin", "moderator", "evaluator", "analyst", "mediator"})
    cache = getattr(person, "_parlons_roles", None)
    if cache is None:
        cache = person._parlons_roles = {}
    if organisation.pk not in cache:
        with scopes_disabled():
            cache[organisation.pk] = frozenset(
                Member.objects.filter(organisation=organisation, participant=person).values_list(
                    "role", flat=True
                )
            )
    return cache[organisation.pk]


def _can_see(person: Any, process: Process) -> bool:
    if process.visibility != Visibility.PRIVATE and process.published:
        return True
    if roles_of(person=person, organisation=process.organisation):
        return True
    if process.visibility == Visibility.PRIVATE and getattr(person, "is_authenticated", False):
        return process.published and process.invited.filter(pk=person.pk).exists()
    return False


def _missing_verifications(person: Any, instance: ModuleInstance, now: datetime) -> set[str]:
    """Required methods the person does not hold in force (``age`` also checks its minimum)."""
    required = instance.required_verifications
    with scopes_disabled():
        held: dict[str, list[dict]] = {}
        for method, data in (
            Verification.objects.filter(valid_verifications(now=now), participant=person)
            .filter(Q(organisation__isnull=True) | Q(organisation=instance.process.organisation))
            .values_list("method", "data")
        ):
            held.setdefault(method, []).append(data)
    missing = {method for method in required if method not in held}
    minimum = (required.get("age") or {}).get("min")
    if (
        minimum
        and "age" in held
        and not any(_age(data.get("birth_date"), now) >= minimum for data in held["age"])
    ):
        missing.add("age")
    return missing


def _age(birth_date: str | None, now: datetime) -> int:
    if not birth_date:
        return -1
    born = date.fromisoformat(birth_date)
    today = now.date()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def decide(
    *,
    person: Any,
    capability: str,
    instance: ModuleInstance,
    now: datetime | None = None,
    modules: ModuleRegistry | None = None,
) -> Decision:
    """May ``person`` do ``capability`` on ``instance`` now?

    In order: the process is visible to the person; the module offers the capability;
    a phase live now opens it on the instance; the person is logged in (or the
    capability and the instance accept guests); staff capabilities need a role; every
    verification the instance requires is in force; the module's own limits hold.
    """
    now = now or timezone.now()
    modules = modules if modules is not None else registry
    process = instance.process
    if not _can_see(person, process):
        return _no("not_found")
    declaration = modules.get(instance.module)
    if capability not in declaration.capabilities:
        return _no("not_offered")
    with scopes_disabled():
        live = Opening.objects.filter(
            instance=instance,
            capability=capability,
            phase__starts_at__lte=now,
            phase__ends_at__gt=now,
        ).exists()
    if not live:
        return _no("phase_closed")
    spec = CAPABILITIES[capability]
    authenticated = getattr(person, "is_authenticated", False)
    if not authenticated and not (spec.guests and instance.settings.get("allow_guests")):
        return _no("login_required")
    if spec.roles and not (
        roles_of(person=person, organisation=process.organisation) & set(spec.roles)
    ):
        return _no("role_required")
    required = set(instance.required_verifications)
    if required and authenticated:
        missing = _missing_verifications(person, instance, now)
        if missing:
            return _no("verification_required", missing_verifications=tuple(sorted(missing)))
    elif required:
        return _no("login_required")
    if declaration.limits is not None:
        message = declaration.limits(instance=instance, person=person, capability=capability)
        if message:
            return _no("limit_reached", message)
    return Decision(True, "ok", REASONS["ok"])


def ensure(**kwargs) -> Decision:
    """:func:`decide`, raising :class:`Refused` when the answer is no."""
    decision = decide(**kwargs)
    if not decision:
        raise Refused(decision)
    return decision


def processes_visible_to(*, person: Any) -> QuerySet[Process]:
    """Processes ``person`` may see, in the current scope (the queryset form)."""
    visible = Q(published=True) & ~Q(visibility=Visibility.PRIVATE)
    if getattr(person, "is_authenticated", False):
        if person.is_superuser:
            return Process.objects.all()
        staff = Exists(
            Member._base_manager.filter(organisation=OuterRef("organisation"), participant=person)
        )
        invited = Q(published=True) & Exists(
            Process.invited.through.objects.filter(process=OuterRef("pk"), participant=person)
        )
        return Process.objects.filter(visible | invited | staff)
    return Process.objects.filter(visible)


def instances_where(
    *, person: Any, capability: str, now: datetime | None = None
) -> QuerySet[ModuleInstance]:
    """Module instances on which ``person`` may do ``capability`` now, phase- and
    verification-wise (module limits are per action and checked by :func:`decide`)."""
    now = now or timezone.now()
    spec = CAPABILITIES[capability]
    live = Opening._base_manager.filter(
        instance=OuterRef("pk"),
        capability=capability,
        phase__starts_at__lte=now,
        phase__ends_at__gt=now,
    )
    queryset = ModuleInstance.objects.filter(
        Exists(live), process__in=processes_visible_to(person=person)
    )
    offered = [d.key for d in registry if capability in d.capabilities]
    queryset = queryset.filter(module__in=offered)
    if not getattr(person, "is_authenticated", False):
        if not spec.guests:
            return queryset.none()
        return queryset.filter(settings__allow_guests=True, required_verifications={})
    if spec.roles and not person.is_superuser:
        queryset = queryset.filter(
            Exists(
                Member._base_manager.filter(
                    organisation=OuterRef("process__organisation"),
                    participant=person,
                    role__in=spec.roles,
                )
            )
        )
    return _with_verifications(queryset, person, now)


def _with_verifications(queryset: QuerySet, person: Any, now: datetime) -> QuerySet:
    from parlons.core.participants.verification import METHODS

    for method in METHODS:
        has = Verification._base_manager.filter(
            valid_verifications(now=now), participant=person, method=method
        ).filter(Q(organisation__isnull=True) | Q(organisation=OuterRef("process__organisation")))
        queryset = queryset.filter(~Q(required_verifications__has_key=method) | Exists(has))
    return queryset
