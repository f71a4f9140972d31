"""A questionnaire definition: its pages and questions as one JSON document.

The definition is the whole questionnaire (sections, pages, questions, options,
conditions, quiz answers), stored in one column and validated here before any save:
keys, types, options, translations, and conditional display (rules that point at
unknown questions, at later pages, or that form a cycle are refused with a sentence
saying which). The *layout* turns it into numbered answer slots, so that a response can
be stored as a compact row of integer codes and numbers (see ``coding.py``).

Shape::

    {"sections": [{"key": "s1", "title": {"fr": ...}}],
     "pages": [{"key": "p1", "section": "s1", "title": {...}, "condition": null,
                "questions": [{"key": "q1", "type": "single", "text": {...},
                               "help": {...}, "required": true, "options":
                               [{"code": 1, "label": {...}}], "other": false,
                               "random_order": false, "condition": {...}}]}]}

A condition is ``{"mode": "all" | "any", "rules": [{"question": "q1", "op": "is",
"value": [1, 2]}]}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OTHER = "other"
MAX_MASK_OPTIONS = 31  # a multiple-choice answer is one 32-bit mask
MAX_OPTIONS = 200

TYPES = {
    "short_text": gettext_lazy("Short text"),
    "long_text": gettext_lazy("Long text"),
    "single": gettext_lazy("Single choice"),
    "multiple": gettext_lazy("Multiple choice"),
    "dropdown": gettext_lazy("Drop-down list"),
    "scale": gettext_lazy("Scale"),
    "ranking": gettext_lazy("Ranking"),
    "matrix_single": gettext_lazy("Matrix, one answer per row"),
    "matrix_multiple": gettext_lazy("Matrix, several answers per row"),
    "number": gettext_lazy("Number"),
    "date": gettext_lazy("Date"),
    "area": gettext_lazy("Postcode or area"),
    "file": gettext_lazy("File upload"),
    "location": gettext_lazy("Location"),
    "consent": gettext_lazy("Consent checkbox"),
}
WITH_OPTIONS = {"single", "multiple", "dropdown", "ranking", "area", "location"}
ONE_CODE = {"single", "dropdown", "scale", "area", "consent"}
TEXT_TYPES = {"short_text", "long_text"}
MATRIX = {"matrix_single", "matrix_multiple"}
OTHER_ALLOWED = {"single", "multiple", "dropdown"}
QUIZ_TYPES = {"single", "multiple", "dropdown", "scale"}
OPS = {
    "is": gettext_lazy("is one of"),
    "is_not": gettext_lazy("is none of"),
    "answered": gettext_lazy("is answered"),
    "not_answered": gettext_lazy("is not answered"),
    "gte": gettext_lazy("is at least"),
    "lte": gettext_lazy("is at most"),
}
CHOICE_OPS = {"is", "is_not", "answered", "not_answered"}
NUMBER_OPS = {"gte", "lte", "answered", "not_answered"}


def empty_definition() -> dict:
    return {"sections": [], "pages": []}


def texts(value: Any) -> dict[str, str]:
    """A translated text as a clean ``{language: text}`` dict (a plain string counts once)."""
    if isinstance(value, str):
        return {"fr": value} if value.strip() else {}
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v).strip() for k, v in value.items() if isinstance(v, str) and v.strip()}


def iter_questions(definition: Mapping) -> Iterator[tuple[dict, dict]]:
    """(page, question) pairs in the order respondents meet them."""
    for page in definition.get("pages", []):
        for question in page.get("questions", []):
            yield page, question


def questions_by_key(definition: Mapping) -> dict[str, dict]:
    return {q["key"]: q for _page, q in iter_questions(definition)}


def option_codes(question: Mapping) -> list[int]:
    """The codes a choice question accepts, in the organiser's order."""
    kind = question["type"]
    if kind == "scale":
        return list(range(int(question["scale"]["min"]), int(question["scale"]["max"]) + 1))
    if kind == "consent":
        return [1]
    if kind in MATRIX:
        return [c["code"] for c in question.get("columns", [])]
    return [o["code"] for o in question.get("options", [])]


