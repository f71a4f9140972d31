"""Representativeness: population margins, sample against population, raking weights.

The organiser enters, for a few variables (age band, gender, area, or any single-choice
question; a number question cut into bands), the population in each category — counts
or percentages. Each variable is rescaled to the total of the first, as raking needs
(Deming & Stephan 1940; the engine's ``rake`` is checked against samplics and balance).
Respondents with an unknown value on a raking variable get no weight (weight 0) and are
counted as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from parlons.engine.surveys import (
    MarginComparison,
    RakingError,
    compare_with_margins,
    effective_sample_size,
    rake,
)
from parlons.modules.surveys.selectors import ResponseData
from parlons.modules.surveys.variables import Variable, build_variable


def check_margins(*, questionnaire, margins: Sequence) -> list[dict]:
    """Clean margins: known variables, known categories, non-negative totals."""
    clean = []
    names = set()
    for margin in margins:
        name = str(margin.get("variable") or "")
        bands = margin.get("bands") or None
        try:
            categories = variable_categories(questionnaire=questionnaire, name=name, bands=bands)
        except ValueError:
            raise ValidationError(
                _("Unknown variable for the margins: %(name)s.") % {"name": name}
            ) from None
        if name in names:
            raise ValidationError(_("The variable %(name)s has two margins.") % {"name": name})
        names.add(name)
        targets = {}
        for category, total in (margin.get("targets") or {}).items():
            if str(category) not in categories:
                raise ValidationError(
                    _("%(category)s is not a category of %(name)s.")
                    % {"category": category, "name": name}
                )
            try:
                value = float(total)
            except (TypeError, ValueError):
                raise ValidationError(
                    _("Enter the population of each category as a number.")
                ) from None
            if not np.isfinite(value) or value < 0:
                raise ValidationError(_("Enter the population of each category as a number."))
            targets[str(category)] = value
        if sum(targets.values()) <= 0:
            raise ValidationError(
                _("Give a population for at least one category of %(name)s.") % {"name": name}
            )
        clean.append(
            {"variable": name, "bands": list(bands) if bands else None, "targets": targets}
        )
    return clean


def variable_categories(*, questionnaire, name: str, bands=None) -> list[str]:
    """The categories (as strings) of a variable, without reading any response."""
    from parlons.modules.surveys.coding import Layout, Matrix
    from parlons.modules.surveys.selectors import ResponseData

    plan = Layout.of(questionnaire.definition)
    nothing = ResponseData(
        plan,
        Matrix(np.zeros((0, len(plan.codes)), np.int32), np.zeros((0, len(plan.numbers)))),
        np.zeros(0, np.int64),
        np.zeros(0, bool),
        np.zeros(0, np.int64),
        np.zeros(0),
    )
    variable = build_variable(questionnaire=questionnaire, data=nothing, name=name, bands=bands)
    return [str(c) for c in variable.categories]


@dataclass(frozen=True)
class Weighting:
    """Raking weights (0 for respondents left out), with what the organiser needs to judge them."""

    weights: NDArray[np.float64] | None
    effective_size: float
    weighted_respondents: int
    left_out: int
    comparisons: list[tuple[Variable, MarginComparison]]
    error: str = ""


def compute_weighting(*, questionnaire, data: ResponseData) -> Weighting | None:
    """Weights for ``data`` from the questionnaire's margins (None when there are none)."""
    margins = questionnaire.margins or []
    if not margins or not len(data):
        return None
    variables = [
        build_variable(
            questionnaire=questionnaire, data=data, name=m["variable"], bands=m.get("bands")
        )
        for m in margins
    ]
    known = np.ones(len(data), dtype=bool)
    sample = {}
    for variable in variables:
        codes = np.asarray(variable.values)
        if codes.ndim != 1:
            return Weighting(
                None,
                0.0,
                0,
                len(data),
                [],
                _("A multiple-choice question cannot be a raking variable."),
            )
        known &= codes >= 0
        sample[variable.name] = np.array(
            [str(c) for c in variable.categories] + [""], dtype=object
        )[codes]
    total = sum(margins[0]["targets"].values())
    scaled = {
        m["variable"]: {k: v * total / sum(m["targets"].values()) for k, v in m["targets"].items()}
        for m in margins
    }
    comparisons = compare_with_margins(sample=sample, margins=scaled)
    weights = np.zeros(len(data))
    try:
        result = rake(
            sample={name: values[known] for name, values in sample.items()},
            margins=scaled,
        )
    except RakingError as error:
        return Weighting(
            None,
            0.0,
            0,
            int((~known).sum()),
            list(zip(variables, comparisons, strict=True)),
            str(error),
        )
    weights[known] = result.weights
    weighted = compare_with_margins(sample=sample, margins=scaled, weights=weights)
    return Weighting(
        weights,
        effective_sample_size(weights=result.weights),
        int(known.sum()),
        int((~known).sum()),
        list(zip(variables, weighted, strict=True)),
    )
