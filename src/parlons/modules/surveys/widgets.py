"""What a template needs to draw one question: labels in the visitor's language, values, errors."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from parlons.lib.i18n import pick
from parlons.modules.surveys.definition import MATRIX, OTHER, choice_labels


def widget(
    *,
    question: Mapping,
    answers: Mapping[str, Any],
    posted: Mapping | None,
    error: str | None,
    seed: str,
) -> dict:
    """The context of ``surveys/_question.html`` for one question."""
    key, kind = question["key"], question["type"]
    name = f"q-{key}"
    value = answers.get(key)
    context = {
        "key": key,
        "kind": kind,
        "name": name,
        "id": f"id-{key}",
        "text": pick(question["text"]),
        "help": pick(question.get("help")),
        "required": question.get("required", False),
        "error": error,
        "value": _posted_value(posted, name, value),
        "other_text": (posted.get(f"{name}-other") if posted else answers.get(f"{key}.{OTHER}"))
        or "",
    }
    if kind in ("single", "dropdown", "multiple", "scale", "consent", "area"):
        pairs = choice_labels(question)
        chosen = _chosen(posted, name, value, kind)
        options = [
            {
                "value": str(code),
                "label": pick(label) if not isinstance(label, str) else label,
                "checked": str(code) in chosen,
                "id": f"id-{key}-{index}",
            }
            for index, (code, label) in enumerate(pairs)
        ]
        if question.get("random_order"):
            fixed = [o for o in options if o["value"] == OTHER]
            movable = [o for o in options if o["value"] != OTHER]
            random.Random(f"{seed}:{key}").shuffle(movable)
            options = movable + fixed
        context["options"] = options
        if kind == "scale":
            context["scale_low"] = pick(
                question["scale"]["labels"].get(str(question["scale"]["min"]))
            )
            context["scale_high"] = pick(
                question["scale"]["labels"].get(str(question["scale"]["max"]))
            )
    if kind == "ranking":
        order = list(value or [])
        context["options"] = [
            {
                "code": o["code"],
                "label": pick(o["label"]),
                "id": f"id-{key}-{o['code']}",
                "position": _rank(posted, f"{name}-{o['code']}", order, o["code"]),
            }
            for o in question["options"]
        ]
        context["positions"] = list(range(1, len(question["options"]) + 1))
    if kind in MATRIX:
        cells = value or {}
        context["rows"] = [
            {
                "label": pick(r["label"]),
                "name": f"{name}-{r['code']}",
                "id": f"id-{key}-{r['code']}",
                "columns": [
                    {
                        "value": str(c["code"]),
                        "label": pick(c["label"]),
                        "id": f"id-{key}-{r['code']}-{c['code']}",
                        "checked": str(c["code"])
                        in _cell(posted, f"{name}-{r['code']}", cells.get(str(r["code"]))),
                    }
                    for c in question["columns"]
                ],
            }
            for r in question["rows"]
        ]
    if kind == "location":
        place = value or {}
        context["areas"] = [
            {
                "value": str(o["code"]),
                "label": pick(o["label"]),
                "selected": str(o["code"]) == str(place.get("area", "")),
            }
            for o in question["options"]
        ]
        context["lat"] = (posted.get(f"{name}-lat") if posted else place.get("lat")) or ""
        context["lon"] = (posted.get(f"{name}-lon") if posted else place.get("lon")) or ""
        context["place"] = (posted.get(f"{name}-place") if posted else place.get("place")) or ""
    if kind == "file":
        context["kept"] = (value or {}).get("name", "")
        context["extensions"] = ", ".join(question["extensions"])
        context["accept"] = ",".join(f".{e}" for e in question["extensions"])
    if kind == "number":
        context["minimum"] = question.get("minimum")
        context["maximum"] = question.get("maximum")
    return context


def _posted_value(posted, name, value):
    if posted is not None:
        return posted.get(name, "")
    if value is None or isinstance(value, list | dict):
        return ""
    return value


def _chosen(posted, name, value, kind) -> set[str]:
    if posted is not None:
        return (
            set(posted.getlist(name)) if hasattr(posted, "getlist") else {str(posted.get(name, ""))}
        )
    if value is None:
        return set()
    if kind == "consent":
        return {"1"}
    return {str(v) for v in value} if isinstance(value, list) else {str(value)}


def _cell(posted, name, stored) -> set[str]:
    if posted is not None:
        return (
            set(posted.getlist(name)) if hasattr(posted, "getlist") else {str(posted.get(name, ""))}
        )
    if stored is None:
        return set()
    return {str(v) for v in stored} if isinstance(stored, list) else {str(stored)}


def _rank(posted, name, order, code) -> str:
    if posted is not None:
        return posted.get(name, "")
    return str(order.index(code) + 1) if code in order else ""