def choice_labels(question: Mapping) -> list[tuple[Any, Any]]:
    """(code, translated label) for every answer of a choice question, "other" last."""
    kind = question["type"]
    if kind == "scale":
        labels = question["scale"].get("labels", {})
        return [(code, labels.get(str(code)) or str(code)) for code in option_codes(question)]
    if kind == "consent":
        return [(1, {"en": "I agree", "fr": "J'accepte", "de": "Ich stimme zu"})]
    if kind in MATRIX:
        return [(c["code"], c["label"]) for c in question.get("columns", [])]
    pairs = [(o["code"], o["label"]) for o in question.get("options", [])]
    if question.get("other"):
        pairs.append((OTHER, question.get("other_label") or _other_label()))
    return pairs


def _other_label() -> dict[str, str]:
    return {"fr": "Autre", "en": "Other", "de": "Andere"}


# --- validation -------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)


def check_definition(definition: Any) -> dict:
    """The definition, normalised, or ValidationError listing every problem found."""
    problems = _Problems()
    if not isinstance(definition, Mapping):
        raise ValidationError(_("A questionnaire definition is a JSON object."))
    clean = {
        "sections": [_clean_section(s, problems) for s in _list(definition.get("sections"))],
        "pages": [],
    }
    section_keys = [s["key"] for s in clean["sections"]]
    _unique(section_keys, _("section"), problems)
    for page in _list(definition.get("pages")):
        clean["pages"].append(_clean_page(page, problems, set(section_keys)))
    _unique([p["key"] for p in clean["pages"]], _("page"), problems)
    _unique([q["key"] for _p, q in iter_questions(clean)], _("question"), problems)
    if not problems.messages:
        _check_conditions(clean, problems)
    if problems.messages:
        raise ValidationError(problems.messages)
    return clean


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _unique(keys: list[str], what: str, problems: _Problems) -> None:
    seen = set()
    for key in keys:
        if key in seen:
            problems.add(
                _("The %(what)s key “%(key)s” is used twice.") % {"what": what, "key": key}
            )
        seen.add(key)


def _key(value: Any, what: str, problems: _Problems) -> str:
    key = str(value or "")
    if not KEY.match(key):
        problems.add(
            _(
                "“%(key)s” is not a valid %(what)s key: use lowercase letters, digits and _, "
                "starting with a letter."
            )
            % {"key": key, "what": what}
        )
    return key


def _clean_section(section: Any, problems: _Problems) -> dict:
    section = section if isinstance(section, Mapping) else {}
    return {
        "key": _key(section.get("key"), _("section"), problems),
        "title": texts(section.get("title")),
    }


def _clean_page(page: Any, problems: _Problems, sections: set[str]) -> dict:
    page = page if isinstance(page, Mapping) else {}
    key = _key(page.get("key"), _("page"), problems)
    section = str(page.get("section") or "")
    if section and section not in sections:
        problems.add(_("The page “%(page)s” names an unknown section.") % {"page": key})
    return {
        "key": key,
        "section": section,
        "title": texts(page.get("title")),
        "description": texts(page.get("description")),
        "condition": _clean_condition(page.get("condition"), key, problems),
        "questions": [_clean_question(q, problems) for q in _list(page.get("questions"))],
    }


