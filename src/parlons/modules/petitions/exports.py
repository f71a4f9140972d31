"""Exports: signatures for the owner (consenting signers only), counts by area for all."""

from __future__ import annotations

import csv
from typing import Any

from django.utils import timezone

from parlons.modules.petitions.counting import COUNTED
from parlons.modules.petitions.models import Petition, Signature
from parlons.modules.petitions.selectors import get_counts_by_area

SIGNATURE_COLUMNS = [
    "petition",
    "name",
    "email",
    "postcode",
    "comment",
    "signed_at",
    "confirmed_at",
]


def write_signatures_csv(*, petitions, stream) -> int:
    """Counted signatures of signers who consented to be contacted; returns the rows."""
    writer = csv.writer(stream)
    writer.writerow(SIGNATURE_COLUMNS)
    rows = (
        Signature._base_manager.filter(COUNTED, petition__in=petitions, consent=True)
        .exclude(email__isnull=True)
        .order_by("petition_id", "pk")
        .values_list(
            "petition_id", "name", "email", "postcode", "comment", "created_at", "confirmed_at"
        )
    )
    n = 0
    for row in rows.iterator(chunk_size=2000):
        *head, signed, confirmed = row
        writer.writerow(
            [
                *head,
                timezone.localtime(signed).isoformat(),
                timezone.localtime(confirmed).isoformat(),
            ]
        )
        n += 1
    return n


def write_areas_csv(*, petitions, stream) -> None:
    """Public: the counted signatures of each petition by area ('' = no known area)."""
    writer = csv.writer(stream)
    writer.writerow(["petition", "title", "area", "area_name", "signatures"])
    for petition in petitions:
        for row in get_counts_by_area(petition=petition):
            writer.writerow([petition.pk, petition.title, row["code"], row["name"], row["count"]])


def instance_signatures(instance: Any, stream) -> None:
    write_signatures_csv(petitions=Petition.objects.filter(instance=instance), stream=stream)


def instance_areas(instance: Any, stream) -> None:
    write_areas_csv(
        petitions=Petition.objects.filter(instance=instance, status="published"), stream=stream
    )
