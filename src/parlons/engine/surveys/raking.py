"""Raking (iterative proportional fitting) of survey weights to population margins.

The algorithm is classical raking ratio estimation, Deming & Stephan (1940), "On a least
squares adjustment of a sampled frequency table when the expected marginal totals are
known", as in R ``survey::rake`` and in samplics ``SampleWeight.rake``: each sweep
post-stratifies the weights to the margins of one variable after another, until every
margin is met. The fixed point does not depend on the order of variables, so converged
results agree with samplics (unit-level sweeps) and balance (``rake``, sweeps over the
joint cell table) to rounding; ``tests/test_nonvoters.py`` checks both.
"""

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parlons.engine.surveys.coding import MISSING, encode_categories

TOTAL_RELATIVE_TOLERANCE = 1e-6


class RakingError(ValueError):
    """The sample or the margins cannot be raked; the message says which and why."""


@dataclass(frozen=True, slots=True)
class RakingResult:
    """Raked weights (summing to the margins' total) and how the iteration ended."""

    weights: NDArray[np.float64]
    iterations: int
    converged: bool
    max_relative_margin_error: float


@dataclass(frozen=True, slots=True)
class _Margin:
    name: str
    codes: NDArray[np.intp]
    targets: NDArray[np.float64]


def rake(
    *,
    sample: Mapping[str, ArrayLike],
    margins: Mapping[str, Mapping[Hashable, float]],
    base_weights: ArrayLike | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
) -> RakingResult:
    """Rake ``base_weights`` (default 1 each) so that weighted totals meet ``margins``.

    ``sample`` maps each variable to one label per respondent; ``margins`` maps the same
    variables to ``{label: population total}``, every variable summing to the same total.
    Stops when every margin is met to ``tolerance`` (relative), or after
    ``max_iterations`` sweeps with ``converged=False``. Raises :class:`RakingError` for an
    empty sample, a respondent whose label has no margin, a margin category with nobody
    in the sample, or margins with different totals.
    """
    weights = _base_weights(base_weights=base_weights, n=_sample_size(sample))
    parsed = _parse_margins(sample=sample, margins=margins, weights=weights)
    cell_of, cells = _collapse_to_cells(parsed)
    start = np.bincount(cell_of, weights=weights, minlength=cell_of.max() + 1)
    fitted, iterations, converged, error = _fit_cells(
        cells, start.copy(), tolerance=tolerance, max_iterations=max_iterations
    )
    factors = np.divide(fitted, start, out=np.zeros_like(start), where=start > 0)
    return RakingResult(weights * factors[cell_of], iterations, converged, error)


def _fit_cells(
    cells: list[_Margin], weights: NDArray[np.float64], *, tolerance: float, max_iterations: int
) -> tuple[NDArray[np.float64], int, bool, float]:
    """Deming–Stephan sweeps over the table of occupied cells (one entry per combination)."""
    for iteration in range(1, max_iterations + 1):
        for margin in cells:
            current = np.bincount(margin.codes, weights=weights, minlength=margin.targets.size)
            weights *= _ratios(margin.targets, current)[margin.codes]
        error = _max_relative_error(cells, weights)
        if error <= tolerance:
            return weights, iteration, True, error
    return weights, max_iterations, False, _max_relative_error(cells, weights)


def _collapse_to_cells(parsed: list[_Margin]) -> tuple[NDArray[np.intp], list[_Margin]]:
    """Respondents sharing every raking category share one raking factor: rake the cells.

    Same fixed point as unit-level raking (what balance does with its joint table), at a
    cost per sweep in occupied cells rather than respondents.
    """
    if math.prod(m.targets.size for m in parsed) < 2**62:
        key = np.zeros(parsed[0].codes.shape[0], dtype=np.int64)
        for margin in parsed:
            key = key * margin.targets.size + margin.codes
        _, first, cell_of = np.unique(key, return_index=True, return_inverse=True)
    else:  # too many combinations for one integer key: compare code rows instead
        rows = np.stack([m.codes for m in parsed], axis=1)
        _, first, cell_of = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    cells = [_Margin(m.name, m.codes[first], m.targets) for m in parsed]
    return cell_of.reshape(-1), cells


