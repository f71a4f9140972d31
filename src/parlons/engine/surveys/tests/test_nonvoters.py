"""The engine on the real FiveThirtyEight non-voters survey (Ipsos, Sept 2020, 5,836 people).

Frequencies are checked against pandas on the CSV; raking weights against samplics and
balance, the two established Python survey-weighting libraries.
"""

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parlons.engine.surveys import (
    bin_codes,
    crosstab,
    effective_sample_size,
    encode_categories,
    multiple_choice_frequencies,
    numeric_summary,
    rake,
    single_choice_frequencies,
)

DATA = Path(__file__).resolve().parents[5].parent / "shared" / "data"
SURVEY = DATA / "surveys" / "us_538_nonvoters_2020" / "nonvoters_data.csv"
AGE_EDGES = [18, 35, 50, 65, 120]
AGE_BANDS = ["18-34", "35-49", "50-64", "65+"]
Q28_OPTIONS = [f"Q28_{i}" for i in range(1, 9)]


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    if not SURVEY.exists():
        pytest.skip(
            f"real survey data not found at {SURVEY} (the shared/data folder beside the repo)"
        )
    frame = pd.read_csv(SURVEY).copy()  # defragment before adding a column
    bands = np.array(AGE_BANDS)[bin_codes(values=frame["ppage"], edges=AGE_EDGES)]
    return frame.assign(age_band=bands)


