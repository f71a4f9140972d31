"""The public site shell: home, organisation, process and phase pages."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from parlons.core.organisations.models import Organisation
from parlons.core.processes.selectors import (
    access_process,
    live_phase,
    phases_with_openings,
    public_processes,
)
from parlons.core.registry import registry
from parlons.core.tenancy import scopes_disabled


def _with_live_phase(processes, now):
    """Attach ``live_phase`` to each process from one prefetch of all phases."""
    for process in processes:
        process.live_phase = live_phase(process.phases.all(), now=now)
    return processes


@require_GET
def home(request):
    """Organisations and their open processes (spans organisations by design)."""
    now = timezone.now()
    with scopes_disabled():
        organisations = list(Organisation.objects.all())
        processes = list(public_processes(person=request.user).prefetch_related("phases")[:24])
    return render(
        request,
        "portal/home.html",
        {
            "organisations": organisations,
            "processes": _with_live_phase(processes, now),
        },
    )


@require_GET
def organisation(request, organisation_slug):
    now = timezone.now()
    processes = list(public_processes(person=request.user).prefetch_related("phases"))
    return render(
        request,
        "portal/organisation.html",
        {
            "processes": _with_live_phase(processes, now),
        },
    )


def _instance_links(phases):
    seen = {}
    for phase in phases:
        for opening in phase.openings.all():
            seen.setdefault(opening.instance.pk, opening.instance)
    return sorted(seen.values(), key=lambda i: (i.position, i.pk))


@require_GET
def process(request, organisation_slug, process_slug):
    process = access_process(person=request.user, slug=process_slug)
    phases = list(phases_with_openings(process=process))
    current = live_phase(phases)
    return render(
        request,
        "portal/process.html",
        {
            "process": process,
            "phases": phases,
            "live": current,
            "instances": _instance_links(phases),
            "modules": {d.key: d for d in registry},
        },
    )


@require_GET
def phase(request, organisation_slug, process_slug, phase_id):
    process = access_process(person=request.user, slug=process_slug)
    phases = list(phases_with_openings(process=process))
    selected = next((p for p in phases if p.pk == phase_id), None)
    if selected is None:
        raise Http404("No such phase")
    return render(
        request,
        "portal/phase.html",
        {
            "process": process,
            "phases": phases,
            "phase": selected,
            "live": live_phase(phases),
            "instances": _instance_links([selected]),
            "modules": {d.key: d for d in registry},
        },
    )


@require_GET
@cache_control(public=True, max_age=300)
def theme(request, organisation_slug):
    """The organisation's colours as CSS custom properties (CSP forbids inline styles)."""
    organisation = get_object_or_404(Organisation, slug=organisation_slug)
    css = f":root{{--brand:{organisation.primary_colour};--accent:{organisation.accent_colour};}}"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
