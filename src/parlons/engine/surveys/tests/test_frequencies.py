import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from parlons.engine.surveys import (
    MISSING,
    bin_codes,
    encode_categories,
    mask_frequencies,
    multiple_choice_frequencies,
    numeric_summary,
    questionnaire_frequencies,
    ranking_summary,
    single_choice_frequencies,
)


def test_single_choice_counts_weights_and_missing() -> None:
    result = single_choice_frequencies(
        codes=np.array([0, 1, 1, -1, 2, 1]), n_options=4, weights=[1, 2, 2, 9, 1, 1]
    )

    assert result.counts.tolist() == [1, 3, 1, 0]
    assert result.weighted.tolist() == [1.0, 5.0, 1.0, 0.0]
    assert (result.base, result.missing, result.weighted_base) == (5, 1, 7.0)
    assert result.percentages.tolist() == [20.0, 60.0, 20.0, 0.0]
    assert result.weighted_percentages == pytest.approx([100 / 7, 500 / 7, 100 / 7, 0.0])


def test_nobody_answered_gives_nan_percentages() -> None:
    result = single_choice_frequencies(codes=np.array([-1, -1]), n_options=2)

    assert result.base == 0
    assert np.isnan(result.percentages).all()


def test_code_outside_the_options_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the 3 options"):
        single_choice_frequencies(codes=np.array([0, 3]), n_options=3)


def test_multiple_choice_percentages_are_of_those_who_answered() -> None:
    selected = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0], [1, 0, 1]], dtype=bool)
    result = multiple_choice_frequencies(selected=selected)

    assert result.counts.tolist() == [2, 2, 1]
    assert (result.base, result.missing) == (3, 1)
    assert result.percentages == pytest.approx([200 / 3, 200 / 3, 100 / 3])


def test_multiple_choice_refuses_selections_from_non_respondents() -> None:
    with pytest.raises(ValueError, match="not answering"):
        multiple_choice_frequencies(selected=[[True, False]], answered=[False])


def test_numeric_summary_skips_nan() -> None:
    result = numeric_summary(values=[1.0, np.nan, 3.0, 5.0], weights=[1.0, 1.0, 1.0, 2.0])

    assert (result.count, result.missing) == (3, 1)
    assert result.mean == 3.0
    assert result.weighted_mean == pytest.approx(14 / 4)
    assert result.weighted_median == 3.0  # cumulative weight 1, 2, 4: half (2) is reached at 3
    assert (result.minimum, result.maximum, result.median) == (1.0, 5.0, 3.0)


def test_encode_categories_marks_unknown_and_missing_values() -> None:
    codes = encode_categories(
        values=np.array(["b", None, "a", "z"], dtype=object), categories=["a", "b"]
    )

    assert codes.tolist() == [1, MISSING, 0, MISSING]


def test_bin_codes_are_half_open_with_a_closed_last_bin() -> None:
    codes = bin_codes(values=[17.9, 18, 34.99, 35, 120, 121, np.nan], edges=[18, 35, 120])

    assert codes.tolist() == [MISSING, 0, 0, 1, 1, MISSING, MISSING]


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(
        np.int64, st.tuples(st.integers(0, 50), st.integers(1, 6)), elements=st.integers(-1, 3)
    ),
    st.integers(0, 2**32 - 1),
)
def test_questionnaire_frequencies_equal_one_question_at_a_time(
    codes: np.ndarray, seed: int
) -> None:
    weights = np.random.default_rng(seed).uniform(0.1, 3.0, codes.shape[0])
    n_options = [4] * codes.shape[1]

    together = questionnaire_frequencies(codes=codes, n_options=n_options, weights=weights)

    for column, result in enumerate(together):
        alone = single_choice_frequencies(codes=codes[:, column], n_options=4, weights=weights)
        assert result.counts.tolist() == alone.counts.tolist()
        np.testing.assert_allclose(result.weighted, alone.weighted, rtol=1e-12)
        assert (result.base, result.missing) == (alone.base, alone.missing)


