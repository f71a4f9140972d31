"""Grouping identical ballots is exact: the grouped problem counts every voter once."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from parlons.engine.budgets.instance import _unique_rows, build_problem


def test_identical_ballots_are_grouped_whatever_their_order() -> None:
    problem = build_problem(
        ids=["a", "b", "c"],
        costs=[Fraction(1)] * 3,
        budget=Fraction(2),
        vote_type="approval",
        indptr=np.array([0, 2, 4, 5, 5, 7]),
        indices=np.array([0, 1, 1, 0, 2, 0, 1]),
    )

    groups = sorted(
        (tuple(problem.indices[problem.indptr[g] : problem.indptr[g + 1]].tolist()), int(m))
        for g, m in enumerate(problem.mult)
    )
    assert groups == [((), 1), ((0, 1), 3), ((2,), 1)]
    assert problem.num_voters == 5
    assert problem.vote_counts.tolist() == [3, 3, 1]


def test_unique_rows_match_numpy_on_random_rows() -> None:
    rng = np.random.default_rng(5)
    pad = rng.integers(-1, 4, size=(2000, 4))

    rows, counts = _unique_rows(pad)
    expected_rows, expected_counts = np.unique(pad, axis=0, return_counts=True)

    assert sorted(zip(map(tuple, rows.tolist()), counts.tolist(), strict=True)) == sorted(
        zip(map(tuple, expected_rows.tolist()), expected_counts.tolist(), strict=True)
    )


def test_negative_scores_are_refused() -> None:
    with pytest.raises(ValueError, match="negative scores"):
        build_problem(
            ids=["a"],
            costs=[Fraction(1)],
            budget=Fraction(1),
            vote_type="scoring",
            indptr=np.array([0, 1]),
            indices=np.array([0]),
            points=np.array([-2]),
        )
