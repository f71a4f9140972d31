import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parlons.engine.surveys import crosstab, single_choice_frequencies


def test_single_by_single_counts_only_respondents_who_answered_both() -> None:
    result = crosstab(
        rows=np.array([0, 0, 1, 1, -1, 1]),
        columns=np.array([0, 1, 1, 1, 0, -1]),
        n_rows=2,
        n_columns=2,
        weights=[1, 2, 3, 4, 5, 6],
    )

    assert result.counts.tolist() == [[1, 1], [0, 2]]
    assert result.weighted.tolist() == [[1.0, 2.0], [0.0, 7.0]]
    assert result.row_percentages().tolist() == [[50.0, 50.0], [0.0, 100.0]]
    assert result.column_percentages(weighted=True)[:, 1] == pytest.approx([200 / 9, 700 / 9])


def test_multiple_choice_rows_use_respondent_bases() -> None:
    rows = np.array([[1, 1], [1, 0], [0, 0], [0, 1]], dtype=bool)  # third did not answer
    result = crosstab(rows=rows, columns=np.array([0, 0, 1, 1]), n_rows=2, n_columns=2)

    assert result.counts.tolist() == [[2, 0], [1, 1]]
    assert result.column_bases.tolist() == [2, 1]
    assert result.column_percentages().tolist() == [[100.0, 0.0], [50.0, 100.0]]


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="respondents"):
        crosstab(rows=np.array([0, 1]), columns=np.array([0]), n_rows=2, n_columns=1)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 2), st.integers(-1, 3)), max_size=60))
def test_margins_of_the_table_are_the_frequencies(pairs: list) -> None:
    codes = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rows, columns = codes[:, 0], codes[:, 1]
    table = crosstab(rows=rows, columns=columns, n_rows=3, n_columns=4)
    both = (rows >= 0) & (columns >= 0)

    as_codes = crosstab(
        rows=np.eye(3, dtype=bool)[rows] & (rows >= 0)[:, None],
        columns=columns,
        n_rows=3,
        n_columns=4,
    )
    expected = single_choice_frequencies(codes=rows[both], n_options=3)
    assert table.counts.sum(axis=1).tolist() == expected.counts.tolist()
    assert as_codes.counts.tolist() == table.counts.tolist()
