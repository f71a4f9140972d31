"""Organisers' writes with a personal API token: processes and their phases.

Thin: parse and validate the input, find the organisation the token holder administers,
call the kernel's services.  Not an admin there answers 404, like a missing address.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Schema, Status
from pydantic import AfterValidator, AwareDatetime, StringConstraints

from parlons.api.auth import TokenAuth
from parlons.api.kernel import (
    SLUG,
    PhaseOut,
    ProcessDetailOut,
    get_organisation_by_slug,
    process_detail,
    router,
)
from parlons.core.organisations.models import Organisation
from parlons.core.permissions import roles_of
from parlons.core.processes.models import ModuleInstance, Process, Visibility
from parlons.core.processes.services import do_save_phase, do_save_process
from parlons.core.tenancy import scope

# The kernel's router: a path serves its reads and writes from one URL pattern.
TOKEN = TokenAuth()
WRITE = {"auth": TOKEN, "tags": ["organisers"]}


def _site_language(code: str) -> str:
    if code not in {code for code, _name in settings.LANGUAGES}:
        raise ValueError(f"unknown language {code!r}")
    return code


def _no_nul(text: str) -> str:
    if "\x00" in text:  # PostgreSQL cannot store it in text or JSON
        raise ValueError("NUL characters are not allowed")
    return text


def _unique(codes: list[str]) -> list[str]:
    if len(set(codes)) != len(codes):
        raise ValueError("languages must not repeat")
    return codes


def _storable(moment: datetime) -> datetime:
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("date out of range") from None
    return moment


Language = Annotated[str, AfterValidator(_site_language)]
Text = Annotated[str, StringConstraints(max_length=20000), AfterValidator(_no_nul)]
Texts = dict[Language, Text]
Languages = Annotated[list[Language], Field(min_length=1), AfterValidator(_unique)]
Slug = Annotated[str, StringConstraints(pattern=SLUG.pattern)]
Moment = Annotated[AwareDatetime, AfterValidator(_storable)]


def _optional(description: str = "") -> Any:
    """A field that may be left out but, when given, may not be null."""

    def drop_default(schema: dict) -> None:
        schema.pop("default", None)

    return Field(default=None, description=description or None, json_schema_extra=drop_default)


class ProcessIn(Schema):
    """A new process; texts are objects keyed by language code."""

    slug: Slug
    title: Texts
    summary: Texts = {}
    description: Texts = {}
    visibility: Visibility = Visibility.PUBLIC
    published: bool = True
    languages: Languages = _optional("Default: the organisation's languages.")


class ProcessPatch(Schema):
    """The fields to change; those left out keep their value."""

    title: Texts = _optional()
    summary: Texts = _optional()
    description: Texts = _optional()
    visibility: Visibility = _optional()
    published: bool = _optional()
    languages: Languages = _optional()


class OpeningIn(Schema):
    instance: Slug = Field(description="The address of a module instance of this process.")
    capability: Annotated[str, StringConstraints(max_length=32)]


class PhaseIn(Schema):
    title: Texts
    description: Texts = {}
    starts_at: Moment
    ends_at: Moment
    position: int = Field(0, ge=0, le=32767)
    openings: list[OpeningIn] = Field(default=[], max_length=200)


def _administered(request, slug: str) -> Organisation:
    """The organisation at ``slug`` if the token holder is one of its admins, else 404."""
    organisation = get_organisation_by_slug(slug)
    if "admin" not in roles_of(person=request.auth, organisation=organisation):
        raise Http404
    return organisation


def _process(process_slug: str) -> Process:
    """Any process of the organisation in scope (admins see unpublished ones too)."""
    process = (
        Process.objects.filter(slug=process_slug).first() if SLUG.match(process_slug) else None
    )
    if process is None:
        raise Http404
    return process


def _openings(process: Process, openings: list[OpeningIn]) -> list[tuple[ModuleInstance, str]]:
    slugs = {opening.instance for opening in openings}
    instances = {i.slug: i for i in ModuleInstance.objects.filter(process=process, slug__in=slugs)}
    unknown = sorted(slugs - set(instances))
    if unknown:
        raise ValidationError({"openings": [f"Unknown module instance: {', '.join(unknown)}"]})
    pairs = [(instances[opening.instance], opening.capability) for opening in openings]
    return list(dict.fromkeys(pairs))  # an opening given twice is one opening


@router.post("/organisations/{slug}/processes", response={201: ProcessDetailOut}, **WRITE)
def create_process(request, slug: str, payload: ProcessIn):
    """Create a process in an organisation you administer."""
    organisation = _administered(request, slug)
    values: dict[str, Any] = payload.model_dump()
    if values["languages"] is None:
        values["languages"] = organisation.languages
    with scope(organisation=organisation):
        process = do_save_process(organisation=organisation, actor=request.auth, values=values)
        return Status(201, process_detail(process))


@router.patch("/organisations/{slug}/processes/{process_slug}", response=ProcessDetailOut, **WRITE)
def update_process(request, slug: str, process_slug: str, payload: ProcessPatch):
    """Change the texts, visibility, publication or languages of a process."""
    organisation = _administered(request, slug)
    values = payload.model_dump(exclude_unset=True)
    with scope(organisation=organisation):
        process = _process(process_slug)
        process = do_save_process(
            organisation=organisation, actor=request.auth, values=values, process=process
        )
        return process_detail(process)


@router.post(
    "/organisations/{slug}/processes/{process_slug}/phases", response={201: PhaseOut}, **WRITE
)
def create_phase(request, slug: str, process_slug: str, payload: PhaseIn):
    """Add a phase to a process, with the capabilities it opens on its module instances."""
    organisation = _administered(request, slug)
    with scope(organisation=organisation):
        process = _process(process_slug)
        openings = _openings(process, payload.openings)
        phase = do_save_phase(
            process=process,
            actor=request.auth,
            values=payload.model_dump(exclude={"openings"}),
            openings=openings,
        )
    return Status(
        201,
        {
            "id": phase.pk,
            "title": phase.title,
            "starts_at": phase.starts_at,
            "ends_at": phase.ends_at,
            "openings": [{"instance": i.slug, "capability": c} for i, c in openings],
        },
    )
