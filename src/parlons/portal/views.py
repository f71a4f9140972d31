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


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(colour: str) -> str:
    """White or near-black, whichever reads better on ``colour``."""
    return "#ffffff" if contrast(colour, "#ffffff") >= contrast(colour, INK) else INK


def ink_of(colour: str, *, on: str = "#ffffff", ratio: float = 4.5) -> str:
    """``colour`` darkened step by step until text in it reads on ``on`` (WCAG AA)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    shade = colour
    for _step in range(40):
        shade = "#" + "".join(f"{c:02x}" for c in rgb)
        if contrast(shade, on) >= ratio:
            return shade
        rgb = [int(c * 0.92) for c in rgb]
    return INK


INK = "#1b1f24"


@require_GET
@cache_control(public=True, max_age=300)
def theme(request, organisation_slug):
    """The organisation's colours as CSS custom properties (CSP forbids inline styles).

    Any colour an organiser picks stays readable: text on the brand colour is white or
    black by contrast, and links and buttons in the brand colour are darkened until they
    reach WCAG AA contrast on white.
    """
    organisation = get_object_or_404(Organisation, slug=organisation_slug)
    brand, accent = organisation.primary_colour.lower(), organisation.accent_colour.lower()
    properties = {
        "--brand": brand,
        "--on-brand": readable_on(brand),
        "--brand-ink": ink_of(brand),
        "--accent": accent,
        "--on-accent": readable_on(accent),
        "--accent-ink": ink_of(accent, ratio=3),
    }
    css = ":root{" + "".join(f"{name}:{value};" for name, value in properties.items()) + "}"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
