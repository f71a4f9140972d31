"""Small-cell suppression for published results, so that no respondent can be singled out.

Primary suppression hides every cell whose raw count is below the minimum (zero cells
stay visible unless asked). Complementary (secondary) suppression then hides, in every
row and column that has exactly one hidden cell, the smallest other non-zero cell, so
the hidden value cannot be recovered by subtracting the others from a published total;
this is the standard two-step rule of statistical offices (e.g. Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, §5.2), applied greedily until stable.
"""

import numpy as np
from numpy.typing import ArrayLike, NDArray


def small_cell_mask(
    *, counts: ArrayLike, minimum: int, complementary: bool = True, hide_zeros: bool = False
) -> NDArray[np.bool_]:
    """Cells of a 1-D frequency table or 2-D cross-tab to hide (``True`` = hide).

    Decide on raw counts, then hide the same cells in weighted numbers and percentages.
    """
    table = np.asarray(counts)
    if table.ndim not in (1, 2):
        raise ValueError(f"counts must be a frequency table or a cross-tab, got {table.ndim}-D")
    if minimum < 1:
        raise ValueError("minimum must be at least 1")
    low = 0 if hide_zeros else 1
    mask = (table >= low) & (table < minimum)
    if not complementary:
        return mask
    grid = mask.reshape(1, -1) if table.ndim == 1 else mask
    values = table.reshape(grid.shape)
    while _hide_complements(grid, values):
        pass
    return grid.reshape(table.shape)


def suppress(*, values: ArrayLike, mask: ArrayLike) -> NDArray[np.float64]:
    """``values`` as floats with the masked cells replaced by NaN (shown as "–" or "<n")."""
    out = np.array(values, dtype=np.float64)
    out[np.asarray(mask, dtype=bool)] = np.nan
    return out


def _hide_complements(mask: NDArray[np.bool_], values: NDArray) -> bool:
    changed = False
    for axis_mask, axis_values in ((mask, values), (mask.T, values.T)):
        for line_mask, line_values in zip(axis_mask, axis_values, strict=True):
            changed |= _hide_one_complement(line_mask, line_values)
    return changed


def _hide_one_complement(line_mask: NDArray[np.bool_], line_values: NDArray) -> bool:
    if line_mask.sum() != 1:
        return False
    candidates = np.flatnonzero(~line_mask & (line_values > 0))
    if candidates.size == 0:
        return False
    line_mask[candidates[np.argmin(line_values[candidates])]] = True
    return True
