"""Cross-tabulation of one question by another, raw and weighted.

Either side is a single-choice question (integer codes, negative = no answer) or a
multiple-choice question (respondents × options boolean matrix; a respondent with no
option selected did not answer). Only respondents who answered both questions count.
Two single-choice questions take one ``np.bincount`` over ``row * n_columns + column``;
a multiple-choice side takes one indicator-matrix product.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parlons.engine.surveys.coding import as_codes, as_weights


@dataclass(frozen=True, slots=True)
class CrossTab:
    """Counts per (row option, column option), with the bases that percentages divide by.

    ``row_bases[i]`` is the number of respondents who chose row option ``i`` and answered
    the column question (equal to the row sum unless the column question is multiple
    choice); ``column_bases`` likewise.
    """

    counts: NDArray[np.int64]
    weighted: NDArray[np.float64]
    row_bases: NDArray[np.int64]
    column_bases: NDArray[np.int64]
    weighted_row_bases: NDArray[np.float64]
    weighted_column_bases: NDArray[np.float64]

    def row_percentages(self, *, weighted: bool = False) -> NDArray[np.float64]:
        """Percent of each row option's respondents choosing each column option."""
        table, bases = (
            (self.weighted, self.weighted_row_bases)
            if weighted
            else (
                self.counts,
                self.row_bases,
            )
        )
        return _divide(table * 100.0, bases[:, None])

    def column_percentages(self, *, weighted: bool = False) -> NDArray[np.float64]:
        """Percent of each column option's respondents choosing each row option."""
        table, bases = (
            (self.weighted, self.weighted_column_bases)
            if weighted
            else (
                self.counts,
                self.column_bases,
            )
        )
        return _divide(table * 100.0, bases[None, :])


def crosstab(
    *,
    rows: ArrayLike,
    columns: ArrayLike,
    n_rows: int,
    n_columns: int,
    weights: ArrayLike | None = None,
) -> CrossTab:
    """Cross-tabulate ``rows`` by ``columns`` (codes or boolean matrices, see module doc)."""
    r, c = np.asarray(rows), np.asarray(columns)
    if r.shape[0] != c.shape[0]:
        raise ValueError(f"rows has {r.shape[0]} respondents, columns has {c.shape[0]}")
    w = as_weights(weights=weights, n=r.shape[0])
    if r.ndim == 1 and c.ndim == 1:
        return _crosstab_codes(
            as_codes(codes=r, n_options=n_rows),
            as_codes(codes=c, n_options=n_columns),
            n_rows,
            n_columns,
            w,
        )
    return _crosstab_indicators(_indicator(r, n_rows), _indicator(c, n_columns), w)


def _crosstab_codes(
    r: NDArray[np.intp], c: NDArray[np.intp], n_rows: int, n_columns: int, w: NDArray[np.float64]
) -> CrossTab:
    both = (r >= 0) & (c >= 0)
    cells = r[both] * n_columns + c[both]
    size = n_rows * n_columns
    counts = np.bincount(cells, minlength=size).reshape(n_rows, n_columns).astype(np.int64)
    weighted = np.bincount(cells, weights=w[both], minlength=size).reshape(n_rows, n_columns)
    return CrossTab(
        counts=counts,
        weighted=weighted,
        row_bases=counts.sum(axis=1),
        column_bases=counts.sum(axis=0),
        weighted_row_bases=weighted.sum(axis=1),
        weighted_column_bases=weighted.sum(axis=0),
    )


def _crosstab_indicators(
    r: NDArray[np.float64], c: NDArray[np.float64], w: NDArray[np.float64]
) -> CrossTab:
    answered_r = r.any(axis=1).astype(np.float64)
    answered_c = c.any(axis=1).astype(np.float64)
    counts = r.T @ c
    weighted = r.T @ (c * w[:, None])
    return CrossTab(
        counts=np.rint(counts).astype(np.int64),
        weighted=weighted,
        row_bases=np.rint(r.T @ answered_c).astype(np.int64),
        column_bases=np.rint(answered_r @ c).astype(np.int64),
        weighted_row_bases=r.T @ (answered_c * w),
        weighted_column_bases=(answered_r * w) @ c,
    )


def _indicator(answers: NDArray, n_options: int) -> NDArray[np.float64]:
    if answers.ndim == 2:
        if answers.shape[1] != n_options:
            raise ValueError(
                f"a multiple-choice matrix has {answers.shape[1]} options, expected {n_options}"
            )
        return answers.astype(bool).astype(np.float64)
    codes = as_codes(codes=answers, n_options=n_options)
    matrix = np.zeros((codes.shape[0], n_options))
    answered = codes >= 0
    matrix[np.flatnonzero(answered), codes[answered]] = 1.0
    return matrix


def _divide(numerator: NDArray, denominator: NDArray) -> NDArray[np.float64]:
    out = np.full(np.broadcast_shapes(numerator.shape, denominator.shape), np.nan)
    return np.divide(numerator, denominator, out=out, where=denominator > 0)
