"""Kernel read endpoints: organisations, processes, phases, module instances (open data)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from parlons.api.pagination import Pages
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import Process
from parlons.core.processes.selectors import (
    access_process,
    phases_with_openings,
    public_processes,
)
from parlons.core.tenancy import scope

router = Router(tags=["kernel"])

# Addresses are slugs; anything else cannot name an object (and must not reach the
# database: PostgreSQL refuses NUL characters in a query with an error, not a miss).
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


class OrganisationOut(Schema):
    slug: str
    name: str
    description: dict[str, str]
    languages: list[str]
    primary_colour: str
    accent_colour: str


class OpeningOut(Schema):
    instance: str
    capability: str


class PhaseOut(Schema):
    id: int
    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    openings: list[OpeningOut]


class InstanceOut(Schema):
    slug: str
    module: str
    title: dict[str, str]
    required_verifications: list[str]


class ProcessOut(Schema):
    slug: str
    organisation: str
    title: dict[str, str]
    summary: dict[str, str]
    visibility: str
    languages: list[str]

    @staticmethod
    def resolve_organisation(process: Any) -> str:
        if isinstance(process, dict):
            return process["organisation"]
        return process.organisation.slug


class ProcessDetailOut(ProcessOut):
    description: dict[str, str]
    phases: list[PhaseOut]
    instances: list[InstanceOut]


def get_organisation_by_slug(slug: str) -> Organisation:
    """The organisation at ``slug``, or Http404."""
    organisation = Organisation.objects.filter(slug=slug).first() if SLUG.match(slug) else None
    if organisation is None:
        raise Http404
    return organisation


def process_detail(process: Process) -> dict:
    """A process with its phases, what each opens, and its module instances (3 queries).

    Call it inside the process's organisation scope.
    """
    phases = list(phases_with_openings(process=process))
    instances = list(process.instances.all())
    return {
        "slug": process.slug,
        "organisation": process.organisation.slug,
        "title": process.title,
        "summary": process.summary,
        "visibility": process.visibility,
        "languages": process.languages,
        "description": process.description,
        "phases": [
            {
                "id": phase.pk,
                "title": phase.title,
                "starts_at": phase.starts_at,
                "ends_at": phase.ends_at,
                "openings": [
                    {"instance": opening.instance.slug, "capability": opening.capability}
                    for opening in phase.openings.all()
                ],
            }
            for phase in phases
        ],
        "instances": [
            {
                "slug": instance.slug,
                "module": instance.module,
                "title": instance.title,
                "required_verifications": sorted(instance.required_verifications),
            }
            for instance in instances
        ],
    }


@router.get("/organisations", response=list[OrganisationOut])
@paginate(Pages)
def list_organisations(request):
    """Every organisation hosted here."""
    return Organisation.objects.order_by("slug")


@router.get("/organisations/{slug}", response=OrganisationOut)
def get_organisation(request, slug: str):
    """One organisation."""
    return get_organisation_by_slug(slug)


@router.get("/organisations/{slug}/processes", response=list[ProcessOut])
@paginate(Pages)
def list_processes(request, slug: str):
    """The listed processes of an organisation, in the order they were created."""
    organisation = get_organisation_by_slug(slug)
    with scope(organisation=organisation):
        # The scope filter is applied here, when the queryset is built; the paginator
        # slices it after this block.
        return public_processes(person=request.user).order_by("pk")


@router.get("/organisations/{slug}/processes/{process_slug}", response=ProcessDetailOut)
def get_process(request, slug: str, process_slug: str):
    """One process with its phases, what each opens, and its module instances."""
    organisation = get_organisation_by_slug(slug)
    if not SLUG.match(process_slug):
        raise Http404
    with scope(organisation=organisation):
        return process_detail(access_process(person=request.user, slug=process_slug))
