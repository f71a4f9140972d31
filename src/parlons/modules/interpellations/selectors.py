"""Every read of the interpellation module: campaigns, postcode look-ups, the scoreboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from parlons.core.processes.models import ModuleInstance
from parlons.core.processes.selectors import access_instance
from parlons.formats.representatives import CommuneMatch, PostcodeMatch
from parlons.modules.interpellations.models import (
    Campaign,
    Constituency,
    Directory,
    Message,
    PostcodeCommune,
    Proposal,
    Representative,
    Stance,
)


def access_campaign(*, person: Any, process_slug: str, instance_slug: str) -> ModuleInstance:
    """The campaign's instance if ``person`` may see it (the same 404 otherwise)."""
    return access_instance(
        person=person,
        process_slug=process_slug,
        instance_slug=instance_slug,
        module="interpellations",
    )


def get_campaign(*, instance: ModuleInstance) -> Campaign:
    """The campaign of an instance (an empty one until the organisers set it up)."""
    campaign = Campaign.objects.select_related("directory").filter(instance=instance).first()
    return campaign or Campaign(instance=instance)


def has_postcodes(*, directory: Directory) -> bool:
    return PostcodeCommune.objects.filter(directory=directory).exists()


def normalise_postcode(postcode: str) -> str:
    """A French postcode as five digits, or ValidationError."""
    code = (postcode or "").replace(" ", "").strip()
    if not code.isdigit() or len(code) not in (4, 5):
        raise ValidationError(
            {"postcode": _("“%(postcode)s” is not a postcode: write its five digits.")
             % {"postcode": (postcode or "")[:20]}},
            code="postcode",
        )  # fmt: skip
    return code.zfill(5)


def find_postcode(*, directory: Directory, postcode: str) -> PostcodeMatch:
    """The communes and constituencies of a postcode in the directory's table.

    An unknown or malformed postcode is a translated ValidationError on ``postcode``.
    """
    code = normalise_postcode(postcode)
    rows = list(PostcodeCommune.objects.filter(directory=directory, postcode=code).order_by("pk"))
    if not rows:
        raise ValidationError(
            {"postcode": _("The postcode %(postcode)s is unknown. Check it and try again.")
             % {"postcode": code}},
            code="unknown_postcode",
        )  # fmt: skip
    communes = tuple(
        CommuneMatch(
            r.commune_code,
            r.commune_name,
            tuple(r.area_codes),
            split=len(r.area_codes) > 1,
            exact=r.exact,
        )
        for r in rows
    )
    return PostcodeMatch(code, communes)


@dataclass(frozen=True)
class AreaChoice:
    """One answer to "where do you live?": a commune (and a constituency where it is split)."""

    value: str
    label: str


def area_choices(*, directory: Directory, match: PostcodeMatch) -> list[AreaChoice]:
    """The choices a participant picks from when a postcode spans several constituencies."""
    names = dict(
        Constituency.objects.filter(directory=directory, code__in=match.area_ids).values_list(
            "code", "name"
        )
    )
    choices = []
    for commune in match.communes:
        for code in commune.area_ids:
            label = commune.name.title() if commune.name.isupper() else commune.name
            if len(commune.area_ids) > 1 or len(match.communes) == 1:
                label = f"{label} — {names.get(code, code)}"
            choices.append(AreaChoice(f"{commune.code}:{code}", label))
    return choices


def active_representatives(*, directory: Directory) -> QuerySet[Representative]:
    return Representative.objects.filter(directory=directory, left_at__isnull=True)


def representatives_in(*, directory: Directory, area_codes: Any) -> list[Representative]:
    """Sitting representatives elected for any of ``area_codes``, with their constituencies."""
    return list(
        active_representatives(directory=directory)
        .filter(constituencies__code__in=list(area_codes))
        .distinct()
        .prefetch_related("constituencies")
    )


def proposals_of(*, instance: ModuleInstance) -> list[Proposal]:
    return list(Proposal.objects.filter(instance=instance))


def groups_of(*, directory: Directory) -> list[str]:
    return list(
        active_representatives(directory=directory)
        .exclude(group="")
        .order_by("group")
        .values_list("group", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class ScoreFilters:
    group: str = ""
    area: str = ""
    q: str = ""


def scoreboard(
    *, instance: ModuleInstance, directory: Directory, filters: ScoreFilters
) -> QuerySet[Representative]:
    """Representatives with their stances on this campaign's proposals and the number of
    messages they received from it (sent ones), in constant queries per page."""
    reps = active_representatives(directory=directory)
    if filters.group:
        reps = reps.filter(group=filters.group)
    if filters.area:
        reps = reps.filter(constituencies__code=filters.area)
    if filters.q:
        reps = reps.filter(name__icontains=filters.q)
    return (
        reps.order_by("family_name", "name", "pk")
        .annotate(
            received=Count(
                "messages",
                filter=Q(messages__instance=instance, messages__sent_at__isnull=False),
            )
        )
        .prefetch_related(
            "constituencies",
            Prefetch(
                "stances",
                queryset=Stance.objects.filter(proposal__instance=instance),
                to_attr="campaign_stances",
            ),
        )
    )


def stance_cells(*, representative: Representative, proposals: list[Proposal]) -> list:
    """The representative's stance on each proposal, in order (None: no answer yet)."""
    by_proposal = {s.proposal_id: s for s in getattr(representative, "campaign_stances", [])}
    return [by_proposal.get(p.pk) for p in proposals]


def access_representative(*, directory: Directory, pk: int) -> Representative:
    found = (
        Representative.objects.filter(directory=directory, pk=pk)
        .prefetch_related("constituencies")
        .first()
    )
    if found is None:
        raise Http404("No such representative")
    return found


def messages_received(*, instance: ModuleInstance, representative: Representative) -> int:
    return Message.objects.filter(
        instance=instance, representative=representative, sent_at__isnull=False
    ).count()


def totals(*, instance: ModuleInstance) -> dict[str, int]:
    """Messages sent, senders and representatives written to, for the campaign's page."""
    sent = Message.objects.filter(instance=instance, sent_at__isnull=False)
    return sent.aggregate(
        messages=Count("pk"),
        senders=Count("sender_key", distinct=True),
        representatives=Count("representative", distinct=True),
    )
