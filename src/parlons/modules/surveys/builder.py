"""Edits of a definition made by the back-office builder (pure: a new definition out).

Each function returns a changed deep copy; ``services.do_save_definition`` validates and
stores it, so a builder edit that would break the questionnaire (a cycle, a duplicate
key) is refused with the same messages as an imported definition.
"""

from __future__ import annotations

import copy
from typing import Any

from parlons.modules.surveys.definition import MATRIX, WITH_OPTIONS


def lines_by_language(texts: dict[str, str]) -> list[dict[str, str]]:
    """One translated label per line: line i of each language's text is option i."""
    split = {
        code: [line.strip() for line in text.splitlines() if line.strip()]
        for code, text in texts.items()
    }
    count = max((len(lines) for lines in split.values()), default=0)
    return [
        {code: lines[i] for code, lines in split.items() if i < len(lines)} for i in range(count)
    ]


def labels_as_lines(items: list[dict], languages: list[str]) -> dict[str, str]:
    return {code: "\n".join(item["label"].get(code, "") for item in items) for code in languages}


def _with_codes(labels: list[dict[str, str]], existing: list[dict]) -> list[dict]:
    codes = [o["code"] for o in existing]
    result = []
    for position, label in enumerate(labels):
        if position < len(codes):
            code = codes[position]
        else:
            code = max([*codes, *[o["code"] for o in result], 0]) + 1
        result.append({"code": code, "label": label})
    return result


def question_from_form(*, data: dict, existing: dict | None, areas: list[tuple[str, dict]]) -> dict:
    """A question of the definition from the cleaned builder form."""
    existing = existing or {}
    kind = data["type"]
    question: dict[str, Any] = {
        "key": data["key"],
        "type": kind,
        "text": data["text"],
        "help": data.get("help") or {},
        "required": data.get("required", False),
        "condition": data.get("condition"),
    }
    option_labels = lines_by_language(data.get("options") or {})
    if kind in WITH_OPTIONS:
        if kind in ("area", "location") and not option_labels:
            question["options"] = [
                {"code": i, "label": name, "area": code}
                for i, (code, name) in enumerate(areas, start=1)
            ]
        else:
            question["options"] = _with_codes(option_labels, existing.get("options", []))
        question["random_order"] = data.get("random_order", False)
    if kind in ("single", "multiple", "dropdown"):
        question["other"] = data.get("other", False)
    if kind in MATRIX:
        question["columns"] = _with_codes(option_labels, existing.get("columns", []))
        question["rows"] = _with_codes(
            lines_by_language(data.get("rows") or {}), existing.get("rows", [])
        )
    if kind == "scale":
        low = data.get("scale_min") if data.get("scale_min") is not None else 1
        high = data.get("scale_max") if data.get("scale_max") is not None else 5
        labels = {}
        if data.get("scale_low"):
            labels[str(low)] = data["scale_low"]
        if data.get("scale_high"):
            labels[str(high)] = data["scale_high"]
        question["scale"] = {"min": low, "max": high, "labels": labels}
    if kind == "number":
        question.update(
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            integer=data.get("integer", False),
        )
    correct = [
        int(c) if c.strip().isdigit() else c.strip()
        for c in (data.get("correct") or "").split(",")
        if c.strip()
    ]
    if correct:
        question.update(
            correct=correct,
            explanation=data.get("explanation") or {},
            points=data.get("points") or 1,
        )
    return question


def form_initial(question: dict, languages: list[str]) -> tuple[dict, dict]:
    """(initial values, initial texts) of the builder form for an existing question."""
    kind = question["type"]
    initial = {
        "key": question["key"],
        "type": kind,
        "required": question.get("required", False),
        "other": question.get("other", False),
        "random_order": question.get("random_order", False),
        "minimum": question.get("minimum"),
        "maximum": question.get("maximum"),
        "integer": question.get("integer", False),
        "correct": ",".join(str(c) for c in question.get("correct", [])),
        "points": question.get("points", 1),
    }
    texts = {
        "text": question["text"],
        "help": question.get("help", {}),
        "explanation": question.get("explanation", {}),
    }
    if kind in MATRIX:
        texts["options"] = labels_as_lines(question["columns"], languages)
        texts["rows"] = labels_as_lines(question["rows"], languages)
    elif kind in WITH_OPTIONS and kind not in ("area", "location"):
        texts["options"] = labels_as_lines(question["options"], languages)
    if kind == "scale":
        initial.update(scale_min=question["scale"]["min"], scale_max=question["scale"]["max"])
        labels = question["scale"].get("labels", {})
        texts["scale_low"] = labels.get(str(question["scale"]["min"]), {})
        texts["scale_high"] = labels.get(str(question["scale"]["max"]), {})
    return initial, texts


def put_question(definition: dict, *, page_key: str, question: dict, replace: str | None) -> dict:
    new = copy.deepcopy(definition)
    for page in new["pages"]:
        for index, existing in enumerate(page["questions"]):
            if existing["key"] == replace:
                page["questions"][index] = question
                return new
    for page in new["pages"]:
        if page["key"] == page_key:
            page["questions"].append(question)
    return new


def put_page(definition: dict, *, page: dict, replace: str | None) -> dict:
    new = copy.deepcopy(definition)
    for index, existing in enumerate(new["pages"]):
        if existing["key"] == replace:
            page["questions"] = existing["questions"]
            new["pages"][index] = page
            return new
    page.setdefault("questions", [])
    new["pages"].append(page)
    return new


def remove(definition: dict, *, key: str) -> dict:
    new = copy.deepcopy(definition)
    new["pages"] = [p for p in new["pages"] if p["key"] != key]
    for page in new["pages"]:
        page["questions"] = [q for q in page["questions"] if q["key"] != key]
    new["sections"] = [s for s in new["sections"] if s["key"] != key]
    for page in new["pages"]:
        if page.get("section") == key:
            page["section"] = ""
    return new


def move(definition: dict, *, key: str, step: int) -> dict:
    new = copy.deepcopy(definition)
    for items in [new["pages"], *[p["questions"] for p in new["pages"]]]:
        keys = [item["key"] for item in items]
        if key in keys:
            i = keys.index(key)
            j = min(max(0, i + step), len(items) - 1)
            items[i], items[j] = items[j], items[i]
    return new


def earlier_questions(definition: dict, *, before_page: str | None) -> list[dict]:
    """Questions on pages before ``before_page`` (every question when None)."""
    found = []
    for page in definition["pages"]:
        if page["key"] == before_page:
            break
        found.extend(page["questions"])
    return found
