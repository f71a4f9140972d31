"""Exports of a campaign, open data: each representative's stances (one row per
representative and proposal) and the number of messages each one received."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from parlons.formats.tabular import iter_csv
from parlons.lib.i18n import pick
from parlons.modules.interpellations.models import (
    Campaign,
    Position,
    Proposal,
    Representative,
    Stance,
)

STANCE_HEADER = ("representative_id", "representative", "group", "constituencies", "proposal",
                 "proposal_title", "stance", "source", "stated_on", "by_representative")  # fmt: skip
COUNT_HEADER = ("representative_id", "representative", "group", "constituencies", "messages")
LABELS = {
    "stances-csv": _("Stances of the representatives (CSV)"),
    "messages-csv": _("Messages received by each representative (CSV)"),
}


def _representatives(instance: Any):
    campaign = Campaign.objects.filter(instance=instance).first()
    if campaign is None or campaign.directory_id is None:
        return Representative.objects.none()
    return Representative.objects.filter(
        directory_id=campaign.directory_id, left_at__isnull=True
    ).prefetch_related("constituencies")


def _areas(rep: Representative) -> str:
    return "; ".join(c.code for c in rep.constituencies.all())


def stance_rows(*, instance: Any) -> Iterator[tuple]:
    """Every representative × proposal, ``no_answer`` where nothing was recorded."""
    proposals = list(Proposal.objects.filter(instance=instance))
    stances = {
        (s.representative_id, s.proposal_id): s
        for s in Stance.objects.filter(proposal__instance=instance)
    }
    for rep in _representatives(instance).iterator(chunk_size=500):
        for number, proposal in enumerate(proposals, 1):
            stance = stances.get((rep.pk, proposal.pk))
            yield (
                rep.external_id,
                rep.name,
                rep.group,
                _areas(rep),
                number,
                pick(proposal.title),
                stance.position if stance else Position.NO_ANSWER,
                stance.source if stance else "",
                stance.stated_on.isoformat() if stance and stance.stated_on else "",
                "yes" if stance and stance.by_representative else "",
            )


def count_rows(*, instance: Any) -> Iterator[tuple]:
    reps = _representatives(instance).annotate(
        received=Count(
            "messages", filter=Q(messages__instance=instance, messages__sent_at__isnull=False)
        )
    )
    for rep in reps.iterator(chunk_size=500):
        yield (rep.external_id, rep.name, rep.group, _areas(rep), rep.received)


def stances_csv(*, instance: Any) -> Iterator[bytes]:
    return iter_csv(header=STANCE_HEADER, rows=stance_rows(instance=instance))


def counts_csv(*, instance: Any) -> Iterator[bytes]:
    return iter_csv(header=COUNT_HEADER, rows=count_rows(instance=instance))


STREAMS = {"stances-csv": stances_csv, "messages-csv": counts_csv}


def _write(chunks: Iterator[bytes], stream: Any) -> None:
    for chunk in chunks:
        stream.write(chunk)


def write_stances_csv(*, instance: Any, stream: Any) -> None:
    _write(stances_csv(instance=instance), stream)


def write_message_counts_csv(*, instance: Any, stream: Any) -> None:
    _write(counts_csv(instance=instance), stream)
