import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parlons.engine.surveys import RakingError, effective_sample_size, rake


def test_two_by_two_reaches_both_margins() -> None:
    sample = {
        "sex": np.array(["f", "f", "m", "m", "m"]),
        "age": np.array(["y", "o", "y", "o", "o"]),
    }
    margins = {"sex": {"f": 60.0, "m": 40.0}, "age": {"y": 50.0, "o": 50.0}}

    result = rake(sample=sample, margins=margins)

    assert result.converged
    w = result.weights
    assert w[sample["sex"] == "f"].sum() == pytest.approx(60.0)
    assert w[sample["age"] == "y"].sum() == pytest.approx(50.0)
    assert w.sum() == pytest.approx(100.0)


def test_base_weights_are_kept_within_cells() -> None:
    sample = {"g": np.array([0, 0, 1])}
    result = rake(sample=sample, margins={"g": {0: 10.0, 1: 5.0}}, base_weights=[1.0, 3.0, 2.0])

    assert result.weights.tolist() == pytest.approx([2.5, 7.5, 5.0])
    assert result.iterations == 1


def test_gives_up_after_max_iterations_and_says_so() -> None:
    sample = {"a": np.array([0, 0, 1, 1, 1]), "b": np.array([0, 1, 0, 1, 1])}
    margins = {"a": {0: 30.0, 1: 70.0}, "b": {0: 80.0, 1: 20.0}}

    result = rake(sample=sample, margins=margins, tolerance=1e-14, max_iterations=2)

    assert not result.converged
    assert result.iterations == 2
    assert result.max_relative_margin_error > 1e-14


def test_category_absent_from_sample_is_a_clear_error() -> None:
    with pytest.raises(RakingError, match=r"'age' has categories .* nobody .* \['65\+'\]"):
        rake(
            sample={"age": np.array(["18-34", "35-64"])},
            margins={"age": {"18-34": 30.0, "35-64": 50.0, "65+": 20.0}},
        )


def test_respondent_outside_the_margin_is_a_clear_error() -> None:
    with pytest.raises(RakingError, match=r"1 respondent\(s\) have a 'sex' value .* \['x'\]"):
        rake(sample={"sex": np.array(["f", "m", "x"])}, margins={"sex": {"f": 1.0, "m": 1.0}})


def test_margins_with_different_totals_are_a_clear_error() -> None:
    with pytest.raises(RakingError, match="same population total"):
        rake(
            sample={"a": np.array([0, 1]), "b": np.array([0, 1])},
            margins={"a": {0: 50.0, 1: 50.0}, "b": {0: 50.0, 1: 60.0}},
        )


def test_empty_sample_is_a_clear_error() -> None:
    with pytest.raises(RakingError, match="sample is empty"):
        rake(sample={"a": np.array([], dtype=int)}, margins={"a": {0: 1.0}})


def test_margin_and_sample_variables_must_agree() -> None:
    with pytest.raises(RakingError, match="differ"):
        rake(sample={"a": np.array([0])}, margins={"b": {0: 1.0}})


def test_negative_base_weight_is_refused() -> None:
    with pytest.raises(RakingError, match="non-negative"):
        rake(sample={"a": np.array([0, 0])}, margins={"a": {0: 1.0}}, base_weights=[1.0, -1.0])


def test_effective_sample_size_is_kish() -> None:
    assert effective_sample_size(weights=np.ones(10)) == pytest.approx(10.0)
    assert effective_sample_size(weights=[1.0, 3.0]) == pytest.approx(16 / 10)
    assert effective_sample_size(weights=[]) == 0.0


@st.composite
def raking_problems(draw: st.DrawFn) -> tuple[dict, dict, np.ndarray]:
    """Random samples with margins some positive reweighting of the sample meets exactly.

    Raking has a solution only when the margins are reachable from the sample's cells;
    drawing them as the weighted margins of hidden positive "population" weights makes
    every problem solvable, so raking must converge to them.
    """
    n = draw(st.integers(min_value=5, max_value=80))
    sizes = draw(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=4))
    sample = {
        f"v{index}": np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
        for index, k in enumerate(sizes)
    }
    hidden = np.array(draw(st.lists(st.floats(0.1, 10.0), min_size=n, max_size=n)))
    scale = draw(st.floats(min_value=0.01, max_value=1e4))
    margins = {
        name: {
            code: float(total) * scale
            for code, total in enumerate(np.bincount(codes, weights=hidden))
            if total > 0
        }
        for name, codes in sample.items()
    }
    base = np.array(draw(st.lists(st.floats(0.2, 5.0), min_size=n, max_size=n)))
    return sample, margins, base


@settings(max_examples=200, deadline=None)
@given(raking_problems())
def test_raking_reproduces_every_target_margin(problem: tuple) -> None:
    sample, margins, base = problem
    result = rake(sample=sample, margins=margins, base_weights=base, max_iterations=10_000)

    assert result.converged
    for name, margin in margins.items():
        totals = np.bincount(sample[name], weights=result.weights)
        np.testing.assert_allclose(totals[list(margin)], list(margin.values()), rtol=1e-9)
    assert np.all(result.weights > 0)


@settings(max_examples=100, deadline=None)
@given(raking_problems())
def test_weights_already_on_target_are_left_alone(problem: tuple) -> None:
    sample, _, base = problem
    margins = {
        name: {c: t for c, t in enumerate(np.bincount(codes, weights=base)) if t > 0}
        for name, codes in sample.items()
    }
    result = rake(sample=sample, margins=margins, base_weights=base)

    assert result.iterations == 1
    np.testing.assert_allclose(result.weights, base, rtol=1e-12)


def test_many_large_variables_rake_like_few() -> None:
    """Past 2**62 category combinations the cells are found by rows, with the same result."""
    rng = np.random.default_rng(3)
    sample = {f"v{i}": rng.integers(0, 100, 500) for i in range(10)}
    margins = {  # twice the sample's own counts: every respondent should weigh exactly 2
        name: {c: 2.0 * t for c, t in enumerate(np.bincount(codes)) if t}
        for name, codes in sample.items()
    }

    result = rake(sample=sample, margins=margins)

    assert result.converged
    np.testing.assert_allclose(result.weights, 2.0)
