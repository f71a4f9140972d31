"""Turn answer labels into the integer codes the survey engine counts with.

Every counting function in this package takes categories as integer codes ``0..k-1``
(``-1`` for "no answer"), so that a whole questionnaire can be tallied with
``np.bincount``. This module does the one conversion from labels to codes.
"""

from collections.abc import Hashable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

MISSING = -1


def encode_categories(*, values: ArrayLike, categories: Sequence[Hashable]) -> NDArray[np.intp]:
    """Code each value by its position in ``categories``; values not listed get ``MISSING``.

    Numbers and numpy strings go through ``np.unique(..., return_inverse=True)`` (one
    dictionary look-up per distinct value, not per respondent); Python objects (pandas
    string columns, values mixed with ``None``) take one dictionary look-up each.
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"values must be one-dimensional, got shape {array.shape}")
    position = {category: code for code, category in enumerate(categories)}
    if len(position) != len(categories):
        raise ValueError("categories must be distinct")
    if array.dtype == object:  # sorting Python objects is slower than one look-up each
        return _encode_one_by_one(array, position)
    uniques, inverse = np.unique(array, return_inverse=True)
    unique_codes = np.array(
        [position.get(value, MISSING) for value in uniques.tolist()], dtype=np.intp
    )
    return unique_codes[inverse.reshape(-1)]


def _encode_one_by_one(array: NDArray, position: dict) -> NDArray[np.intp]:
    get = position.get
    return np.fromiter((get(v, MISSING) for v in array.tolist()), dtype=np.intp, count=array.size)


def bin_codes(*, values: ArrayLike, edges: Sequence[float]) -> NDArray[np.intp]:
    """Code numbers by the half-open bin ``[edges[i], edges[i+1])`` holding them.

    The last bin is closed on the right, as in ``np.histogram``; NaN and values outside
    ``[edges[0], edges[-1]]`` get ``MISSING``. Use it to tabulate or cross-tabulate a
    numeric question (age bands from an age, for instance).
    """
    x = np.asarray(values, dtype=np.float64)
    bounds = np.asarray(edges, dtype=np.float64)
    if bounds.ndim != 1 or bounds.size < 2 or np.any(np.diff(bounds) <= 0):
        raise ValueError("edges must be at least two strictly increasing numbers")
    codes = np.searchsorted(bounds, x, side="right") - 1
    codes[x == bounds[-1]] = bounds.size - 2
    outside = np.isnan(x) | (x < bounds[0]) | (x > bounds[-1])
    codes[outside] = MISSING
    return codes.astype(np.intp)


def as_codes(*, codes: ArrayLike, n_options: int) -> NDArray[np.intp]:
    """Check a one-dimensional integer code array against ``n_options``; negatives = no answer."""
    c = np.asarray(codes)
    if c.ndim != 1 or not (np.issubdtype(c.dtype, np.integer) or c.size == 0):
        raise ValueError("codes must be a one-dimensional integer array")
    if c.size and int(c.max()) >= n_options:
        raise ValueError(f"an answer code is {int(c.max())}, outside the {n_options} options")
    return c.astype(np.intp, copy=False)


def as_weights(*, weights: ArrayLike | None, n: int) -> NDArray[np.float64]:
    """Weights as floats of length ``n``; ``None`` means everyone counts once."""
    if weights is None:
        return np.ones(n)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"weights has shape {w.shape}, expected ({n},)")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative")
    return w
