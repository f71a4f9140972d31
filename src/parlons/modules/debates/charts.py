"""Charts drawn on the server as SVG geometry (no script): the opinion map and the
balance of positions over time.  Templates draw what these return; each chart has a
table beside it that says the same in text."""

from __future__ import annotations

from typing import Any

SIZE = 400
PAD = 20
MOST_POINTS = 3000


def _scale(values: list[float]) -> tuple[float, float]:
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    return low, (high - low) or 1.0


def map_points(*, participants: dict[str, Any], me: str | None) -> dict[str, Any]:
    """Participants as points in a SIZE × SIZE box (at most MOST_POINTS, evenly taken),
    with their group class; the person's own point apart."""
    items = sorted(participants.items(), key=lambda kv: int(kv[0]))
    step = max(1, len(items) // MOST_POINTS)
    shown = items[::step]
    xs = [p["x"] for _k, p in items] or [0.0]
    ys = [p["y"] for _k, p in items] or [0.0]
    (x0, dx), (y0, dy) = _scale(xs), _scale(ys)
    inner = SIZE - 2 * PAD

    def at(p: dict) -> tuple[float, float]:
        return (
            round(PAD + (p["x"] - x0) / dx * inner, 1),
            round(PAD + (1 - (p["y"] - y0) / dy) * inner, 1),
        )

    points = [
        {"cx": at(p)[0], "cy": at(p)[1], "group": p["group"] if p["group"] is not None else "none"}
        for key, p in shown
        if key != me
    ]
    mine = None
    if me and me in participants:
        mine = dict(zip(("cx", "cy"), at(participants[me]), strict=True))
    return {"size": SIZE, "points": points, "me": mine, "at": at}


def group_centres(*, groups: list[dict], chart: dict[str, Any]) -> list[dict]:
    at = chart["at"]
    return [
        {
            "label": g["label"],
            "id": g["id"],
            **dict(zip(("cx", "cy"), at({"x": g["center"][0], "y": g["center"][1]}), strict=True)),
        }
        for g in groups
        if "center" in g
    ]


def balance_bars(*, balance: Any) -> list[dict]:
    """The three shares of a balance as widths of a 100-unit bar."""
    total = balance.total or 1
    start, bars = 0.0, []
    for name, count in (
        ("favour", balance.favour),
        ("undecided", balance.undecided),
        ("against", balance.against),
    ):
        width = round(100 * count / total, 2)
        bars.append({"name": name, "x": start, "width": width, "count": count})
        start += width
    return bars
