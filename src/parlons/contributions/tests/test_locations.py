"""Locations: coordinates in range, both or none, the area one of the process's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from parlons.contributions.maps import allow_tiles, map_data
from parlons.contributions.models import Location
from parlons.contributions.services import check_location, do_set_location
from parlons.core.processes.models import Area

pytestmark = pytest.mark.django_db


def test_a_location_is_stored_and_replaced(idea_box, make_idea, make_participant):
    area = Area.objects.create(organisation=idea_box.organisation, code="centre", name={"fr": "C"})
    idea = make_idea(idea_box)
    place = check_location(
        instance=idea_box.instance,
        latitude="45,18853",
        longitude="5.724524",
        address="Place Grenette",
        area=area,
    )
    do_set_location(person=make_participant(), obj=idea, location=place)
    row = Location.objects.get()
    assert (row.latitude, row.longitude, row.address, row.area) == (
        Decimal("45.188530"),
        Decimal("5.724524"),
        "Place Grenette",
        area,
    )
    empty = check_location(instance=idea_box.instance)
    do_set_location(person=make_participant(), obj=idea, location=empty)
    assert Location.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"latitude": "91", "longitude": "5"}, "The latitude is a number between -90 and 90."),
        (
            {"latitude": "45", "longitude": "-181"},
            "The longitude is a number between -180 and 180.",
        ),
        ({"latitude": "nord", "longitude": "5"}, "The latitude is a number between -90 and 90."),
        ({"latitude": "NaN", "longitude": "5"}, "The latitude is a number between -90 and 90."),
        ({"latitude": "45"}, "Give both the latitude and the longitude, or neither."),
        ({"address": "<b>ici</b>"}, None),
    ],
)
def test_a_bad_location_is_refused(idea_box, values, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        check_location(instance=idea_box.instance, **values)
    if message:
        assert refused.value.messages == [message]


def test_the_area_must_belong_to_the_process(idea_box, make_organisation):
    mine = Area.objects.create(organisation=idea_box.organisation, code="a", name={"fr": "A"})
    other = Area.objects.create(organisation=idea_box.organisation, code="b", name={"fr": "B"})
    foreign = Area.objects.create(organisation=make_organisation(), code="c", name={"fr": "C"})
    assert check_location(instance=idea_box.instance, area=other).area == other
    with pytest.raises(ValidationError):
        check_location(instance=idea_box.instance, area=foreign)
    idea_box.process.areas.set([mine])
    with pytest.raises(ValidationError):
        check_location(instance=idea_box.instance, area=other)


def test_the_schematic_map_keeps_the_places_in_their_relative_positions(idea_box):
    west = Location(latitude=Decimal("45.0"), longitude=Decimal("5.0"))
    east = Location(latitude=Decimal("45.0"), longitude=Decimal("6.0"))
    north = Location(latitude=Decimal("45.5"), longitude=Decimal("5.5"))
    nowhere = Location(address="Quelque part")
    data = map_data(
        instance=idea_box.instance,
        places=[("W", "/w", west), ("E", "/e", east), ("N", "/n", north), ("?", "/x", nowhere)],
    )
    assert [p.number for p in data.points] == [1, 2, 3, 4]
    assert [p.label for p in data.located] == ["W", "E", "N"]
    w, e, n = data.located
    assert w.x < n.x < e.x and n.y < w.y and w.y == e.y
    assert data.tile_url == ""


def test_a_tile_server_is_admitted_by_the_page_policy_only_when_configured(settings):
    from django.http import HttpResponse

    untouched = allow_tiles(HttpResponse(), tiles="")
    assert not hasattr(untouched, "_csp_config")
    response = allow_tiles(HttpResponse(), tiles="https://tile.example.org/{z}/{x}/{y}.png")
    assert response._csp_config["img-src"][-1] == "https://tile.example.org"
    assert response._csp_config["script-src"] == settings.SECURE_CSP["script-src"]