def _clean_question(question: Any, problems: _Problems) -> dict:
    question = question if isinstance(question, Mapping) else {}
    key = _key(question.get("key"), _("question"), problems)
    kind = str(question.get("type") or "")
    if kind not in TYPES:
        problems.add(_("The question “%(key)s” has an unknown type.") % {"key": key})
        kind = "short_text"
    clean: dict[str, Any] = {
        "key": key,
        "type": kind,
        "text": texts(question.get("text")),
        "help": texts(question.get("help")),
        "required": bool(question.get("required")),
        "condition": _clean_condition(question.get("condition"), key, problems),
    }
    if not clean["text"]:
        problems.add(_("The question “%(key)s” has no text.") % {"key": key})
    if kind in WITH_OPTIONS:
        clean["options"] = _clean_options(question.get("options"), key, problems)
        minimum = 1 if kind == "location" else 2
        if kind != "location" and len(clean["options"]) < minimum:
            problems.add(_("The question “%(key)s” needs at least two options.") % {"key": key})
        clean["random_order"] = bool(question.get("random_order"))
    if kind in OTHER_ALLOWED:
        clean["other"] = bool(question.get("other"))
    if kind == "multiple" and len(clean["options"]) + clean["other"] > MAX_MASK_OPTIONS:
        problems.add(
            _("The question “%(key)s” has more than %(n)s options.")
            % {"key": key, "n": MAX_MASK_OPTIONS}
        )
    if kind == "scale":
        clean["scale"] = _clean_scale(question.get("scale"), key, problems)
    if kind in MATRIX:
        clean["rows"] = _clean_options(question.get("rows"), key, problems)
        clean["columns"] = _clean_options(question.get("columns"), key, problems)
        if not clean["rows"] or len(clean["columns"]) < 2:
            problems.add(
                _("The matrix “%(key)s” needs at least one row and two columns.") % {"key": key}
            )
        if kind == "matrix_multiple" and len(clean["columns"]) > MAX_MASK_OPTIONS:
            problems.add(
                _("The question “%(key)s” has more than %(n)s options.")
                % {"key": key, "n": MAX_MASK_OPTIONS}
            )
    if kind == "number":
        clean["minimum"] = _number_or_none(question.get("minimum"))
        clean["maximum"] = _number_or_none(question.get("maximum"))
        clean["integer"] = bool(question.get("integer"))
    if kind == "file":
        clean["extensions"] = [
            str(e).lower().lstrip(".") for e in _list(question.get("extensions")) if str(e).strip()
        ] or ["pdf", "jpg", "jpeg", "png"]
    if "correct" in question and question.get("correct") not in (None, [], ""):
        _clean_quiz(question, clean, problems)
    return clean


def _clean_options(options: Any, key: str, problems: _Problems) -> list[dict]:
    clean = []
    for position, option in enumerate(_list(options)[:MAX_OPTIONS], start=1):
        option = option if isinstance(option, Mapping) else {"label": option}
        code = option.get("code", position)
        if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code < 100000:
            problems.add(
                _("An option of “%(key)s” has a code that is not a whole number.") % {"key": key}
            )
            code = position
        label = texts(option.get("label"))
        if not label:
            problems.add(_("An option of “%(key)s” has no label.") % {"key": key})
        item = {"code": code, "label": label}
        if option.get("area"):
            item["area"] = str(option["area"])
        clean.append(item)
    codes = [o["code"] for o in clean]
    if len(set(codes)) != len(codes):
        problems.add(_("Two options of “%(key)s” have the same code.") % {"key": key})
    return clean


def _clean_scale(scale: Any, key: str, problems: _Problems) -> dict:
    scale = scale if isinstance(scale, Mapping) else {}
    try:
        low, high = int(scale.get("min", 1)), int(scale.get("max", 5))
    except (TypeError, ValueError):
        low, high = 1, 5
        problems.add(_("The scale “%(key)s” needs whole-number ends.") % {"key": key})
    if not (0 <= low < high <= low + 10):
        problems.add(
            _("The scale “%(key)s” must go up from its lowest point, by at most 10 steps.")
            % {"key": key}
        )
    labels = scale.get("labels") if isinstance(scale.get("labels"), Mapping) else {}
    return {
        "min": low,
        "max": high,
        "labels": {str(k): texts(v) for k, v in labels.items() if texts(v)},
    }


