"""Exports: one row per response, one column per answer, codes or labels; a codebook.

Rows stream from the database in chunks through ``formats.tabular`` (CSV or XLSX), so
memory stays constant whatever the number of responses. Column names are SPSS-friendly
(letters, digits and ``_``, starting with a letter, at most 64 characters): the question
key, then ``_<code>`` per option of a multiple-choice or ranking question and per row of
a matrix, ``_other`` for the text of "other", ``_area``/``_lat``/``_lon`` for a location.
The codebook lists every column with its question text and its value labels, as CSV and
as SPSS syntax (``VARIABLE LABELS`` / ``VALUE LABELS``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from parlons.core.tenancy import scope
from parlons.formats.tabular import Sheet, iter_csv, iter_xlsx
from parlons.lib.i18n import pick
from parlons.modules.surveys.definition import (
    MATRIX,
    OTHER,
    TEXT_TYPES,
    choice_labels,
    iter_questions,
)
from parlons.modules.surveys.selectors import counted_responses

META = ["response_id", "origin", "submitted_at", "language"]


@dataclass(frozen=True)
class Column:
    name: str
    question: dict
    label: str
    read: Callable[[Mapping[str, Any], bool, Mapping], Any]
    values: list[tuple[Any, str]]


def columns(*, questionnaire, language: str) -> list[Column]:
    """The answer columns of the export, in question order."""
    found: list[Column] = []
    for _page, q in iter_questions(questionnaire.definition):
        found.extend(_question_columns(q, language))
    return found


def _names(question, language) -> dict:
    return {
        code: pick(label, language=language) if not isinstance(label, str) else label
        for code, label in choice_labels(question)
    }


def _question_columns(q: dict, language: str) -> list[Column]:
    key, kind = q["key"], q["type"]
    text = pick(q["text"], language=language)
    names = _names(q, language) if kind not in TEXT_TYPES | {"number", "date", "file"} else {}
    values = list(names.items())

    def one(answers, labels, _names=names):
        value = answers.get(key)
        if value is None:
            return None
        if kind == "consent":
            return (_names.get(1) if labels else 1) if value else None
        return _names.get(value, value) if labels else value

    if kind in ("single", "dropdown", "scale", "area", "consent"):
        found = [Column(key, q, text, one, values)]
        if q.get("other"):
            found.append(
                Column(f"{key}_other", q, f"{text} ({OTHER})", _plain(f"{key}.{OTHER}"), [])
            )
        return found
    if kind == "multiple":
        found = [
            Column(
                f"{key}_{code}", q, f"{text}: {label}", _selected(key, code, label), [(1, label)]
            )
            for code, label in names.items()
            if code != OTHER
        ]
        if q.get("other"):
            found.append(
                Column(f"{key}_other", q, f"{text} ({OTHER})", _plain(f"{key}.{OTHER}"), [])
            )
        return found
    if kind == "ranking":
        return [
            Column(
                f"{key}_{o['code']}",
                q,
                f"{text}: {pick(o['label'], language=language)}",
                _rank(key, o["code"]),
                [],
            )
            for o in q["options"]
        ]
    if kind in MATRIX:
        return [
            Column(
                f"{key}_{r['code']}",
                q,
                f"{text}: {pick(r['label'], language=language)}",
                _matrix(key, str(r["code"]), names),
                values,
            )
            for r in q["rows"]
        ]
    if kind == "file":
        return [Column(key, q, text, lambda a, labels: (a.get(key) or {}).get("name"), [])]
    if kind == "location":
        found = []
        if q["options"]:
            area_names = {o["code"]: pick(o["label"], language=language) for o in q["options"]}
            found.append(
                Column(
                    f"{key}_area", q, text, _part(key, "area", area_names), list(area_names.items())
                )
            )
        found += [
            Column(f"{key}_lat", q, f"{text} (lat)", _part(key, "lat", {}), []),
            Column(f"{key}_lon", q, f"{text} (lon)", _part(key, "lon", {}), []),
            Column(f"{key}_place", q, f"{text} (place)", _part(key, "place", {}), []),
        ]
        return found
    return [Column(key, q, text, _plain(key), [])]


def _plain(key):
    return lambda answers, labels: answers.get(key)


def _selected(key, code, label):
    def read(answers, labels):
        value = answers.get(key)
        if value is None:
            return None
        chosen = code in value
        return (label if chosen else None) if labels else int(chosen)

    return read


def _rank(key, code):
    def read(answers, labels):
        value = answers.get(key)
        return value.index(code) + 1 if value and code in value else None

    return read


def _matrix(key, row, names):
    def read(answers, labels):
        cell = (answers.get(key) or {}).get(row)
        if cell is None:
            return None
        if isinstance(cell, list):
            return "; ".join(str(names.get(c, c) if labels else c) for c in cell)
        return names.get(cell, cell) if labels else cell

    return read


def _part(key, part, names):
    def read(answers, labels):
        value = (answers.get(key) or {}).get(part)
        return names.get(value, value) if labels and names else value

    return read


def response_rows(
    *, questionnaire, labels: bool, language: str, chunk: int = 2000
) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of the export (rows are read lazily, ``chunk`` at a time)."""
    found = columns(questionnaire=questionnaire, language=language)
    header = META + (["score"] if questionnaire.is_quiz else []) + [c.name for c in found]
    quiz = questionnaire.is_quiz
    readers = [c.read for c in found]

    organisation = questionnaire.instance.process.organisation

    def rows() -> Iterator[list]:
        # A streamed body is read after the view returned: take the organisation's scope here.
        with scope(organisation=organisation):
            query = (
                counted_responses(questionnaire)
                .order_by("pk")
                .values_list("pk", "origin", "submitted_at", "language", "score", "answers")
            )
            for pk, origin, submitted, lang, score, answers in query.iterator(chunk_size=chunk):
                row = [
                    pk,
                    origin,
                    submitted.replace(microsecond=0, tzinfo=None) if submitted else None,
                    lang,
                ]
                if quiz:
                    row.append(score)
                row.extend(read(answers, labels) for read in readers)
                yield row

    return header, rows()