def effective_sample_size(*, weights: ArrayLike) -> float:
    """Kish's effective sample size, ``(Σw)² / Σw²`` (Kish 1965, *Survey Sampling*)."""
    w = np.asarray(weights, dtype=np.float64)
    if w.size == 0:
        return 0.0
    squares = float(np.dot(w, w))
    return float(w.sum()) ** 2 / squares if squares > 0 else 0.0


def _sample_size(sample: Mapping[str, ArrayLike]) -> int:
    if not sample:
        raise RakingError("no raking variable given")
    sizes = {name: len(np.asarray(values)) for name, values in sample.items()}
    if len(set(sizes.values())) != 1:
        raise RakingError(f"sample variables have different lengths: {sizes}")
    n = next(iter(sizes.values()))
    if n == 0:
        raise RakingError("the sample is empty: there is nobody to weight")
    return n


def _base_weights(*, base_weights: ArrayLike | None, n: int) -> NDArray[np.float64]:
    if base_weights is None:
        return np.ones(n)
    weights = np.array(base_weights, dtype=np.float64)
    if weights.shape != (n,):
        raise RakingError(f"base_weights has shape {weights.shape}, expected ({n},)")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise RakingError("base_weights must be finite and non-negative")
    return weights


def _parse_margins(
    *,
    sample: Mapping[str, ArrayLike],
    margins: Mapping[str, Mapping[Hashable, float]],
    weights: NDArray[np.float64],
) -> list[_Margin]:
    if set(sample) != set(margins):
        raise RakingError(
            f"sample variables {sorted(sample)} and margin variables {sorted(margins)} differ"
        )
    parsed = [
        _parse_margin(name=name, values=sample[name], margin=margins[name], weights=weights)
        for name in margins
    ]
    _check_totals(parsed)
    return parsed


def _parse_margin(
    *, name: str, values: ArrayLike, margin: Mapping[Hashable, float], weights: NDArray[np.float64]
) -> _Margin:
    categories = list(margin)
    targets = np.array([margin[c] for c in categories], dtype=np.float64)
    if targets.size == 0 or not np.all(np.isfinite(targets)) or np.any(targets < 0):
        raise RakingError(f"margin {name!r} must give finite, non-negative totals")
    codes = encode_categories(values=values, categories=categories)
    unknown = codes == MISSING
    if unknown.any():
        examples = sorted({str(v) for v in np.asarray(values)[unknown].tolist()})[:5]
        raise RakingError(
            f"{int(unknown.sum())} respondent(s) have a {name!r} value with no margin "
            f"category, e.g. {examples}; add the category to the margin or recode them"
        )
    present = np.bincount(codes, weights=weights, minlength=len(categories))
    absent = [c for c, t, p in zip(categories, targets, present, strict=True) if t > 0 and p <= 0]
    if absent:
        raise RakingError(
            f"margin {name!r} has categories with a population total but nobody (or zero "
            f"weight) in the sample: {absent}; merge them with a neighbouring category"
        )
    return _Margin(name=name, codes=codes, targets=targets)


def _check_totals(parsed: list[_Margin]) -> None:
    totals = {m.name: float(m.targets.sum()) for m in parsed}
    reference = next(iter(totals.values()))
    if reference <= 0:
        raise RakingError("margins must have a positive total")
    if any(abs(t - reference) > TOTAL_RELATIVE_TOLERANCE * reference for t in totals.values()):
        raise RakingError(f"margins must all sum to the same population total, got {totals}")


def _ratios(targets: NDArray[np.float64], current: NDArray[np.float64]) -> NDArray[np.float64]:
    # A zero target with zero current weight stays zero; validation excludes target > 0 here.
    return np.divide(targets, current, out=np.zeros_like(targets), where=current > 0)


def _max_relative_error(parsed: list[_Margin], weights: NDArray[np.float64]) -> float:
    worst = 0.0
    for margin in parsed:
        current = np.bincount(margin.codes, weights=weights, minlength=margin.targets.size)
        gap = np.abs(current - margin.targets)
        scale = np.where(margin.targets > 0, margin.targets, 1.0)
        worst = max(worst, float((gap / scale).max()))
    return worst
