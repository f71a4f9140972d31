"""The interpellation module's API router (``/api/v1/interpellations/``): a campaign's
proposals, its scoreboard (stances and messages received per representative) and the
postcode look-up, as open data. Senders never appear."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from parlons.core.organisations.models import Organisation
from parlons.core.tenancy import scope
from parlons.modules.interpellations import selectors
from parlons.modules.interpellations.models import Position

router = Router(tags=["interpellations"])

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
BASE = "/{organisation}/{process}/{instance}"
MAX_LIMIT = 100


class Pages(LimitOffsetPagination):
    """``?limit=&offset=`` (at most 100 a page)."""

    class Input(Schema):
        limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=1_000_000_000)

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class ProposalOut(Schema):
    id: int
    number: int
    title: dict[str, str]
    text: dict[str, str]


class StanceOut(Schema):
    proposal: int
    stance: str
    source: str
    stated_on: str | None
    by_representative: bool


class RepresentativeOut(Schema):
    id: str
    name: str
    group: str
    party: str
    constituencies: list[str]
    messages: int
    stances: list[StanceOut]

    @staticmethod
    def resolve_id(rep: Any) -> str:
        return rep.external_id

    @staticmethod
    def resolve_constituencies(rep: Any) -> list[str]:
        return [c.code for c in rep.constituencies.all()]

    @staticmethod
    def resolve_messages(rep: Any) -> int:
        return rep.received

    @staticmethod
    def resolve_stances(rep: Any) -> list[dict[str, Any]]:
        return [
            {
                "proposal": s.proposal_id,
                "stance": s.position,
                "source": s.source,
                "stated_on": s.stated_on.isoformat() if s.stated_on else None,
                "by_representative": s.by_representative,
            }
            for s in sorted(rep.campaign_stances, key=lambda s: s.proposal_id)
            if s.position != Position.NO_ANSWER
        ]


class ScoreFilters(Schema):
    group: str | None = None
    area: str | None = None
    q: str | None = None


class PostcodeOut(Schema):
    postcode: str
    communes: list[dict[str, Any]]
    representatives: list[dict[str, Any]]


def _campaign(request, organisation: str, process: str, instance: str):
    if not all(SLUG.match(part) for part in (organisation, process, instance)):
        raise Http404
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    with scope(organisation=org):
        found = selectors.access_campaign(
            person=request.user, process_slug=process, instance_slug=instance
        )
        campaign = selectors.get_campaign(instance=found)
    return org, found, campaign


@router.get(BASE + "/proposals", response=list[ProposalOut])
def list_proposals(request, organisation: str, process: str, instance: str):
    """The campaign's proposals, numbered as on the scoreboard."""
    org, found, _campaign_ = _campaign(request, organisation, process, instance)
    with scope(organisation=org):
        return [
            {"id": p.pk, "number": n, "title": p.title, "text": p.text}
            for n, p in enumerate(selectors.proposals_of(instance=found), 1)
        ]


@router.get(BASE + "/scoreboard", response=list[RepresentativeOut])
@paginate(Pages)
def list_scoreboard(
    request, organisation: str, process: str, instance: str, filters: Query[ScoreFilters]
):
    """Every sitting representative with the stances recorded (by proposal id; proposals
    without one are left out: no answer) and the messages received from the campaign."""
    org, found, campaign = _campaign(request, organisation, process, instance)
    if campaign.directory is None:
        return []
    with scope(organisation=org):
        return selectors.scoreboard(
            instance=found,
            directory=campaign.directory,
            filters=selectors.ScoreFilters(
                group=(filters.group or "")[:200],
                area=(filters.area or "")[:80],
                q=(filters.q or "").replace("\x00", "")[:100],
            ),
        )


@router.get(BASE + "/postcodes/{postcode}", response=PostcodeOut)
def find_postcode(request, organisation: str, process: str, instance: str, postcode: str):
    """The communes a postcode serves, their constituencies and sitting representatives."""
    org, _found, campaign = _campaign(request, organisation, process, instance)
    if campaign.directory is None:
        raise Http404
    with scope(organisation=org):
        try:
            match = selectors.find_postcode(directory=campaign.directory, postcode=postcode[:10])
        except ValidationError as error:
            raise HttpError(422, error.message_dict["postcode"][0]) from None
        reps = selectors.representatives_in(directory=campaign.directory, area_codes=match.area_ids)
        return {
            "postcode": match.postcode,
            "communes": [
                {"code": c.code, "name": c.name, "constituencies": list(c.area_ids)}
                for c in match.communes
            ],
            "representatives": [
                {
                    "id": r.external_id,
                    "name": r.name,
                    "group": r.group,
                    "constituencies": [c.code for c in r.constituencies.all()],
                }
                for r in reps
            ],
        }
