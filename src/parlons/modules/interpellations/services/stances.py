"""Stances of representatives on a campaign's proposals: recorded by the organisers'
team from a reply (with its source and date), or given by the representative through
the personal link each of their messages carries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.permissions import Decision, Refused, roles_of
from parlons.core.processes.models import ModuleInstance
from parlons.modules.interpellations.models import (
    Campaign,
    Position,
    Proposal,
    Representative,
    Stance,
)

STANCE_SALT = "interpellations.stance"
LINK_VALIDITY = timedelta(days=180)
STAFF = ("admin", "evaluator")


def stance_link_token(*, instance: ModuleInstance, representative: Representative) -> str:
    """The signed token of a representative's personal link for one campaign."""
    return signing.dumps({"i": instance.pk, "r": representative.pk}, salt=STANCE_SALT)


def stance_link_path(instance: ModuleInstance, representative: Representative) -> str:
    return reverse(
        "interpellations:stance_link",
        kwargs={
            "organisation_slug": instance.process.organisation.slug,
            "process_slug": instance.process.slug,
            "instance_slug": instance.slug,
            "token": stance_link_token(instance=instance, representative=representative),
        },
    )


def read_stance_token(token: str) -> tuple[int, int]:
    """(instance id, representative id) of a personal link, or ValidationError."""
    try:
        data = signing.loads(token, salt=STANCE_SALT, max_age=LINK_VALIDITY.total_seconds())
    except signing.BadSignature:
        raise ValidationError(
            _("This personal link is not valid or has expired. Ask the organisers for a new one."),
            code="link",
        ) from None
    return int(data["i"]), int(data["r"])


def _positions(instance: ModuleInstance, positions: Mapping[Any, str]) -> dict[Proposal, str]:
    proposals = {str(p.pk): p for p in Proposal.objects.filter(instance=instance)}
    chosen = {}
    for key, value in positions.items():
        proposal = proposals.get(str(key))
        if proposal is None:
            raise ValidationError(_("This proposal is not part of the campaign."), code="proposal")
        if value not in Position.values:
            raise ValidationError(_("Choose a stance for each proposal."), code="position")
        chosen[proposal] = value
    if not chosen:
        raise ValidationError(_("Choose a stance for at least one proposal."), code="position")
    return chosen


def check_record_stances(
    *,
    person: Any,
    instance: ModuleInstance,
    representative: Representative,
    positions: Mapping[Any, str],
    source: str = "",
    stated_on: date | None = None,
    comment: str = "",
    by_representative: bool = False,
) -> dict[Proposal, str]:
    """May these stances be recorded? Staff (admins, evaluators) give the reply's source
    and date; a representative's own stances come through their personal link."""
    if not by_representative:
        held = roles_of(person=person, organisation=instance.process.organisation)
        if not held & set(STAFF):
            raise Refused(
                Decision(False, "role_required", _("Only the organisers' team can do this."))
            )
        errors = {}
        if not (source or "").strip():
            errors["source"] = [_("Say where the stance comes from (a reply, a link…).")]
        if stated_on is None:
            errors["stated_on"] = [_("Give the date of the reply.")]
        elif stated_on > timezone.localdate():
            errors["stated_on"] = [_("The date cannot be in the future.")]
        if errors:
            raise ValidationError(errors)
    campaign = Campaign.objects.filter(instance=instance).first()
    if campaign is None or campaign.directory_id != representative.directory_id:
        raise ValidationError(_("This representative is not part of the campaign."), code="rep")
    if len(source or "") > 500:
        raise ValidationError({"source": [_("500 characters at most.")]})
    if comment:
        clean_text(comment, max_length=5000, min_length=0)
    return _positions(instance, positions)


@transaction.atomic
def do_record_stances(
    *,
    person: Any,
    instance: ModuleInstance,
    representative: Representative,
    positions: Mapping[Any, str],
    source: str = "",
    stated_on: date | None = None,
    comment: str = "",
    by_representative: bool = False,
) -> list[Stance]:
    """Record (or replace) the representative's stance on each proposal given."""
    chosen = check_record_stances(
        person=person,
        instance=instance,
        representative=representative,
        positions=positions,
        source=source,
        stated_on=stated_on,
        comment=comment,
        by_representative=by_representative,
    )
    Representative.objects.select_for_update().filter(pk=representative.pk).first()
    stances = []
    for proposal, position in chosen.items():
        stance, _created = Stance.objects.update_or_create(
            proposal=proposal,
            representative=representative,
            defaults={
                "position": position,
                "source": (source or "").strip()
                or (_("Stated by the representative") if by_representative else ""),
                "stated_on": stated_on or timezone.localdate(),
                "comment": (comment or "").strip(),
                "by_representative": by_representative,
                "recorded_by": person if getattr(person, "is_authenticated", False) else None,
            },
        )
        stances.append(stance)
    log_action(
        actor=person,
        code="interpellations.stance.recorded",
        target=instance,
        data={"representative": representative.pk, "stances": len(stances),
              "by_representative": by_representative},
    )  # fmt: skip
    return stances


@transaction.atomic
def do_send_stance_links(
    *, actor: Any, instance: ModuleInstance, representatives: Sequence[Representative]
) -> int:
    """E-mail each representative their personal link to state their stances."""
    from parlons.core.notifications.services import queue_email
    from parlons.modules.interpellations.services.messages import _absolute

    organisation = instance.process.organisation
    sent = 0
    for rep in representatives:
        if not rep.email:
            continue
        queue_email(
            to=rep.email,
            template="interpellations/email/stance_link",
            context={
                "instance": instance,
                "organisation": organisation,
                "representative": rep,
                "link": _absolute(stance_link_path(instance, rep)),
            },
            language=organisation.default_language,
        )
        sent += 1
    log_action(
        actor=actor,
        code="interpellations.stance_links.sent",
        target=instance,
        data={"representatives": sent},
    )
    return sent
