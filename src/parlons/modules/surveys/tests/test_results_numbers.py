"""Shortcuts of the results page give the numbers of the general path, to the bit."""

from __future__ import annotations

import numpy as np
import pytest

from parlons.modules.surveys.results import _scale_summary, _summary


@pytest.mark.parametrize("seed", range(30))
def test_a_scale_summary_from_its_counts_equals_the_summary_of_every_answer(seed) -> None:
    rng = np.random.default_rng(seed)
    lowest, size = int(rng.integers(-2, 3)), int(rng.integers(1, 12))
    n = int(rng.integers(0, 400))
    codes = rng.integers(-1, size, n)  # -1: no answer
    counts = np.bincount(codes[codes >= 0], minlength=size)
    values = np.where(codes >= 0, codes + lowest, np.nan).astype(float)
    assert _scale_summary(counts, lowest) == _summary(values, None)


@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_percent_texts_are_those_of_the_template_filter(language) -> None:
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from parlons.modules.surveys.results import percent_text

    rng = np.random.default_rng(5)
    ties = [0.05, 0.15, 0.25, 12.25, 12.35, 33.45, 66.65, 99.95, 100.0, 0.0, 1e-9, 999.95]
    values = ties + list(rng.uniform(0, 100, 500)) + [100 * a / b for a in range(9) for b in (3, 7)]
    with translation.override(language):
        for value in values:
            assert percent_text(value) == floatformat(value, 1), value
        assert percent_text(None) == "–"
        assert percent_text(1234.56) == floatformat(1234.56, 1)