def test_ranking_summary_counts_positions_and_means() -> None:
    ranks = np.array([[1, 2, 3], [2, 1, 0], [0, 0, 0], [1, 0, 2]])
    result = ranking_summary(ranks=ranks, weights=[1.0, 2.0, 5.0, 1.0])

    assert result.counts.tolist() == [[2, 1, 0], [1, 1, 0], [0, 1, 1]]
    assert (result.base, result.weighted_base) == (3, 4.0)
    assert result.mean_positions.tolist() == [4 / 3, 1.5, 2.5]
    assert result.weighted_mean_positions.tolist() == pytest.approx([(1 + 4 + 1) / 4, 4 / 3, 2.5])


def test_ranking_position_outside_the_options_is_refused() -> None:
    with pytest.raises(ValueError, match="outside 1..2"):
        ranking_summary(ranks=np.array([[1, 3]]))


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(
        np.int32,
        st.tuples(st.integers(0, 60), st.integers(1, 5)),
        elements=st.integers(-1, 3),
    )
)
def test_questionnaire_frequencies_without_weights_are_those_of_unit_weights(
    codes: np.ndarray,
) -> None:
    n_options = [4] * codes.shape[1]
    plain = questionnaire_frequencies(codes=codes, n_options=n_options)
    unit = questionnaire_frequencies(
        codes=codes, n_options=n_options, weights=np.ones(codes.shape[0])
    )
    for a, b in zip(plain, unit, strict=True):
        assert a.counts.tolist() == b.counts.tolist()
        assert a.weighted.tolist() == b.weighted.tolist()
        assert (a.base, a.weighted_base, a.missing) == (b.base, b.weighted_base, b.missing)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 20).flatmap(
        lambda k: st.tuples(
            st.just(k),
            hnp.arrays(np.int32, st.integers(0, 80), elements=st.integers(-1, 2**k - 1)),
        )
    ),
    st.integers(0, 2**32 - 1),
)
def test_mask_frequencies_equal_those_of_the_unpacked_matrix(problem: tuple, seed: int) -> None:
    k, masks = problem
    answered = masks >= 0
    selected = ((masks[:, None] >> np.arange(k)) & 1 == 1) & answered[:, None]
    weights = np.random.default_rng(seed).uniform(0.1, 3.0, masks.shape[0])
    for w in (None, weights):
        fast = mask_frequencies(masks=masks, n_options=k, weights=w)
        slow = multiple_choice_frequencies(selected=selected, answered=answered, weights=w)
        assert fast.counts.tolist() == slow.counts.tolist()
        assert (fast.base, fast.missing) == (slow.base, slow.missing)
        np.testing.assert_allclose(fast.weighted, slow.weighted, rtol=1e-12)
        np.testing.assert_allclose(fast.weighted_base, slow.weighted_base, rtol=1e-12)


def test_a_mask_outside_the_options_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the 3 options"):
        mask_frequencies(masks=np.array([1, 8]), n_options=3)
    assert mask_frequencies(masks=np.array([-1, 5, 3]), n_options=3).counts.tolist() == [2, 1, 1]


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.integers(0, 50),
        elements=st.one_of(st.just(np.nan), st.integers(-5, 5).map(float), st.floats(-1e3, 1e3)),
    )
)
def test_unweighted_numeric_summary_is_that_of_unit_weights(values: np.ndarray) -> None:
    plain = numeric_summary(values=values)
    unit = numeric_summary(values=values, weights=np.ones(values.size))
    for name in ("count", "missing", "weighted_count", "minimum", "maximum", "median"):
        np.testing.assert_equal(getattr(plain, name), getattr(unit, name))
    np.testing.assert_equal(plain.weighted_median, unit.weighted_median)
    for name in ("mean", "weighted_mean", "std", "weighted_std"):
        np.testing.assert_allclose(getattr(plain, name), getattr(unit, name), rtol=1e-9, atol=1e-9)


def test_questionnaire_frequencies_count_the_picked_columns_of_a_wider_matrix() -> None:
    codes = np.asfortranarray(np.array([[0, 9, 1], [1, 9, -1], [-3, 9, 1]], dtype=np.int32))
    picked = questionnaire_frequencies(codes=codes, columns=[2, 0], n_options=[2, 2])
    assert [f.counts.tolist() for f in picked] == [[0, 2], [1, 1]]
    assert [(f.base, f.missing) for f in picked] == [(2, 1), (2, 1)]
    with pytest.raises(ValueError, match="outside"):
        questionnaire_frequencies(codes=codes, columns=[1], n_options=[2])
