"""The petitions API router: petitions of an instance, one petition with its counts."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import Router, Schema

from parlons.core.organisations.models import Organisation
from parlons.core.processes.selectors import access_instance
from parlons.core.tenancy import scope
from parlons.modules.petitions import selectors
from parlons.modules.petitions.signing import petition_is_open

router = Router(tags=["petitions"])


class ThresholdOut(Schema):
    count: int
    text: str
    reached: bool


class PetitionOut(Schema):
    id: int
    title: str
    ask: str
    target: str
    goal: int
    deadline: datetime | None
    open: bool
    signatures: int
    counted_at: datetime | None
    thresholds: list[ThresholdOut]
    counts_by_area: dict[str, int]
    response: str


def _out(petition) -> dict:
    return {
        "id": petition.pk,
        "title": petition.title,
        "ask": petition.ask,
        "target": petition.target,
        "goal": petition.goal,
        "deadline": petition.deadline,
        "open": petition_is_open(petition),
        "signatures": petition.signature_count,
        "counted_at": petition.counted_at,
        "thresholds": selectors.get_progress(petition=petition)["thresholds"],
        "counts_by_area": petition.counts_by_area,
        "response": petition.response,
    }


def _instance(request, organisation: str, process: str, instance: str):
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    return org, lambda: access_instance(
        person=request.user, process_slug=process, instance_slug=instance, module="petitions"
    )


@router.get("/{organisation}/{process}/{instance}", response=list[PetitionOut])
def list_petitions(request, organisation: str, process: str, instance: str):
    """The petitions of an instance visible to the caller, with their public counts."""
    org, found = _instance(request, organisation, process, instance)
    with scope(organisation=org):
        target = found()
        return [
            _out(p) for p in selectors.petitions_visible_to(person=request.user, instance=target)
        ]


@router.get("/{organisation}/{process}/{instance}/{pk}", response=PetitionOut)
def get_petition(request, organisation: str, process: str, instance: str, pk: int):
    """One petition, its count, thresholds and counts by area."""
    org, _found = _instance(request, organisation, process, instance)
    with scope(organisation=org):
        petition = selectors.access_petition(
            person=request.user, process_slug=process, instance_slug=instance, pk=pk
        )
        return _out(petition)
