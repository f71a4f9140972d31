"""Read and check the answers posted for one page (no JavaScript needed).

``parse_page`` turns the posted fields of a page into JSON answers and a message per
question for anything wrong (required and left empty, an answer outside the options, a
number out of range...), in the active language. Nothing is saved here.

Field names: ``q-<key>`` (one value or several), ``q-<key>-other`` (the text of
"other"), ``q-<key>-<row>`` (a matrix row), ``q-<key>-<option>`` (a ranking position),
``q-<key>-area`` / ``-lat`` / ``-lon`` (a location), ``q-<key>-postcode`` (an area by
postcode), and the uploaded file ``q-<key>``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from parlons.modules.surveys.definition import OTHER, option_codes, visible_questions

MAX_SHORT = 500
MAX_LONG = 10000
MAX_FILE_BYTES = 5 * 1024 * 1024


class PageInput:
    """The posted data of one page, as cleaned answers and per-question errors."""

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.uploads: dict[str, Any] = {}


def parse_page(
    *,
    page: Mapping,
    data: Mapping,
    files: Mapping | None = None,
    previous: Mapping[str, Any],
    postcodes: Mapping[str, str] | None = None,
) -> PageInput:
    """Answers of the questions of ``page`` visible after ``previous`` answers."""
    result = PageInput()
    for question in visible_questions(page, previous):
        try:
            value = _parse(question, data, files or {}, postcodes or {}, result)
        except _Invalid as problem:
            result.errors[question["key"]] = str(problem)
            continue
        if _empty(value):
            if question.get("required"):
                result.errors[question["key"]] = _required_message(question)
            continue
        result.answers[question["key"]] = value
        other = (data.get(f"q-{question['key']}-other") or "").strip()
        if _chose_other(value):
            if not other:
                result.errors[question["key"]] = _("Say what your other answer is.")
            else:
                result.answers[f"{question['key']}.{OTHER}"] = other[:MAX_SHORT]
    return result


def check_answer_value(question: Mapping, value: Any) -> str | None:
    """A message if a stored or imported answer is not one this question accepts."""
    kind = question["type"]
    codes = set(option_codes(question))
    if question.get("other"):
        codes.add(OTHER)
    if kind in ("single", "dropdown", "scale", "area", "consent"):
        ok = value in codes or (kind == "consent" and value is True)
    elif kind in ("multiple", "ranking"):
        ok = isinstance(value, list) and len(set(value)) == len(value) and set(value) <= codes
    elif kind in ("matrix_single", "matrix_multiple"):
        rows = {str(r["code"]) for r in question["rows"]}
        ok = isinstance(value, Mapping) and set(value) <= rows
        for cell in value.values() if ok else ():
            cells = cell if kind == "matrix_multiple" and isinstance(cell, list) else [cell]
            ok = ok and set(cells) <= codes
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and _in_range(question, value)
    else:
        ok = True
    return None if ok else _("This answer is not one of the options.")


class _Invalid(Exception):
    pass


def _empty(value: Any) -> bool:
    return value in (None, "", [], {}, False)


def _chose_other(value: Any) -> bool:
    return value == OTHER or (isinstance(value, list) and OTHER in value)


def _required_message(question: Mapping) -> str:
    if question["type"] == "consent":
        return _("Tick this box to go on.")
    return _("This question is required.")


def _parse(question, data, files, postcodes, result) -> Any:
    kind = question["type"]
    name = f"q-{question['key']}"
    parser = _PARSERS[kind]
    return parser(question, name, data, files, postcodes, result)


def _choice(value: str, question: Mapping) -> Any:
    if value == OTHER and question.get("other"):
        return OTHER
    try:
        code = int(value)
    except (TypeError, ValueError):
        raise _Invalid(_("This answer is not one of the options.")) from None
    if code not in option_codes(question):
        raise _Invalid(_("This answer is not one of the options."))
    return code


def _single(question, name, data, files, postcodes, result):
    value = (data.get(name) or "").strip()
    return _choice(value, question) if value else None


def _multiple(question, name, data, files, postcodes, result):
    values = [v for v in _getlist(data, name) if v]
    chosen = [_choice(v, question) for v in values]
    if len(set(chosen)) != len(chosen):
        raise _Invalid(_("This answer is not one of the options."))
    order = [*option_codes(question), OTHER]
    return sorted(chosen, key=order.index)


def _consent(question, name, data, files, postcodes, result):
    value = data.get(name)
    if value in (None, ""):
        return None
    if value != "1":
        raise _Invalid(_("This answer is not one of the options."))
    return 1


def _ranking(question, name, data, files, postcodes, result):
    positions = {}
    for option in question["options"]:
        raw = (data.get(f"{name}-{option['code']}") or "").strip()
        if not raw:
            continue
        try:
            position = int(raw)
        except ValueError:
            raise _Invalid(_("Give each ranked option a different position, from 1.")) from None
        positions[option["code"]] = position
    if not positions:
        return None
    ordered = sorted(positions.items(), key=lambda item: item[1])
    if [p for _c, p in ordered] != list(range(1, len(ordered) + 1)):
        raise _Invalid(_("Give each ranked option a different position, from 1."))
    return [code for code, _p in ordered]


def _matrix(question, name, data, files, postcodes, result):
    answers = {}
    missing = False
    for row in question["rows"]:
        field = f"{name}-{row['code']}"
        if question["type"] == "matrix_single":
            raw = (data.get(field) or "").strip()
            value = _choice(raw, question) if raw else None
        else:
            value = [_choice(v, question) for v in _getlist(data, field) if v] or None
        if value is None:
            missing = True
        else:
            answers[str(row["code"])] = value
    if answers and missing and question.get("required"):
        raise _Invalid(_("Answer every row of this question."))
    return answers or None


def _in_range(question: Mapping, value: float) -> bool:
    low, high = question.get("minimum"), question.get("maximum")
    return (low is None or value >= low) and (high is None or value <= high)


def _number(question, name, data, files, postcodes, result):
    raw = (data.get(name) or "").strip().replace(",", ".").replace(" ", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise _Invalid(_("Enter a number.")) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise _Invalid(_("Enter a number."))
    if question.get("integer"):
        if value != int(value):
            raise _Invalid(_("Enter a whole number."))
        value = int(value)
    if not _in_range(question, value):
        raise _Invalid(_range_message(question))
    return value


def _range_message(question: Mapping) -> str:
    low, high = question.get("minimum"), question.get("maximum")
    if low is not None and high is not None:
        return _("Enter a number from %(low)s to %(high)s.") % {"low": _n(low), "high": _n(high)}
    if low is not None:
        return _("Enter a number of at least %(low)s.") % {"low": _n(low)}
    return _("Enter a number of at most %(high)s.") % {"high": _n(high)}


def _n(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _date(question, name, data, files, postcodes, result):
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise _Invalid(_("Enter a date as YYYY-MM-DD.")) from None
    if not 1900 <= day.year <= 2200:
        raise _Invalid(_("Enter a date as YYYY-MM-DD."))
    return day.isoformat()


def _text(question, name, data, files, postcodes, result):
    raw = (data.get(name) or "").strip()
    limit = MAX_SHORT if question["type"] == "short_text" else MAX_LONG
    if len(raw) > limit:
        raise _Invalid(_("Keep your answer under %(n)s characters.") % {"n": limit})
    if "\x00" in raw:
        raise _Invalid(_("This text contains a character that cannot be stored."))
    return raw or None


def _area(question, name, data, files, postcodes, result):
    raw = (data.get(name) or "").strip()
    if raw:
        return _choice(raw, question)
    postcode = (data.get(f"{name}-postcode") or "").strip().upper().replace(" ", "")
    if not postcode:
        return None
    area = postcodes.get(postcode)
    code = next((o["code"] for o in question["options"] if area and o.get("area") == area), None)
    if code is None:
        raise _Invalid(_("This postcode is not in any of the areas of this questionnaire."))
    return code


def _location(question, name, data, files, postcodes, result):
    value: dict[str, Any] = {}
    area = (data.get(f"{name}-area") or "").strip()
    if area:
        value["area"] = _choice_of(area, question)
    lat = (data.get(f"{name}-lat") or "").strip().replace(",", ".")
    lon = (data.get(f"{name}-lon") or "").strip().replace(",", ".")
    if lat or lon:
        try:
            latitude, longitude = float(lat), float(lon)
        except ValueError:
            raise _Invalid(_("Enter both a latitude and a longitude, in degrees.")) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise _Invalid(_("Enter both a latitude and a longitude, in degrees."))
        value.update(lat=round(latitude, 6), lon=round(longitude, 6))
    place = (data.get(f"{name}-place") or "").strip()
    if place:
        value["place"] = place[:MAX_SHORT]
    return value or None


def _choice_of(value: str, question: Mapping) -> int:
    try:
        code = int(value)
    except ValueError:
        raise _Invalid(_("This answer is not one of the options.")) from None
    if code not in [o["code"] for o in question["options"]]:
        raise _Invalid(_("This answer is not one of the options."))
    return code


def _file(question, name, data, files, postcodes, result):
    upload = files.get(name)
    if upload is None:
        kept = data.get(f"{name}-kept")
        return {"kept": True} if kept else None
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in question["extensions"]:
        raise _Invalid(
            _("Send a file of one of these kinds: %(kinds)s.")
            % {"kinds": ", ".join(question["extensions"])}
        )
    if upload.size > MAX_FILE_BYTES:
        raise _Invalid(_("Send a file of at most 5 MB."))
    result.uploads[question["key"]] = upload
    return {"name": os.path.basename(upload.name)[:120], "size": upload.size}


def store_upload(*, upload, folder: str) -> str:
    """Save an uploaded file under ``folder`` with a random name; returns its path."""
    extension = os.path.splitext(upload.name)[1].lower()
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}{extension}", upload)


def _getlist(data: Mapping, name: str) -> list[str]:
    if hasattr(data, "getlist"):
        return [v.strip() for v in data.getlist(name)]
    value = data.get(name)
    if value is None:
        return []
    return [str(v).strip() for v in (value if isinstance(value, list) else [value])]


_PARSERS = {
    "short_text": _text,
    "long_text": _text,
    "single": _single,
    "dropdown": _single,
    "scale": _single,
    "multiple": _multiple,
    "consent": _consent,
    "ranking": _ranking,
    "matrix_single": _matrix,
    "matrix_multiple": _matrix,
    "number": _number,
    "date": _date,
    "area": _area,
    "location": _location,
    "file": _file,
}