def iter_responses_csv(*, questionnaire, labels: bool, language: str) -> Iterator[bytes]:
    header, rows = response_rows(questionnaire=questionnaire, labels=labels, language=language)
    return iter_csv(header=header, rows=rows)


def iter_responses_xlsx(*, questionnaire, labels: bool, language: str) -> Iterator[bytes]:
    header, rows = response_rows(questionnaire=questionnaire, labels=labels, language=language)
    return iter_xlsx(sheets=[Sheet(name="responses", header=header, rows=rows)])


def codebook_rows(*, questionnaire, language: str) -> list[list]:
    """variable, label, type, value, value label — one line per value label."""
    lines = [[name, name, "meta", "", ""] for name in META]
    for column in columns(questionnaire=questionnaire, language=language):
        kind = column.question["type"]
        if not column.values:
            lines.append([column.name, column.label, kind, "", ""])
        for value, label in column.values:
            lines.append([column.name, column.label, kind, value, label])
    return lines


def iter_codebook_csv(*, questionnaire, language: str) -> Iterator[bytes]:
    rows = codebook_rows(questionnaire=questionnaire, language=language)
    return iter_csv(header=["variable", "label", "type", "value", "value_label"], rows=rows)


def spss_syntax(*, questionnaire, language: str) -> str:
    """SPSS syntax that labels the variables and values of the CSV export in codes."""

    def quote(text: Any) -> str:
        return "'" + str(text).replace("'", "''").replace("\n", " ")[:250] + "'"

    found = columns(questionnaire=questionnaire, language=language)
    lines = [
        "* Parlons questionnaire codebook: run after reading the CSV export (codes).",
        "VARIABLE LABELS",
    ]
    lines += [f"  {c.name} {quote(c.label)}" for c in found]
    lines[-1] += "."
    labelled = [c for c in found if any(isinstance(v, int) for v, _l in c.values)]
    if labelled:
        lines.append("VALUE LABELS")
        for index, column in enumerate(labelled):
            pairs = " ".join(
                f"{v} {quote(label)}" for v, label in column.values if isinstance(v, int)
            )
            lines.append(f"  {'/' if index else ''}{column.name} {pairs}")
        lines[-1] += "."
    lines.append("EXECUTE.")
    return "\n".join(lines) + "\n"


def write_csv_codes(instance, stream) -> None:
    _write(
        instance,
        stream,
        lambda q: iter_responses_csv(questionnaire=q, labels=False, language=_lang(q)),
    )


def write_csv_labels(instance, stream) -> None:
    _write(
        instance,
        stream,
        lambda q: iter_responses_csv(questionnaire=q, labels=True, language=_lang(q)),
    )


def write_xlsx(instance, stream) -> None:
    _write(
        instance,
        stream,
        lambda q: iter_responses_xlsx(questionnaire=q, labels=True, language=_lang(q)),
    )


def write_codebook(instance, stream) -> None:
    _write(instance, stream, lambda q: iter_codebook_csv(questionnaire=q, language=_lang(q)))


def _lang(questionnaire) -> str:
    return (questionnaire.instance.process.languages or ["fr"])[0]


def _write(instance, stream, chunks) -> None:
    from parlons.modules.surveys.models import Questionnaire

    questionnaire = Questionnaire.objects.select_related("instance__process").get(instance=instance)
    for chunk in chunks(questionnaire):
        stream.write(chunk)
