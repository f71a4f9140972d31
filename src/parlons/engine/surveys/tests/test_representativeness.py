import numpy as np
import pytest

from parlons.engine.surveys import compare_with_margins, rake


def test_sample_against_population_before_and_after_raking() -> None:
    sample = {"gender": np.array(["f", "f", "f", "m", None], dtype=object)}
    margins = {"gender": {"f": 510.0, "m": 490.0}}
    weights = rake(sample={"gender": sample["gender"][:4]}, margins=margins).weights

    (before,) = compare_with_margins(sample=sample, margins=margins)
    (after,) = compare_with_margins(
        sample={"gender": sample["gender"][:4]}, margins=margins, weights=weights
    )

    assert before.sample_percentages.tolist() == [75.0, 25.0]
    assert before.population_percentages.tolist() == pytest.approx([51.0, 49.0])
    assert before.unmatched == 1
    assert before.largest_gap == pytest.approx(24.0)
    assert after.weighted_percentages.tolist() == pytest.approx([51.0, 49.0])