def _number_or_none(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _clean_quiz(question: Mapping, clean: dict, problems: _Problems) -> None:
    key = clean["key"]
    if clean["type"] not in QUIZ_TYPES:
        problems.add(_("The question “%(key)s” cannot have a correct answer.") % {"key": key})
        return
    correct = question.get("correct")
    correct = correct if isinstance(correct, list) else [correct]
    allowed = set(option_codes(clean))
    if not correct or any(c not in allowed for c in correct):
        problems.add(_("The correct answer of “%(key)s” is not one of its options.") % {"key": key})
    clean["correct"] = correct
    clean["explanation"] = texts(question.get("explanation"))
    clean["points"] = max(1, int(question.get("points") or 1))


def _clean_condition(condition: Any, owner: str, problems: _Problems) -> dict | None:
    if not condition:
        return None
    if not isinstance(condition, Mapping) or condition.get("mode", "all") not in ("all", "any"):
        problems.add(_("The condition on “%(key)s” is not valid.") % {"key": owner})
        return None
    rules = []
    for rule in _list(condition.get("rules")):
        if not isinstance(rule, Mapping) or rule.get("op") not in OPS:
            problems.add(_("The condition on “%(key)s” is not valid.") % {"key": owner})
            continue
        rules.append(
            {
                "question": str(rule.get("question") or ""),
                "op": rule["op"],
                "value": rule.get("value"),
            }
        )
    return {"mode": condition.get("mode", "all"), "rules": rules} if rules else None


def _check_conditions(definition: dict, problems: _Problems) -> None:
    """Conditions name known questions, values they accept, earlier pages; no cycle."""
    questions = questions_by_key(definition)
    page_of = {
        q["key"]: index for index, page in enumerate(definition["pages"]) for q in page["questions"]
    }
    graph: dict[str, list[str]] = {}
    for page in definition["pages"]:
        page_node = f"page:{page['key']}"
        graph[page_node] = [r["question"] for r in (page["condition"] or {}).get("rules", [])]
        for question in page["questions"]:
            depends = [r["question"] for r in (question["condition"] or {}).get("rules", [])]
            graph[question["key"]] = [page_node, *depends]
    cycle = _find_cycle(graph)
    if cycle:
        names = " → ".join(node.replace("page:", _("page") + " ") for node in cycle)
        problems.add(
            _(
                "The display conditions form a cycle (%(cycle)s): no order of pages can satisfy them."
            )
            % {"cycle": names}
        )
        return
    for index, page in enumerate(definition["pages"]):
        owners = [(page["key"], page["condition"], index, True)]
        owners += [(q["key"], q["condition"], index, False) for q in page["questions"]]
        for owner, condition, position, is_page in owners:
            for rule in (condition or {}).get("rules", []):
                _check_rule(rule, owner, position, is_page, questions, page_of, problems)


def _check_rule(rule, owner, position, is_page, questions, page_of, problems) -> None:
    target = questions.get(rule["question"])
    if target is None:
        problems.add(
            _("The condition on “%(owner)s” refers to an unknown question “%(target)s”.")
            % {"owner": owner, "target": rule["question"]}
        )
        return
    if page_of[target["key"]] >= position:
        problems.add(
            _(
                "The condition on “%(owner)s” refers to “%(target)s”, which is not on an "
                "earlier page: a condition can only use answers already given."
            )
            % {"owner": owner, "target": target["key"]}
        )
    kind = target["type"]
    op = rule["op"]
    numeric = kind in {"number", "scale"}
    allowed_ops = (
        (CHOICE_OPS | NUMBER_OPS) if kind == "scale" else NUMBER_OPS if numeric else CHOICE_OPS
    )
    if kind in TEXT_TYPES | {"file", "date", "location"} | MATRIX | {"ranking"}:
        allowed_ops = {"answered", "not_answered"}
    if op not in allowed_ops:
        problems.add(
            _("The condition on “%(owner)s” cannot use “%(op)s” with the question “%(target)s”.")
            % {"owner": owner, "op": OPS[op], "target": target["key"]}
        )
        return
    if op in ("is", "is_not"):
        values = rule["value"] if isinstance(rule["value"], list) else [rule["value"]]
        allowed = set(option_codes(target)) | ({OTHER} if target.get("other") else set())
        if not values or any(v not in allowed for v in values):
            problems.add(
                _("The condition on “%(owner)s” uses an answer that “%(target)s” does not offer.")
                % {"owner": owner, "target": target["key"]}
            )
        rule["value"] = values
    if op in ("gte", "lte") and _number_or_none(rule["value"]) is None:
        problems.add(_("The condition on “%(owner)s” needs a number.") % {"owner": owner})


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle of the dependency graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


# --- conditions at answering time -------------------------------------------------------


def condition_holds(condition: Mapping | None, answers: Mapping[str, Any]) -> bool:
    """Whether a display condition holds for the answers given so far."""
    if not condition:
        return True
    results = (_rule_holds(rule, answers) for rule in condition["rules"])
    return all(results) if condition["mode"] == "all" else any(results)


def _rule_holds(rule: Mapping, answers: Mapping[str, Any]) -> bool:
    value = answers.get(rule["question"])
    answered = value not in (None, "", [], {})
    op = rule["op"]
    if op == "answered":
        return answered
    if op == "not_answered":
        return not answered
    if not answered:
        return False
    if op in ("gte", "lte"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return False
        limit = float(rule["value"])
        return number >= limit if op == "gte" else number <= limit
    chosen = set(value) if isinstance(value, list) else {value}
    hit = bool(chosen & set(rule["value"]))
    return hit if op == "is" else not hit


def visible_pages(definition: Mapping, answers: Mapping[str, Any]) -> list[dict]:
    """The pages a respondent with these answers sees, in order."""
    return [p for p in definition.get("pages", []) if condition_holds(p.get("condition"), answers)]


def visible_questions(page: Mapping, answers: Mapping[str, Any]) -> list[dict]:
    return [q for q in page.get("questions", []) if condition_holds(q.get("condition"), answers)]


# --- layout: answer slots ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """One stored column of a response: an integer code, a bit mask or a number.

    ``kind`` is ``code`` (index of the chosen option, -1 none), ``mask`` (bit ``i`` set
    when option ``i`` is chosen, -1 not answered), ``rank`` (position 1.. of one option,
    0 not ranked), ``answered`` (0 answered, -1 not) or ``number`` (float, NaN none).
    """

    name: str
    question: str
    kind: str
    size: int = 0
    part: Any = None


def layout(definition: Mapping) -> tuple[list[Slot], list[Slot]]:
    """The integer slots and the number slots of a definition, in question order."""
    codes: list[Slot] = []
    numbers: list[Slot] = []
    for _page, q in iter_questions(definition):
        key, kind = q["key"], q["type"]
        n = len(choice_labels(q)) if kind not in MATRIX | {"ranking", "location"} else 0
        if kind in ONE_CODE:
            codes.append(Slot(key, key, "code", n))
        elif kind == "multiple":
            codes.append(Slot(key, key, "mask", n))
        elif kind == "ranking":
            k = len(q["options"])
            codes += [Slot(f"{key}.{o['code']}", key, "rank", k, o["code"]) for o in q["options"]]
        elif kind in MATRIX:
            slot_kind = "code" if kind == "matrix_single" else "mask"
            size = len(q["columns"])
            codes += [
                Slot(f"{key}.{r['code']}", key, slot_kind, size, r["code"]) for r in q["rows"]
            ]
        elif kind in TEXT_TYPES or kind == "file":
            codes.append(Slot(key, key, "answered", 1))
        elif kind in ("number", "date"):
            numbers.append(Slot(key, key, "number"))
        elif kind == "location":
            if q["options"]:
                codes.append(Slot(f"{key}.area", key, "code", len(q["options"]), "area"))
            numbers += [
                Slot(f"{key}.lat", key, "number", 0, "lat"),
                Slot(f"{key}.lon", key, "number", 0, "lon"),
            ]
    return codes, numbers


def layout_fingerprint(definition: Mapping) -> str:
    """Changes when stored answer rows would mean something else (not on text edits)."""
    import hashlib

    codes, numbers = layout(definition)
    parts = [f"{s.name}:{s.kind}:{s.size}" for s in codes + numbers]
    for _page, q in iter_questions(definition):
        parts.append(f"{q['key']}={option_codes(q) if q['type'] not in TEXT_TYPES else ''}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
