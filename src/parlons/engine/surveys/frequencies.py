"""Counts and percentages per question, raw and weighted, over integer-coded answers.

Answers arrive as arrays, one entry per respondent: option codes ``0..k-1`` with
``MISSING`` (-1) for no answer (single choice), a boolean respondents × options matrix
(multiple choice), or floats with NaN for no answer (numbers). Everything is one
``np.bincount`` or one matrix product, so 100,000 responses cost milliseconds.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parlons.engine.surveys.coding import as_codes, as_weights


@dataclass(frozen=True, slots=True)
class Frequencies:
    """Per-option counts of one question; percentages are of the respondents who answered.

    For a multiple-choice question the percentages can add up to more than 100.
    """

    counts: NDArray[np.int64]
    weighted: NDArray[np.float64]
    base: int
    weighted_base: float
    missing: int

    @property
    def percentages(self) -> NDArray[np.float64]:
        return _percent(self.counts, self.base)

    @property
    def weighted_percentages(self) -> NDArray[np.float64]:
        return _percent(self.weighted, self.weighted_base)


@dataclass(frozen=True, slots=True)
class NumericSummary:
    """Summary of a numeric question over the respondents who answered it.

    ``std`` is the sample standard deviation (``ddof=1``, as pandas); ``weighted_std`` is
    the weighted population standard deviation; ``weighted_median`` is the inverted-CDF
    weighted median (``np.quantile(..., weights=..., method="inverted_cdf")``).
    """

    count: int
    missing: int
    weighted_count: float
    mean: float
    weighted_mean: float
    std: float
    weighted_std: float
    minimum: float
    maximum: float
    median: float
    weighted_median: float


@dataclass(frozen=True, slots=True)
class RankingSummary:
    """Positions given to each option of a ranking question (position 1 = first).

    ``counts[i, j]`` is how many respondents put option ``i`` at position ``j + 1``;
    ``mean_positions`` averages over the respondents who ranked that option.
    """

    counts: NDArray[np.int64]
    weighted: NDArray[np.float64]
    base: int
    weighted_base: float

    @property
    def mean_positions(self) -> NDArray[np.float64]:
        return _mean_position(self.counts)

    @property
    def weighted_mean_positions(self) -> NDArray[np.float64]:
        return _mean_position(self.weighted)


def single_choice_frequencies(
    *, codes: ArrayLike, n_options: int, weights: ArrayLike | None = None
) -> Frequencies:
    """Count a single-choice question (codes ``0..n_options-1``, negative = no answer)."""
    c = as_codes(codes=codes, n_options=n_options)
    w = as_weights(weights=weights, n=c.shape[0])
    answered = c >= 0
    counts = np.bincount(c[answered], minlength=n_options)
    weighted = np.bincount(c[answered], weights=w[answered], minlength=n_options)
    return Frequencies(
        counts=counts.astype(np.int64),
        weighted=weighted,
        base=int(answered.sum()),
        weighted_base=float(w[answered].sum()),
        missing=int(c.shape[0] - answered.sum()),
    )


FEW_OPTIONS = 16  # up to this many options, count by comparisons rather than bincount


def questionnaire_frequencies(
    *,
    codes: ArrayLike,
    n_options: Sequence[int],
    weights: ArrayLike | None = None,
    columns: Sequence[int] | None = None,
) -> list[Frequencies]:
    """Count many single-choice questions at once: ``codes`` is respondents × questions.

    ``columns`` picks the questions' columns out of a wider matrix (default: every
    column), so the caller need not copy them out. One ``np.bincount`` per column, no
    answer going to a spare first bin: on a column-major matrix (``np.asfortranarray``)
    each column is one contiguous pass, and no respondents × questions temporary is
    built. Gives the same numbers as :func:`single_choice_frequencies` column by column.
    """
    c = np.asarray(codes)
    k = [int(size) for size in n_options]
    picked = list(range(c.shape[1] if c.ndim == 2 else 0)) if columns is None else list(columns)
    if c.ndim != 2 or len(picked) != len(k) or not np.issubdtype(c.dtype, np.integer):
        raise ValueError(f"codes must be an integer array of respondents × {len(k)} questions")
    w = None if weights is None else as_weights(weights=weights, n=c.shape[0])
    results = []
    for column, size in zip(picked, k, strict=True):
        values = c[:, column]
        if values.size and int(values.max()) >= size:
            raise ValueError("an answer code is outside its question's options")
        if w is None and size <= FEW_OPTIONS:
            # One vectorised comparison per option is several times faster than bincount.
            chosen = [np.count_nonzero(values == code) for code in range(size)]
            counts = np.array([values.size - sum(chosen), *chosen], dtype=np.int64)
        else:
            bins = np.add(values, 1, dtype=np.intp)
            np.maximum(bins, 0, out=bins)  # every negative code is "no answer"
            counts = np.bincount(bins, minlength=size + 1)
        weighted = (
            counts.astype(np.float64)  # everyone counts once: the sums are the counts, exactly
            if w is None
            else np.bincount(bins, weights=w, minlength=size + 1)
        )
        results.append(_slice_frequencies(counts, weighted, 1, size + 1, c.shape[0]))
    return results


def _slice_frequencies(
    counts: NDArray[np.int64], weighted: NDArray[np.float64], start: int, stop: int, n: int
) -> Frequencies:
    base = int(counts[start:stop].sum())
    return Frequencies(
        counts=counts[start:stop].astype(np.int64),
        weighted=weighted[start:stop],
        base=base,
        weighted_base=float(weighted[start:stop].sum()),
        missing=n - base,
    )


def multiple_choice_frequencies(
    *, selected: ArrayLike, answered: ArrayLike | None = None, weights: ArrayLike | None = None
) -> Frequencies:
    """Count a multiple-choice question given a respondents × options boolean matrix.

    ``answered`` marks who answered the question (default: who selected at least one
    option); percentages are of those respondents.
    """
    s = np.asarray(selected, dtype=bool)
    if s.ndim != 2:
        raise ValueError(f"selected must be respondents × options, got shape {s.shape}")
    a = s.any(axis=1) if answered is None else np.asarray(answered, dtype=bool)
    if a.shape != (s.shape[0],):
        raise ValueError("answered must have one entry per respondent")
    if np.any(s & ~a[:, None]):
        raise ValueError("a respondent marked as not answering has selected options")
    w = as_weights(weights=weights, n=s.shape[0])
    return Frequencies(
        counts=s.sum(axis=0, dtype=np.int64),
        weighted=w @ s,
        base=int(a.sum()),
        weighted_base=float(w[a].sum()),
        missing=int(s.shape[0] - a.sum()),
    )


MASK_PATTERNS_UP_TO = 16  # options; above, masks are unpacked into a boolean matrix


def mask_frequencies(
    *, masks: ArrayLike, n_options: int, weights: ArrayLike | None = None
) -> Frequencies:
    """Count a multiple-choice question stored as bit masks (bit ``j`` = option ``j`` chosen).

    A negative mask means no answer. The same numbers as :func:`multiple_choice_frequencies`
    on the unpacked respondents × options matrix, without building it: one ``np.bincount``
    of the distinct masks (at most ``2 ** n_options``), then one small matrix product of
    the mask counts by the options each mask selects.
    """
    m = np.asarray(masks)
    if m.ndim != 1 or not (np.issubdtype(m.dtype, np.integer) or m.size == 0):
        raise ValueError("masks must be a one-dimensional integer array")
    if m.size and int(m.max()) >= 1 << n_options:
        raise ValueError(f"a mask selects an option outside the {n_options} options")
    answered = m >= 0
    if n_options > MASK_PATTERNS_UP_TO:
        selected = (m[:, None] >> np.arange(n_options)) & 1 == 1
        return multiple_choice_frequencies(
            selected=selected & answered[:, None], answered=answered, weights=weights
        )
    patterns = np.where(answered, m, 0).astype(np.intp)  # no answer selects nothing
    selects = (np.arange(1 << n_options)[:, None] >> np.arange(n_options)) & 1
    counts = np.bincount(patterns, minlength=1 << n_options) @ selects
    base = int(np.count_nonzero(answered))
    if weights is None:
        weighted, weighted_base = counts.astype(np.float64), float(base)
    else:
        w = as_weights(weights=weights, n=m.shape[0])
        weighted = np.bincount(patterns, weights=w, minlength=1 << n_options) @ selects
        weighted_base = float(w[answered].sum())
    return Frequencies(
        counts=counts.astype(np.int64),
        weighted=weighted.astype(np.float64),
        base=base,
        weighted_base=weighted_base,
        missing=int(m.shape[0] - base),
    )


def ranking_summary(*, ranks: ArrayLike, weights: ArrayLike | None = None) -> RankingSummary:
    """Summarise a ranking question: ``ranks`` is respondents × options, 0 = not ranked."""
    r = np.asarray(ranks)
    if r.ndim != 2 or not np.issubdtype(r.dtype, np.integer):
        raise ValueError(f"ranks must be an integer respondents × options array, got {r.shape}")
    n, k = r.shape
    if n and (r.min() < 0 or r.max() > k):
        raise ValueError(f"a position is outside 1..{k} (0 = not ranked)")
    w = as_weights(weights=weights, n=n)
    # Cell (option i, position p) is i * k + p - 1; unranked cells go to a spare last bin.
    flat = np.where(r > 0, np.arange(k) * k + r - 1, k * k).ravel()
    counts = np.bincount(flat, minlength=k * k + 1)[:-1].reshape(k, k)
    weighted = np.bincount(flat, weights=np.repeat(w, k), minlength=k * k + 1)[:-1]
    answered = (r > 0).any(axis=1)
    return RankingSummary(
        counts=counts.astype(np.int64),
        weighted=weighted.reshape(k, k),
        base=int(answered.sum()),
        weighted_base=float(w[answered].sum()),
    )


def numeric_summary(*, values: ArrayLike, weights: ArrayLike | None = None) -> NumericSummary:
    """Summarise a numeric question; NaN means no answer."""
    x = np.asarray(values, dtype=np.float64)
    if weights is None:
        return _unweighted_summary(x)
    w = as_weights(weights=weights, n=x.shape[0])
    answered = ~np.isnan(x)
    xa, wa = x[answered], w[answered]
    if xa.size == 0 or wa.sum() <= 0:
        nan = float("nan")
        return NumericSummary(0, int(x.size), 0.0, nan, nan, nan, nan, nan, nan, nan, nan)
    weighted_mean = float(np.average(xa, weights=wa))
    return NumericSummary(
        count=int(xa.size),
        missing=int(x.size - xa.size),
        weighted_count=float(wa.sum()),
        mean=float(xa.mean()),
        weighted_mean=weighted_mean,
        std=float(xa.std(ddof=1)) if xa.size > 1 else float("nan"),
        weighted_std=float(np.sqrt(np.average((xa - weighted_mean) ** 2, weights=wa))),
        minimum=float(xa.min()),
        maximum=float(xa.max()),
        # + 0.0: which of two equal zeros a sort puts first must not show as "-0".
        median=float(np.median(xa)) + 0.0,
        weighted_median=float(np.quantile(xa, 0.5, weights=wa, method="inverted_cdf")) + 0.0,
    )


def _unweighted_summary(x: NDArray[np.float64]) -> NumericSummary:
    """:func:`numeric_summary` with everyone counting once, by partial sorts only."""
    xa = x[~np.isnan(x)]
    if xa.size == 0:
        nan = float("nan")
        return NumericSummary(0, int(x.size), 0.0, nan, nan, nan, nan, nan, nan, nan, nan)
    n = xa.size
    mean = float(xa.mean())
    deviations = xa - mean
    squares = float(np.square(deviations).sum())  # not np.dot: no BLAS threads
    # One partial sort gives both medians: np.median averages the two middle values, and
    # with equal weights the inverted-CDF weighted median is the lower one.
    low, high = (n - 1) // 2, n // 2
    middle = np.partition(xa, [low, high])[[low, high]]
    return NumericSummary(
        count=int(n),
        missing=int(x.size - n),
        weighted_count=float(n),
        mean=mean,
        weighted_mean=mean,
        std=float(np.sqrt(squares / (n - 1))) if n > 1 else float("nan"),
        weighted_std=float(np.sqrt(squares / n)),
        minimum=float(xa.min()),
        maximum=float(xa.max()),
        median=float(np.mean(middle)) + 0.0,
        weighted_median=float(middle[0]) + 0.0,
    )


def _mean_position(table: NDArray) -> NDArray[np.float64]:
    ranked = table.sum(axis=1)
    positions = table @ np.arange(1, table.shape[1] + 1)
    return np.divide(positions, ranked, out=np.full(ranked.shape, np.nan), where=ranked > 0)


def _percent(values: NDArray, base: float) -> NDArray[np.float64]:
    if base <= 0:
        return np.full(values.shape, np.nan)
    return values * (100.0 / base)
