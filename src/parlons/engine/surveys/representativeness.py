"""How the respondents compare with the population, before and after weighting."""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parlons.engine.surveys.coding import encode_categories
from parlons.engine.surveys.frequencies import single_choice_frequencies


@dataclass(frozen=True, slots=True)
class MarginComparison:
    """Percent of the sample (raw and weighted) and of the population in each category.

    Sample percentages are of the respondents whose value is one of the categories;
    ``unmatched`` counts the others (missing or unlisted values).
    """

    variable: str
    categories: tuple[Hashable, ...]
    sample_percentages: NDArray[np.float64]
    weighted_percentages: NDArray[np.float64]
    population_percentages: NDArray[np.float64]
    unmatched: int

    @property
    def largest_gap(self) -> float:
        """Largest absolute gap in percentage points between the raw sample and population."""
        return float(np.nanmax(np.abs(self.sample_percentages - self.population_percentages)))


def compare_with_margins(
    *,
    sample: Mapping[str, ArrayLike],
    margins: Mapping[str, Mapping[Hashable, float]],
    weights: ArrayLike | None = None,
) -> list[MarginComparison]:
    """One :class:`MarginComparison` per variable of ``margins`` (e.g. age band, gender)."""
    comparisons = []
    for variable, margin in margins.items():
        categories = tuple(margin)
        codes = encode_categories(values=sample[variable], categories=categories)
        counts = single_choice_frequencies(codes=codes, n_options=len(categories), weights=weights)
        totals = np.array([margin[c] for c in categories], dtype=np.float64)
        comparisons.append(
            MarginComparison(
                variable=variable,
                categories=categories,
                sample_percentages=counts.percentages,
                weighted_percentages=counts.weighted_percentages,
                population_percentages=totals * (100.0 / totals.sum()),
                unmatched=counts.missing,
            )
        )
    return comparisons
