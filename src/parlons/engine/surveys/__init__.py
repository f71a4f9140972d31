"""Survey engine: raking weights, frequencies, cross-tabs and disclosure control.

Pure functions over numpy arrays (STYLE rule 5): no Django, no database. The surveys
module turns stored answers into integer-coded arrays and calls these.
"""

from parlons.engine.surveys.coding import MISSING, bin_codes, encode_categories
from parlons.engine.surveys.crosstab import CrossTab, crosstab
from parlons.engine.surveys.disclosure import small_cell_mask, suppress
from parlons.engine.surveys.frequencies import (
    Frequencies,
    NumericSummary,
    RankingSummary,
    mask_frequencies,
    multiple_choice_frequencies,
    numeric_summary,
    questionnaire_frequencies,
    ranking_summary,
    single_choice_frequencies,
)
from parlons.engine.surveys.raking import RakingError, RakingResult, effective_sample_size, rake
from parlons.engine.surveys.representativeness import MarginComparison, compare_with_margins

__all__ = [
    "MISSING",
    "CrossTab",
    "Frequencies",
    "MarginComparison",
    "NumericSummary",
    "RakingError",
    "RakingResult",
    "RankingSummary",
    "bin_codes",
    "compare_with_margins",
    "crosstab",
    "effective_sample_size",
    "encode_categories",
    "mask_frequencies",
    "multiple_choice_frequencies",
    "numeric_summary",
    "questionnaire_frequencies",
    "rake",
    "ranking_summary",
    "single_choice_frequencies",
    "small_cell_mask",
    "suppress",
]
