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
