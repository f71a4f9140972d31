"""Reads of petitions, with visibility applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from parlons.core.processes.selectors import access_instance
from parlons.modules.petitions.models import Petition, Status, Update
from parlons.modules.petitions.services import MANAGERS, may_manage


def petitions_visible_to(*, person: Any, instance: Any) -> QuerySet[Petition]:
    """Published petitions of ``instance``, plus those ``person`` owns or manages."""
    from parlons.core.permissions import roles_of

    petitions = Petition.objects.filter(instance=instance)
    if roles_of(person=person, organisation=instance.process.organisation) & MANAGERS:
        return petitions
    mine = Q(owner=person) if getattr(person, "is_authenticated", False) else Q(pk__in=[])
    return petitions.filter(Q(status=Status.PUBLISHED) | mine)


def access_petition(
    *, person: Any, process_slug: str, instance_slug: str, pk: int, fresh: bool = False
) -> Petition:
    """The petition at this address if ``person`` may see it; the same 404 otherwise.

    For guests the answer (the same for all) is kept two seconds (see :mod:`.memo`),
    unless ``fresh``.
    """
    if not fresh and not getattr(person, "is_authenticated", False):
        from parlons.core.tenancy import current_organisation
        from parlons.modules.petitions.memo import guest_petitions

        key = (getattr(current_organisation(), "pk", None), process_slug, instance_slug, pk)
        found = guest_petitions.get(
            key, lambda: _find_petition(person, process_slug, instance_slug, pk)
        )
        if found is None:
            raise Http404("No such petition")
        return found
    found = _find_petition(person, process_slug, instance_slug, pk)
    if found is None:
        raise Http404("No such petition")
    return found


def _find_petition(person: Any, process_slug: str, instance_slug: str, pk: int) -> Petition | None:
    try:
        instance = access_instance(
            person=person,
            process_slug=process_slug,
            instance_slug=instance_slug,
            module="petitions",
        )
    except Http404:
        return None
    petition = petitions_visible_to(person=person, instance=instance).filter(pk=pk).first()
    if petition is not None:
        petition.instance = instance
    return petition


def access_managed_petition(
    *, person: Any, process_slug: str, instance_slug: str, pk: int
) -> Petition:
    """A petition ``person`` may manage (owner or organisers); 404 otherwise."""
    petition = access_petition(
        person=person, process_slug=process_slug, instance_slug=instance_slug, pk=pk
    )
    if not may_manage(person=person, petition=petition):
        raise Http404("No such petition")
    return petition


def get_progress(*, petition: Petition) -> dict[str, Any]:
    """The count, the goal, the percentage (capped at 100) and the thresholds reached."""
    count = petition.signature_count
    goal = petition.goal
    thresholds = [
        {**t, "reached": count >= t["count"]}
        for t in sorted(petition.thresholds, key=lambda t: t["count"])
    ]
    return {
        "count": count,
        "goal": goal,
        "percent": min(100, count * 100 // goal) if goal else 0,
        "thresholds": thresholds,
    }


def get_updates(*, petition: Petition) -> QuerySet[Update]:
    return Update.objects.filter(petition=petition).order_by("-created_at", "-pk")


def get_counts_by_area(*, petition: Petition) -> list[dict[str, Any]]:
    """Rows (area code, name, count), largest first; the unknown area last."""
    from parlons.core.processes.models import Area
    from parlons.lib.i18n import pick

    names = {a.code: pick(a.name) for a in Area.objects.filter(processes=petition.instance.process)}
    rows = [
        {"code": code, "name": names.get(code, ""), "count": n}
        for code, n in petition.counts_by_area.items()
    ]
    return sorted(rows, key=lambda r: (r["code"] == "", -r["count"], r["code"]))