@pytest.fixture(scope="module")
def margins(survey: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Population margins: the survey's own weighted margins (its `weight` column)."""
    return {
        variable: survey.groupby(variable)["weight"].sum().to_dict()
        for variable in ("age_band", "gender", "educ")
    }


def test_shape_of_the_real_survey(survey: pd.DataFrame) -> None:
    assert len(survey) == 5836
    independent = pd.cut(survey["ppage"], AGE_EDGES, right=False, labels=AGE_BANDS)
    assert (survey["age_band"] == independent.astype(str)).all()
    assert survey["age_band"].value_counts().to_dict() == {
        "18-34": 1310,
        "35-49": 1193,
        "50-64": 1743,
        "65+": 1590,
    }


@pytest.mark.parametrize("question", ["Q2_1", "Q26", "Q30"])
def test_single_choice_frequencies_equal_pandas(survey: pd.DataFrame, question: str) -> None:
    options = sorted(v for v in survey[question].dropna().unique() if v > 0)
    codes = encode_categories(values=survey[question].to_numpy(), categories=options)
    result = single_choice_frequencies(
        codes=codes, n_options=len(options), weights=survey["weight"].to_numpy()
    )

    answered = survey[survey[question] > 0]
    expected = answered[question].value_counts().reindex(options)
    assert result.counts.tolist() == expected.tolist()
    assert result.base == len(answered)
    assert result.missing == len(survey) - len(answered)
    expected_pct = answered[question].value_counts(normalize=True).reindex(options) * 100
    np.testing.assert_allclose(result.percentages, expected_pct.to_numpy(), rtol=1e-12)
    expected_weighted = answered.groupby(question)["weight"].sum().reindex(options)
    np.testing.assert_allclose(result.weighted, expected_weighted.to_numpy(), rtol=1e-12)


def test_multiple_choice_frequencies_equal_pandas(survey: pd.DataFrame) -> None:
    # Q28 "why did you vote in the past? select all": 1 = selected, -1 = not, NaN = not asked.
    block = survey[Q28_OPTIONS]
    result = multiple_choice_frequencies(
        selected=(block == 1).to_numpy(),
        answered=block.notna().any(axis=1).to_numpy(),
        weights=survey["weight"].to_numpy(),
    )

    asked = survey[block.notna().any(axis=1)]
    assert result.base == len(asked) == 5302
    assert result.counts.tolist() == [int((asked[q] == 1).sum()) for q in Q28_OPTIONS]
    expected_pct = [(asked[q] == 1).mean() * 100 for q in Q28_OPTIONS]
    np.testing.assert_allclose(result.percentages, expected_pct, rtol=1e-12)
    expected_weighted = [asked.loc[asked[q] == 1, "weight"].sum() for q in Q28_OPTIONS]
    np.testing.assert_allclose(result.weighted, expected_weighted, rtol=1e-12)


def test_numeric_summary_equals_pandas(survey: pd.DataFrame) -> None:
    age = survey["ppage"]
    result = numeric_summary(values=age.to_numpy(), weights=survey["weight"].to_numpy())

    assert (result.count, result.minimum, result.maximum) == (5836, 22.0, 94.0)
    assert result.mean == pytest.approx(age.mean(), rel=1e-12)
    assert result.std == pytest.approx(age.std(), rel=1e-12)
    assert result.median == age.median()
    weighted_mean = (age * survey["weight"]).sum() / survey["weight"].sum()
    assert result.weighted_mean == pytest.approx(weighted_mean, rel=1e-12)


def test_crosstab_equals_pandas(survey: pd.DataFrame) -> None:
    parties = [1, 2, 3, 4, 5]
    educ = ["College", "High school or less", "Some college"]
    result = crosstab(
        rows=encode_categories(values=survey["Q30"].to_numpy(), categories=parties),
        columns=encode_categories(values=survey["educ"].to_numpy(), categories=educ),
        n_rows=5,
        n_columns=3,
        weights=survey["weight"].to_numpy(),
    )

    answered = survey[survey["Q30"] > 0]
    expected = pd.crosstab(answered["Q30"], answered["educ"]).reindex(index=parties, columns=educ)
    assert result.counts.tolist() == expected.to_numpy().tolist()
    weighted = pd.crosstab(
        answered["Q30"], answered["educ"], values=answered["weight"], aggfunc="sum"
    ).reindex(index=parties, columns=educ)
    np.testing.assert_allclose(result.weighted, weighted.to_numpy(), rtol=1e-12)


def _our_weights(survey: pd.DataFrame, margins: dict, **settings: float) -> np.ndarray:
    result = rake(
        sample={v: survey[v].to_numpy() for v in margins},
        margins=margins,
        **settings,
    )
    return result.weights


def _max_relative_difference(ours: np.ndarray, theirs: np.ndarray) -> float:
    difference = float(np.max(np.abs(ours - theirs) / np.abs(theirs)))
    print(f"max relative difference per respondent: {difference:.3e}")
    return difference


def test_raking_matches_samplics(survey: pd.DataFrame, margins: dict) -> None:
    adjustment = pytest.importorskip("samplics.weighting", reason="samplics is not installed")
    theirs = adjustment.SampleWeight().rake(
        samp_weight=np.ones(len(survey)),
        margins={v: survey[v].to_numpy() for v in margins},
        control=margins,
        tol=1e-12,
        ctrl_tol=1e-12,
        max_iter=1000,
    )
    ours = _our_weights(survey, margins, tolerance=1e-12)

    assert _max_relative_difference(ours, theirs) < 1e-6
    assert ours.sum() == pytest.approx(survey["weight"].sum(), rel=1e-12)


def test_raking_matches_samplics_at_its_default_settings(
    survey: pd.DataFrame, margins: dict
) -> None:
    """samplics' defaults (tol=1e-4, ctrl_tol=1e-4, max_iter=100) already agree to 1e-6.

    balance's default ``convergence_rate=0.0005`` stops about 5e-4 away from the fixed
    point, so the balance test above tightens it with its documented parameters.
    """
    adjustment = pytest.importorskip("samplics.weighting", reason="samplics is not installed")
    theirs = adjustment.SampleWeight().rake(
        samp_weight=np.ones(len(survey)),
        margins={v: survey[v].to_numpy() for v in margins},
        control=margins,
    )
    ours = _our_weights(survey, margins)

    assert _max_relative_difference(ours, theirs) < 1e-6


def test_raking_follows_samplics_sweep_by_sweep(survey: pd.DataFrame, margins: dict) -> None:
    """Same algorithm, not only the same limit: after 2 sweeps both give the same weights."""
    adjustment = pytest.importorskip("samplics.weighting", reason="samplics is not installed")
    theirs = adjustment.SampleWeight().rake(
        samp_weight=np.ones(len(survey)),
        margins={v: survey[v].to_numpy() for v in margins},
        control=margins,
        tol=0.0,
        ctrl_tol=0.0,
        max_iter=2,
    )
    ours = _our_weights(survey, margins, tolerance=0.0, max_iterations=2)

    assert _max_relative_difference(ours, theirs) < 1e-12


def test_raking_matches_balance(survey: pd.DataFrame, margins: dict) -> None:
    balance_rake = pytest.importorskip(
        "balance.weighting_methods.rake", reason="balance is not installed"
    )
    logging.getLogger("balance").setLevel(logging.WARNING)
    covariates = survey[list(margins)]
    fitted = balance_rake.rake(
        sample_df=covariates,
        sample_weights=pd.Series(np.ones(len(survey))),
        # A target frame whose weighted margins are exactly `margins`.
        target_df=covariates.copy(),
        target_weights=survey["weight"],
        transformations=None,
        convergence_rate=1e-13,
        rate_tolerance=0.0,
        max_iteration=5000,
    )
    assert fitted["model"]["converged"] == 1
    ours = _our_weights(survey, margins, tolerance=1e-12)

    assert _max_relative_difference(ours, fitted["weight"].to_numpy()) < 1e-6


def test_raked_weights_meet_margins_and_shrink_effective_sample(
    survey: pd.DataFrame, margins: dict
) -> None:
    result = rake(sample={v: survey[v].to_numpy() for v in margins}, margins=margins)

    assert result.converged
    for variable, margin in margins.items():
        totals = pd.Series(result.weights).groupby(survey[variable].to_numpy()).sum()
        np.testing.assert_allclose(totals[list(margin)], list(margin.values()), rtol=1e-9)
    kish = effective_sample_size(weights=result.weights)
    assert 0.8 * len(survey) < kish < len(survey)
