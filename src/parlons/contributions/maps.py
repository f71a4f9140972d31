"""Maps without third parties by default: a list of places, and a schematic plot.

With a tile URL configured (the instance's ``map_tile_url`` setting, else
``PARLONS["MAP_TILE_URL"]``), ``static/contributions/map.js`` draws the tiles and the
markers; the page's Content-Security-Policy then admits images from the tile server
only (:func:`allow_tiles`).  The list of places is always there: it is the accessible
alternative, and the whole map without JavaScript.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from parlons.contributions.models import Location
from parlons.contributions.selectors import tile_url

VIEW_WIDTH, VIEW_HEIGHT, PADDING = 600, 360, 24


@dataclass
class MapPoint:
    number: int
    label: str
    url: str
    location: Location
    x: float = 0.0
    y: float = 0.0


@dataclass
class MapData:
    points: list[MapPoint]
    tile_url: str = ""
    attribution: str = ""
    located: list[MapPoint] = field(default_factory=list)
    width: int = VIEW_WIDTH
    height: int = VIEW_HEIGHT

    @property
    def points_json(self) -> str:
        return json.dumps(
            [
                {
                    "n": p.number,
                    "label": p.label,
                    "url": p.url,
                    "lat": float(p.location.latitude),
                    "lon": float(p.location.longitude),
                }
                for p in self.located
            ]
        )


def _mercator(latitude: float, longitude: float) -> tuple[float, float]:
    latitude = max(min(latitude, 85.0), -85.0)
    radians = math.radians(latitude)
    return (longitude + 180.0) / 360.0, (1 - math.asinh(math.tan(radians)) / math.pi) / 2


def _plot(points: list[MapPoint]) -> None:
    """Place points in the schematic view, keeping the map's proportions."""
    if not points:
        return
    projected = [_mercator(float(p.location.latitude), float(p.location.longitude)) for p in points]
    xs, ys = [x for x, _y in projected], [y for _x, y in projected]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = min(VIEW_WIDTH - 2 * PADDING, VIEW_HEIGHT - 2 * PADDING) / span
    left = (VIEW_WIDTH - (max(xs) - min(xs)) * scale) / 2
    top = (VIEW_HEIGHT - (max(ys) - min(ys)) * scale) / 2
    for point, (x, y) in zip(points, projected, strict=True):
        point.x = round(left + (x - min(xs)) * scale, 1)
        point.y = round(top + (y - min(ys)) * scale, 1)


def map_data(*, instance: Any, places: list[tuple[str, str, Location]]) -> MapData:
    """Numbered points for ``places`` (label, url, location) on ``instance``'s map."""
    points = [
        MapPoint(number=n, label=label, url=url, location=location)
        for n, (label, url, location) in enumerate(places, start=1)
    ]
    located = [p for p in points if p.location.has_point]
    _plot(located)
    attribution = (instance.settings or {}).get("map_attribution") or ""
    return MapData(
        points=points, tile_url=tile_url(instance), attribution=attribution, located=located
    )


def allow_tiles(response: Any, *, tiles: str) -> Any:
    """Let the page load images from the tile server (and from nowhere else new)."""
    if not tiles:
        return response
    parts = urlsplit(tiles.replace("{s}", "a"))
    origin = f"{parts.scheme}://{parts.netloc}"
    if "{s}" in tiles:
        origin = f"{parts.scheme}://*.{parts.netloc.split('.', 1)[-1]}"
    policy = dict(getattr(response, "_csp_config", None) or settings.SECURE_CSP)
    policy["img-src"] = [*policy.get("img-src", []), origin]
    response._csp_config = policy
    return response
