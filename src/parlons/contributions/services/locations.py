"""Locations: a point and/or an address, and the area, checked against the process."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parlons.contributions.audit import code
from parlons.contributions.models import Location
from parlons.contributions.targets import targets
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action

PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class LocationInput:
    """A checked location (``None`` fields are absent)."""

    latitude: Decimal | None
    longitude: Decimal | None
    address: str
    area: Any

    @property
    def empty(self) -> bool:
        return self.latitude is None and not self.address and self.area is None


def _coordinate(value: Any, bound: int, message: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".")).quantize(PLACES)
    except (InvalidOperation, ValueError):
        raise ValidationError(message, code="coordinate") from None
    if not number.is_finite() or abs(number) > bound:
        raise ValidationError(message, code="coordinate")
    return number


def check_location(
    *,
    instance: Any,
    latitude: Any = None,
    longitude: Any = None,
    address: str = "",
    area: Any = None,
) -> LocationInput:
    """A location for an object of ``instance``: both coordinates or none, the area one
    of the process's areas (or of its organisation when the process names none).

    ``area`` is an :class:`~parlons.core.processes.models.Area` or None.
    """
    lat = _coordinate(latitude, 90, _("The latitude is a number between -90 and 90."))
    lon = _coordinate(longitude, 180, _("The longitude is a number between -180 and 180."))
    if (lat is None) != (lon is None):
        raise ValidationError(_("Give both the latitude and the longitude, or neither."))
    text = clean_text(address, max_length=200, min_length=0) if address else ""
    if area is not None:
        process = instance.process
        allowed = process.areas.all() if process.areas.exists() else None
        if allowed is None:
            from parlons.core.processes.models import Area

            allowed = Area.objects.filter(organisation=process.organisation_id)
        if not allowed.filter(pk=area.pk).exists():
            raise ValidationError(_("This area is not part of this process."), code="area")
    return LocationInput(lat, lon, text, area)


@transaction.atomic
def do_set_location(*, person: Any, obj: Any, location: LocationInput) -> Location | None:
    """Set (or clear, for an empty input) the location of ``obj``."""
    target = targets.of(obj)
    if location.empty:
        Location.objects.filter(target_type=target.label, target_id=obj.pk).delete()
        return None
    row, _created = Location.objects.update_or_create(
        target_type=target.label,
        target_id=obj.pk,
        defaults={
            "instance": target.instance_of(obj),
            "latitude": location.latitude,
            "longitude": location.longitude,
            "address": location.address,
            "area": location.area,
        },
    )
    log_action(actor=person, code=code(target.module, "location.set"), target=obj)
    return row
