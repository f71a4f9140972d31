"""Variables to cross, filter and weight by: a question, a matrix row, or a demographic field.

A variable gives each response a category code (or, for a multiple-choice question, a
row of an indicator matrix), with the labels of the categories. Names: ``q:<slot>`` for a
question slot (``q:age`` with bands for a number), ``d:age_band``, ``d:gender``,
``d:area_code``, ``d:extra:<field>`` for the consented demographic profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from parlons.core.participants.models import AgeBand, Gender
from parlons.core.processes.models import Area
from parlons.engine.surveys import bin_codes, encode_categories
from parlons.lib.i18n import pick
from parlons.modules.surveys.coding import mask_matrix
from parlons.modules.surveys.definition import MATRIX, choice_labels
from parlons.modules.surveys.selectors import ResponseData, demographic_values


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    categories: list[Any]  # stored values (option codes, demographic values, band labels)
    labels: list[str]
    values: NDArray  # codes 0..k-1 (-1 none) or a boolean respondents × k matrix

    @property
    def size(self) -> int:
        return len(self.categories)


def band_labels(edges: Sequence[float]) -> list[str]:
    """Labels of the bands ``[e0, e1) … [e_{n-1}, e_n]``: "18-34", …, "65+" for a last open end."""
    labels = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        if high >= 120 and low > 0:
            labels.append(f"{_fmt(low)}+")
        else:
            labels.append(
                f"{_fmt(low)}-{_fmt(high - 1) if float(high).is_integer() else _fmt(high)}"
            )
    return labels


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def variable_options(*, questionnaire, extra_fields: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(name, label) of every variable a cross-tab or a filter can use."""
    options = []
    for slot in _plan_slots(questionnaire):
        question = slot[1]
        text = pick(question["text"])
        name, kind, part = slot[0]
        if kind in ("code", "mask"):
            if question["type"] in MATRIX:
                row = next(r for r in question["rows"] if r["code"] == part)
                text = f"{text} — {pick(row['label'])}"
            options.append((f"q:{name}", text))
    options += [
        ("d:age_band", _("Age (profile)")),
        ("d:gender", _("Gender (profile)")),
        ("d:area_code", _("Area (profile)")),
    ]
    options += [(f"d:extra:{field}", f"{field} ({_('profile')})") for field in extra_fields]
    return options


def _plan_slots(questionnaire):
    from parlons.modules.surveys.coding import Layout

    plan = Layout.of(questionnaire.definition)
    for slot in plan.codes:
        if slot.kind in ("code", "mask"):
            yield (slot.name, slot.kind, slot.part), plan.questions[slot.question]


def build_variable(
    *, questionnaire, data: ResponseData, name: str, bands: Sequence[float] | None = None
) -> Variable:
    """The variable ``name`` over the responses of ``data`` (ValueError if unknown)."""
    if name.startswith("d:"):
        return _demographic(questionnaire, data, name[2:])
    if not name.startswith("q:"):
        raise ValueError(f"unknown variable {name!r}")
    slot_name = name[2:]
    plan = data.plan
    slot = next((s for s in plan.codes if s.name == slot_name), None)
    if slot is None:
        number = next((s for s in plan.numbers if s.name == slot_name), None)
        if number is None or not bands:
            raise ValueError(f"unknown variable {name!r}")
        position = plan.number_position(slot_name)
        labels = band_labels(bands)
        codes = bin_codes(values=data.matrix.numbers[:, position], edges=list(bands))
        return Variable(name, pick(plan.questions[number.question]["text"]), labels, labels, codes)
    question = plan.questions[slot.question]
    pairs = choice_labels(question)
    column = data.matrix.codes[:, plan.code_position(slot_name)]
    values = mask_matrix(column, len(pairs)) if slot.kind == "mask" else column.astype(np.intp)
    return Variable(
        name,
        pick(question["text"]),
        [code for code, _l in pairs],
        [pick(label) if not isinstance(label, str) else label for _c, label in pairs],
        values,
    )


def _demographic(questionnaire, data: ResponseData, field: str) -> Variable:
    values = demographic_values(participants=data.participants, field=field)
    if field == "age_band":
        categories, labels = zip(*AgeBand.choices, strict=True)
        label = _("Age (profile)")
    elif field == "gender":
        categories, labels = zip(*Gender.choices, strict=True)
        label = _("Gender (profile)")
    elif field == "area_code":
        organisation = questionnaire.instance.process.organisation
        areas = list(Area.objects.filter(organisation=organisation).order_by("code"))
        categories = [a.code for a in areas]
        labels = [pick(a.name) for a in areas]
        label = _("Area (profile)")
    elif field.startswith("extra:"):
        categories = sorted({v for v in values if v})
        labels = categories
        label = field.split(":", 1)[1]
    else:
        raise ValueError(f"unknown demographic field {field!r}")
    codes = encode_categories(values=np.asarray(values, dtype=object), categories=list(categories))
    return Variable(f"d:{field}", str(label), list(categories), [str(x) for x in labels], codes)
