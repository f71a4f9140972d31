"""Reads of processes, phases and instances, with the visibility rule applied."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from parlons.core.permissions import processes_visible_to
from parlons.core.processes.models import ModuleInstance, Opening, Phase, Process


def access_process(*, person: Any, slug: str) -> Process:
    """The process ``slug`` in the current organisation if ``person`` may see it.

    Missing and forbidden raise the same Http404, so addresses reveal nothing.
    """
    process = (
        processes_visible_to(person=person).select_related("organisation").filter(slug=slug).first()
    )
    if process is None:
        raise Http404("No such process")
    return process


def access_instance(
    *, person: Any, process_slug: str, instance_slug: str, module: str
) -> ModuleInstance:
    """The instance of ``module`` at this address if ``person`` may see its process."""
    process = access_process(person=person, slug=process_slug)
    instance = ModuleInstance.objects.filter(
        process=process, slug=instance_slug, module=module
    ).first()
    if instance is None:
        raise Http404("No such page")
    instance.process = process
    return instance


def phases_with_openings(*, process: Process) -> QuerySet[Phase]:
    """The phases of ``process`` with their openings and instances, in two queries."""
    openings = Opening.objects.select_related("instance").order_by(
        "instance__position", "instance__pk", "capability"
    )
    return Phase.objects.filter(process=process).prefetch_related(
        Prefetch("openings", queryset=openings)
    )


def live_phase(phases, *, now: datetime | None = None) -> Phase | None:
    """The phase live at ``now`` among already-fetched ``phases`` (the latest started)."""
    now = now or timezone.now()
    live = [phase for phase in phases if phase.starts_at <= now < phase.ends_at]
    return live[-1] if live else None


def public_processes(*, person: Any) -> QuerySet[Process]:
    """Listed processes for the home and organisation pages, newest first."""
    return (
        processes_visible_to(person=person)
        .filter(visibility="public", published=True)
        .select_related("organisation")
    )
