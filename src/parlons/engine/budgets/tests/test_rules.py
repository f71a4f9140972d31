"""Rule selection, tie-break choices and refusals of :func:`compute`."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from parlons.engine.budgets.instance import build_problem
from parlons.engine.budgets.rules import compute


def _tied():
    # Cumulative: voter 1 gives a 2 points; voters 2 and 3 give b 1 point each. Both cost
    # 1 of a budget of 1, so each has satisfaction 2 per unit of cost: a tie.
    return build_problem(
        ids=["a", "b"],
        costs=[Fraction(1), Fraction(1)],
        budget=Fraction(1),
        vote_type="cumulative",
        indptr=np.array([0, 1, 2, 3]),
        indices=np.array([0, 1, 1]),
        points=np.array([2, 1, 1]),
    )


@pytest.mark.parametrize(
    ("tie_break", "order", "winner"),
    [
        ("lexicographic", (), "a"),
        ("most-votes", (), "b"),
        ("lowest-cost", (), "a"),
        ("explicit", ("b", "a"), "b"),
        ("explicit", ("b",), "b"),  # unlisted projects come after, by id
    ],
)
def test_tie_breaks(tie_break: str, order: tuple[str, ...], winner: str) -> None:
    outcome = compute(problem=_tied(), rule="greedy", tie_break=tie_break, order=order)

    assert outcome.winners == [winner]
    assert outcome.explanation.greedy[1].selected is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rule": "borda"}, "unknown rule 'borda'"),
        ({"rule": "mes", "tie_break": "coin"}, "unknown tie-break 'coin'"),
        ({"rule": "mes", "tie_break": "explicit", "order": ["z"]}, "unknown projects: ['z']"),
        ({"rule": "phragmen"}, "approval and choose-1 ballots only"),
        ({"rule": "mes-add1-integral"}, "approval and choose-1 ballots only"),
    ],
)
def test_refusals_say_why(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        compute(problem=_tied(), **kwargs)
