"""Results of a questionnaire: counts and percentages per question, raw or weighted.

Every choice slot is counted by one call of the engine's ``questionnaire_frequencies``
(one ``np.bincount`` for all of them), multiple-choice masks by indicator sums, numbers
by ``numeric_summary``, rankings by ``ranking_summary``. Published results hide every cell
below the minimum cell size (with complementary suppression, ``engine.surveys.disclosure``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format, localize
from django.utils.translation import gettext as _

from parlons.engine.surveys import (
    crosstab,
    mask_frequencies,
    numeric_summary,
    questionnaire_frequencies,
    ranking_summary,
    small_cell_mask,
)
from parlons.lib.i18n import pick
from parlons.modules.surveys.charts import bar_chart, timeline_chart
from parlons.modules.surveys.definition import MATRIX, choice_labels, iter_questions
from parlons.modules.surveys.selectors import ResponseData
from parlons.modules.surveys.variables import Variable


@dataclass
class Row:
    label: str
    count: int | None
    percent: float | None
    weighted_percent: float | None = None
    hidden: bool = False


@dataclass
class Table:
    """One frequency table (a question, or one row of a matrix) and its chart.

    ``cells`` has the rows as the page shows them — (label, hidden, count, percent,
    weighted percent), numbers already written out as the template's ``floatformat:1``
    would — so that rendering 30 tables of 100,000 responses is plain output.
    """

    title: str
    rows: list[Row]
    base: int
    missing: int
    chart: Any = ""
    cells: list[tuple] = field(default_factory=list)


@dataclass
class QuestionResult:
    key: str
    kind: str
    text: str
    tables: list[Table] = field(default_factory=list)
    summary: dict | None = None
    answered: int = 0
    text_answers: bool = False
    quiz_correct: float | None = None


def _labels(question) -> list[str]:
    return [
        pick(label) if not isinstance(label, str) else label
        for _c, label in choice_labels(question)
    ]


def _rows(labels, frequencies, weighted: bool, hide=None) -> list[Row]:
    counts = frequencies.counts.tolist()
    plain = frequencies.percentages.tolist()
    shown = frequencies.weighted_percentages.tolist() if weighted else plain
    hidden = hide.tolist() if hide is not None else [False] * len(labels)
    return [
        Row(label, None, None, None, True)
        if hidden[index]
        else Row(label, counts[index], _num(plain[index]), _num(shown[index]), False)
        for index, label in enumerate(labels)
    ]


def _num(value) -> float | None:
    value = float(value)
    return None if value != value else value


def _table(title, labels, frequencies, weighted, minimum, chart) -> Table:
    hide = small_cell_mask(counts=frequencies.counts, minimum=minimum) if minimum else None
    rows = _rows(labels, frequencies, weighted, hide)
    shown = [r.weighted_percent if weighted else r.percent for r in rows]
    return Table(
        title,
        rows,
        frequencies.base if not minimum or frequencies.base >= minimum else 0,
        frequencies.missing,
        bar_chart(title=title, labels=labels, percentages=shown) if chart else "",
        _cells(rows, weighted),
    )


def _cells(rows: list[Row], weighted: bool) -> list[tuple]:
    separator = get_format("DECIMAL_SEPARATOR")
    count_text = localize if settings.USE_THOUSAND_SEPARATOR else str
    return [
        (
            r.label,
            r.hidden,
            "" if r.hidden else count_text(r.count),
            percent_text(r.percent, separator),
            percent_text(r.weighted_percent, separator) if weighted else "",
        )
        for r in rows
    ]


TENTH = Decimal("0.1")


def percent_text(value: float | None, separator: str | None = None) -> str:
    """``value|floatformat:1|default:"–"`` in the active language, without the template.

    The same rounding as ``floatformat`` (the decimal written by ``repr``, half up); the
    filter itself is only called where it would group thousands.
    """
    if value is None:
        return "–"
    if settings.USE_THOUSAND_SEPARATOR or not 0 <= value < 1000:
        return floatformat(value, 1)
    rounded = str(Decimal(repr(float(value))).quantize(TENTH, ROUND_HALF_UP))
    return rounded.replace(".", separator or get_format("DECIMAL_SEPARATOR"))


def question_results(
    *,
    questionnaire,
    data: ResponseData,
    weights: np.ndarray | None = None,
    minimum: int = 0,
    charts: bool = True,
    public: bool = False,
) -> list[QuestionResult]:
    """One result per question, in order; ``minimum`` > 0 suppresses small cells."""
    plan = data.plan
    matrix = data.matrix
    code_slots = [(i, s) for i, s in enumerate(plan.codes) if s.kind == "code"]
    single = (
        questionnaire_frequencies(
            codes=matrix.codes,
            columns=[i for i, _s in code_slots],
            n_options=[s.size for _i, s in code_slots],
            weights=weights,
        )
        if code_slots
        else []
    )
    by_slot = {s.name: f for (_i, s), f in zip(code_slots, single, strict=True)}
    results = []
    for _page, question in iter_questions(questionnaire.definition):
        result = QuestionResult(question["key"], question["type"], pick(question["text"]))
        _fill(result, question, plan, matrix, by_slot, weights, minimum, charts)
        if public and result.kind in ("short_text", "long_text", "file", "location"):
            result.text_answers = False
        results.append(result)
    return results


def _fill(result, question, plan, matrix, by_slot, weights, minimum, charts) -> None:
    kind = question["type"]
    weighted = weights is not None
    key = question["key"]
    if kind in ("single", "dropdown", "scale", "area", "consent"):
        frequencies = by_slot[key]
        result.tables.append(
            _table(result.text, _labels(question), frequencies, weighted, minimum, charts)
        )
        result.answered = frequencies.base
        if kind == "scale" and weights is None:
            result.summary = _scale_summary(frequencies.counts, question["scale"]["min"])
        elif kind == "scale":
            column = matrix.codes[:, plan.code_position(key)].astype(float)
            values = np.where(column >= 0, column + question["scale"]["min"], np.nan)
            result.summary = _summary(values, weights)
    elif kind == "multiple":
        column = matrix.codes[:, plan.code_position(key)]
        labels = _labels(question)
        frequencies = mask_frequencies(masks=column, n_options=len(labels), weights=weights)
        result.tables.append(_table(result.text, labels, frequencies, weighted, minimum, charts))
        result.answered = frequencies.base
    elif kind in MATRIX:
        labels = _labels(question)
        for row in question["rows"]:
            name = f"{key}.{row['code']}"
            title = f"{result.text} — {pick(row['label'])}"
            if kind == "matrix_single":
                frequencies = by_slot[name]
            else:
                column = matrix.codes[:, plan.code_position(name)]
                frequencies = mask_frequencies(masks=column, n_options=len(labels), weights=weights)
            result.tables.append(_table(title, labels, frequencies, weighted, minimum, charts))
            result.answered = max(result.answered, frequencies.base)
    elif kind == "ranking":
        positions = [plan.code_position(f"{key}.{o['code']}") for o in question["options"]]
        summary = ranking_summary(ranks=matrix.codes[:, positions], weights=weights)
        means = summary.weighted_mean_positions if weighted else summary.mean_positions
        result.answered = summary.base
        if not minimum or summary.base >= minimum:
            result.summary = {
                "ranking": sorted(
                    (
                        (pick(o["label"]), _num(m))
                        for o, m in zip(question["options"], means, strict=True)
                    ),
                    key=lambda item: (item[1] is None, item[1]),
                )
            }
    elif kind in ("number", "date"):
        values = matrix.numbers[:, plan.number_position(key)]
        result.answered = int((~np.isnan(values)).sum())
        if not minimum or result.answered >= minimum:
            result.summary = _summary(values, weights, dates=kind == "date")
    elif kind in ("short_text", "long_text", "file"):
        column = matrix.codes[:, plan.code_position(key)]
        result.answered = int((column >= 0).sum())
        result.text_answers = kind != "file"
    elif kind == "location":
        lat = matrix.numbers[:, plan.number_position(f"{key}.lat")]
        result.answered = int((~np.isnan(lat)).sum())
        if question["options"]:
            frequencies_slot = f"{key}.area"
            if frequencies_slot in by_slot:
                labels = [pick(o["label"]) for o in question["options"]]
                result.tables.append(
                    _table(
                        result.text, labels, by_slot[frequencies_slot], weighted, minimum, charts
                    )
                )
                result.answered = max(result.answered, by_slot[frequencies_slot].base)


def _summary(values: np.ndarray, weights, *, dates: bool = False) -> dict | None:
    summary = numeric_summary(values=values, weights=weights)
    if not summary.count:
        return None
    show = (lambda v: date.fromordinal(int(v)).isoformat()) if dates else (lambda v: round(v, 2))
    return {
        "count": summary.count,
        "mean": None
        if dates
        else round(summary.weighted_mean if weights is not None else summary.mean, 2),
        "median": show(summary.weighted_median if weights is not None else summary.median),
        "minimum": show(summary.minimum),
        "maximum": show(summary.maximum),
    }


def _scale_summary(counts: np.ndarray, lowest: int) -> dict | None:
    """What :func:`_summary` gives for a scale, from its counts rather than every answer.

    The points are integers, so sums are exact and the numbers are the same to the bit.
    """
    n = int(counts.sum())
    if not n:
        return None
    points = np.arange(counts.size) + lowest
    seen = np.flatnonzero(counts)
    ends = np.cumsum(counts)
    middle = points[np.searchsorted(ends, [(n - 1) // 2, n // 2], side="right")]
    return {
        "count": n,
        "mean": round(float(int((points * counts).sum()) / n), 2),
        "median": round(float(np.mean(middle.astype(np.float64))), 2),
        "minimum": round(float(points[seen[0]]), 2),
        "maximum": round(float(points[seen[-1]]), 2),
    }


@dataclass
class CrossResult:
    row_label: str
    column_label: str
    column_labels: list[str]
    rows: list[tuple[str, list[tuple[int | None, float | None]], int]]
    total: int


def cross_table(
    *, rows: Variable, columns: Variable, weights=None, minimum: int = 0
) -> CrossResult:
    """Counts and row percentages of one variable by another (small cells hidden if asked)."""
    table = crosstab(
        rows=rows.values,
        columns=columns.values,
        n_rows=rows.size,
        n_columns=columns.size,
        weights=weights,
    )
    percent = table.row_percentages(weighted=weights is not None)
    hide = (
        small_cell_mask(counts=table.counts, minimum=minimum)
        if minimum
        else np.zeros(table.counts.shape, bool)
    )
    body = []
    for i, label in enumerate(rows.labels):
        cells = [
            (None, None) if hide[i, j] else (int(table.counts[i, j]), _num(percent[i, j]))
            for j in range(columns.size)
        ]
        body.append((label, cells, int(table.row_bases[i])))
    return CrossResult(rows.label, columns.label, columns.labels, body, int(table.counts.sum()))


def timeline(*, data: ResponseData) -> tuple[list[tuple[str, int]], Any]:
    """Responses per day of submission, as a table and a chart."""
    days = data.days[data.days > 0]
    if not days.size:
        return [], ""
    first, last = int(days.min()), int(days.max())
    counts = np.bincount(days - first, minlength=last - first + 1)
    labels = [date.fromordinal(first + i).isoformat() for i in range(counts.size)]
    chart = timeline_chart(title=_("Responses per day"), labels=labels, counts=counts.tolist())
    rows = [(label, int(c)) for label, c in zip(labels, counts, strict=True) if c]
    return rows, chart


def quiz_summary(*, questionnaire, data: ResponseData) -> dict | None:
    """Score distribution and share of right answers per question, for organisers."""
    if not questionnaire.is_quiz:
        return None
    scores = data.scores[~np.isnan(data.scores)]
    per_question = []
    plan = data.plan
    for _page, question in iter_questions(questionnaire.definition):
        if "correct" not in question:
            continue
        column = data.matrix.codes[:, plan.code_position(question["key"])]
        codes = [c for c, _l in choice_labels(question)]
        if question["type"] == "multiple":
            wanted = sum(1 << codes.index(c) for c in question["correct"])
            right = column == wanted
        else:
            right = np.isin(column, [codes.index(c) for c in question["correct"]])
        answered = column >= 0
        share = float(right[answered].mean() * 100) if answered.any() else None
        per_question.append((pick(question["text"]), int(answered.sum()), share))
    distribution = np.bincount(scores.astype(int)) if scores.size else np.zeros(0, int)
    return {
        "count": int(scores.size),
        "mean": round(float(scores.mean()), 2) if scores.size else None,
        "distribution": [(points, int(n)) for points, n in enumerate(distribution) if n],
        "questions": per_question,
    }
