"""Kernel endpoints: organisations, processes, phases, module instances (open data)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import Opening, Phase
from parlons.core.processes.selectors import public_processes
from parlons.core.tenancy import scope

router = Router(tags=["kernel"])


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


class ProcessDetailOut(ProcessOut):
    description: dict[str, str]
    phases: list[PhaseOut]
    instances: list[InstanceOut]


def _organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


def _process_out(process) -> dict:
    return {
        "slug": process.slug,
        "organisation": process.organisation.slug,
        "title": process.title,
        "summary": process.summary,
        "visibility": process.visibility,
        "languages": process.languages,
    }


@router.get("/organisations", response=list[OrganisationOut])
@paginate(LimitOffsetPagination)
def list_organisations(request):
    """Every organisation hosted here."""
    return Organisation.objects.order_by("slug")


@router.get("/organisations/{slug}", response=OrganisationOut)
def get_organisation(request, slug: str):
    return _organisation(slug)


@router.get("/organisations/{slug}/processes", response=list[ProcessOut])
@paginate(LimitOffsetPagination)
def list_processes(request, slug: str):
    """The listed processes of an organisation."""
    organisation = _organisation(slug)
    with scope(organisation=organisation):
        return [_process_out(p) for p in public_processes(person=request.user).order_by("pk")]


@router.get("/organisations/{slug}/processes/{process_slug}", response=ProcessDetailOut)
def get_process(request, slug: str, process_slug: str):
    """One process with its phases, what each opens, and its module instances."""
    from parlons.core.processes.selectors import access_process

    organisation = _organisation(slug)
    with scope(organisation=organisation):
        process = access_process(person=request.user, slug=process_slug)
        openings = Opening.objects.select_related("instance").order_by("pk")
        phases = list(
            Phase.objects.filter(process=process).prefetch_related(
                Prefetch("openings", queryset=openings)
            )
        )
        instances = list(process.instances.all())
    return {
        **_process_out(process),
        "description": process.description,
        "phases": [
            {
                "id": p.pk,
                "title": p.title,
                "starts_at": p.starts_at,
                "ends_at": p.ends_at,
                "openings": [
                    {"instance": o.instance.slug, "capability": o.capability}
                    for o in p.openings.all()
                ],
            }
            for p in phases
        ],
        "instances": [
            {
                "slug": i.slug,
                "module": i.module,
                "title": i.title,
                "required_verifications": sorted(i.required_verifications),
            }
            for i in instances
        ],
    }
