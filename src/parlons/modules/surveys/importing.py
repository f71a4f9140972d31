"""Import existing responses (paper, another platform) from CSV with a column mapping.

The mapping names, for each importable field of the questionnaire (the export's column
names: ``q1``, ``q2_3`` for option 3 of a multiple-choice question…), the CSV column that
holds it. Values are matched to options by code or by label in any language (case and
accents as written); ``missing`` lists the values that mean "no answer" (default: empty,
``NA``, ``-1``). A multiple-choice column counts as selected for ``1``/``yes``/``x``...,
not selected for anything else, and unknown when empty or ``NA``. One wrong value refuses
the whole file, naming the row and the column; imported responses are marked as such.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.core.audit.services import log_action
from parlons.modules.surveys.answering import check_answer_value
from parlons.modules.surveys.coding import Layout, encode
from parlons.modules.surveys.definition import MATRIX, OTHER, TEXT_TYPES, iter_questions, texts
from parlons.modules.surveys.models import Origin, Response, Status, TextAnswer
from parlons.modules.surveys.versions import bump_results_version

DEFAULT_MISSING = ("", "NA", "N/A", "NaN", "-1")
ABSENT = {"", "na", "n/a", "nan"}
SELECTED = {"1", "yes", "y", "true", "x", "oui", "ja"}
MAX_ERRORS = 10


def read_csv(*, content: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file (UTF-8 with or without BOM; comma, semicolon or tab)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not text in UTF-8.")) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    if not rows or not rows[0]:
        raise ValidationError(_("The file is empty."))
    return [h.strip() for h in rows[0]], rows[1:]


def importable_fields(*, questionnaire) -> list[tuple[str, dict, Any]]:
    """(field name, question, part) for every value an import can fill."""
    fields = []
    for _page, q in iter_questions(questionnaire.definition):
        key, kind = q["key"], q["type"]
        if (
            kind in ("single", "dropdown", "scale", "area", "consent", "number", "date")
            or kind in TEXT_TYPES
        ):
            fields.append((key, q, None))
            if q.get("other"):
                fields.append((f"{key}_other", q, OTHER))
        elif kind == "multiple":
            fields += [(f"{key}_{o['code']}", q, o["code"]) for o in q["options"]]
            if q.get("other"):
                fields.append((f"{key}_other", q, OTHER))
        elif kind == "ranking":
            fields += [(f"{key}_{o['code']}", q, o["code"]) for o in q["options"]]
        elif kind in MATRIX:
            fields += [(f"{key}_{r['code']}", q, str(r["code"])) for r in q["rows"]]
    return fields


def _matcher(question: Mapping) -> dict[str, Any]:
    """Lower-cased code and labels (every language) → option code."""
    from parlons.modules.surveys.definition import choice_labels

    found: dict[str, Any] = {}
    for code, label in choice_labels(question):
        found[str(code).lower()] = code
        for text in texts(label).values():
            found.setdefault(text.strip().lower(), code)
    return found


class _RowError(Exception):
    pass


def _value(question, raw: str, missing: set[str], matcher: dict) -> Any:
    kind = question["type"]
    if raw.strip() in missing or raw.strip().lower() in ABSENT:
        return None
    raw = raw.strip()
    if kind in TEXT_TYPES:
        return raw
    if kind in ("number", "date"):
        if kind == "date":
            return raw
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            raise _RowError(_("“%(value)s” is not a number") % {"value": raw}) from None
        return int(number) if question.get("integer") and number == int(number) else number
    code = matcher.get(raw.lower())
    if code is None and raw.replace(".", "", 1).isdigit() and float(raw).is_integer():
        code = matcher.get(str(int(float(raw))))
    if code is None:
        raise _RowError(_("“%(value)s” is not one of the options") % {"value": raw})
    return code


def _row_answers(row: list[str], plan: list, position: dict[str, int], missing: set[str]) -> dict:
    answers: dict[str, Any] = {}
    multiple: dict[str, list] = {}
    for field, question, part, matcher in plan:
        raw = row[position[field]] if position[field] < len(row) else ""
        key, kind = question["key"], question["type"]
        try:
            if part == OTHER:
                if raw.strip() and raw.strip().lower() not in ABSENT:
                    answers[f"{key}.{OTHER}"] = raw.strip()
            elif kind == "multiple":
                if raw.strip().lower() not in ABSENT:
                    multiple.setdefault(key, [])
                    if raw.strip().lower() in SELECTED:
                        multiple[key].append(part)
            elif kind == "ranking":
                if raw.strip() and raw.strip() not in missing:
                    multiple.setdefault(key, []).append((int(float(raw)), part))
            elif kind in MATRIX:
                value = _value(question, raw, missing, matcher)
                if value is not None:
                    cell = [value] if kind == "matrix_multiple" else value
                    answers.setdefault(key, {})[part] = cell
            else:
                value = _value(question, raw, missing, matcher)
                if value is not None:
                    answers[key] = value
        except (_RowError, ValueError) as error:
            raise _RowError(f"{field}: {error}") from None
    for key, chosen in multiple.items():
        if chosen and isinstance(chosen[0], tuple):
            answers[key] = [code for _p, code in sorted(chosen)]
        elif chosen:
            answers[key] = chosen
    return answers


def check_mapping(*, questionnaire, header: list[str], mapping: Mapping[str, str]) -> list:
    fields = {name: (q, part) for name, q, part in importable_fields(questionnaire=questionnaire)}
    plan = []
    for field, column in mapping.items():
        if not column:
            continue
        if field not in fields:
            raise ValidationError(_("Unknown field in the mapping: %(field)s.") % {"field": field})
        if column not in header:
            raise ValidationError(_("The file has no column %(column)s.") % {"column": column})
        question, part = fields[field]
        plan.append(
            (
                field,
                question,
                part,
                _matcher(question) if question["type"] not in TEXT_TYPES else {},
            )
        )
    if not plan:
        raise ValidationError(_("Map at least one column to a question."))
    return plan


@transaction.atomic
def do_import_responses(
    *,
    questionnaire,
    content: bytes,
    mapping: Mapping[str, str],
    actor: Any,
    missing: Iterable[str] = DEFAULT_MISSING,
) -> int:
    """Create one imported response per CSV row; any bad value refuses the whole file."""
    header, rows = read_csv(content=content)
    plan = check_mapping(questionnaire=questionnaire, header=header, mapping=mapping)
    position = {name: header.index(column) for name, column in mapping.items() if column}
    missing_set = {m.strip() for m in missing}
    layout = Layout.of(questionnaire.definition)
    questions = layout.questions
    batch = uuid.uuid4().hex[:12]
    now = timezone.now()
    responses, errors = [], []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            answers = _row_answers(row, plan, position, missing_set)
            for key, value in answers.items():
                if key in questions:
                    message = check_answer_value(questions[key], value)
                    if message:
                        raise _RowError(f"{key}: {message}")
        except _RowError as error:
            errors.append(_("Line %(line)s, %(problem)s.") % {"line": number, "problem": error})
            if len(errors) >= MAX_ERRORS:
                break
            continue
        codes, numbers = encode(plan=layout, answers=answers)
        responses.append(
            Response(
                questionnaire=questionnaire,
                status=Status.COMPLETE,
                origin=Origin.IMPORTED,
                import_batch=batch,
                answers=answers,
                codes=codes,
                numbers=numbers,
                fingerprint=questionnaire.fingerprint,
                submitted_at=now,
                day=timezone.localtime(now).date().toordinal(),
            )
        )
    if errors:
        raise ValidationError(errors)
    if not responses:
        raise ValidationError(_("The file has no response to import."))
    created = Response.objects.bulk_create(responses, batch_size=1000)
    _import_texts(questionnaire, created, questions)
    log_action(
        actor=actor,
        code="surveys.responses.imported",
        target=questionnaire.instance,
        data={"count": len(created), "batch": batch},
    )
    bump_results_version(questionnaire_ids=[questionnaire.pk])
    return len(created)


def _import_texts(questionnaire, created, questions) -> None:
    if not any(q["type"] in TEXT_TYPES or q.get("other") for q in questions.values()):
        return
    if created and created[0].pk is None:  # databases without RETURNING on bulk insert
        created = list(
            Response.objects.filter(
                questionnaire=questionnaire, import_batch=created[0].import_batch
            )
        )
    rows = []
    for response in created:
        for key, value in response.answers.items():
            if (key in questions and questions[key]["type"] in TEXT_TYPES) or key.endswith(
                f".{OTHER}"
            ):
                rows.append(
                    TextAnswer(
                        questionnaire=questionnaire, response=response, question=key, text=value
                    )
                )
    TextAnswer.objects.bulk_create(rows, batch_size=1000)
