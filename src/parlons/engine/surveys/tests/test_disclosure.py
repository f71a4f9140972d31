import numpy as np

from parlons.engine.surveys import small_cell_mask, suppress


def test_small_cells_are_hidden_but_zeros_stay() -> None:
    mask = small_cell_mask(counts=[12, 3, 0, 40, 7], minimum=5, complementary=False)

    assert mask.tolist() == [False, True, False, False, False]


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it() -> None:
    # With the total published, hiding only the 3 would let anyone recover it.
    mask = small_cell_mask(counts=[12, 3, 0, 40, 7], minimum=5)

    assert mask.tolist() == [False, True, False, False, True]


def test_crosstab_suppression_protects_rows_and_columns() -> None:
    counts = np.array([[20, 2, 30], [25, 40, 35], [50, 60, 70]])

    mask = small_cell_mask(counts=counts, minimum=5)

    assert mask.tolist() == [
        [True, True, False],
        [True, True, False],
        [False, False, False],
    ]
    assert all(mask.sum(axis=0)[mask.any(axis=0)] >= 2)
    assert all(mask.sum(axis=1)[mask.any(axis=1)] >= 2)


def test_suppress_blanks_masked_values() -> None:
    out = suppress(values=[1.5, 2.5], mask=[True, False])

    assert np.isnan(out[0]) and out[1] == 2.5
