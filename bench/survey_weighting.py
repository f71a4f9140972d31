"""Benchmark: the survey engine against pandas, samplics and balance in the same run.

Run: ``.venv/bin/python bench/survey_weighting.py`` (writes nothing; paste the report into
``docs/benchmarks/survey_weighting.md``). Synthetic: 100,000 respondents × 30
single-choice questions (5 options, about 5% unanswered) with age band, gender and
education drawn with a bias, raked back to population margins. Real: the FiveThirtyEight
non-voters survey (5,836 respondents) raked on age band, gender and education. Each
timing is the best of several runs; the ratio is ours / peer (below 1 = faster).
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from parlons.engine.surveys import (
    bin_codes,
    crosstab,
    questionnaire_frequencies,
    rake,
)
from parlons.formats.tabular import Sheet, iter_csv, iter_xlsx

ROOT = Path(__file__).resolve().parents[1]
NONVOTERS = (
    ROOT.parent / "shared" / "data" / "surveys" / "us_538_nonvoters_2020" / "nonvoters_data.csv"
)
MARGIN_SHARES = {
    "age": {"18-34": 0.28, "35-49": 0.25, "50-64": 0.25, "65+": 0.22},
    "gender": {"f": 0.51, "m": 0.49},
    "educ": {"low": 0.40, "mid": 0.30, "high": 0.30},
}


def best_of(function: Callable[[], object], *, repeat: int = 5) -> float:
    """Best wall-clock time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic(*, n: int, questions: int, seed: int = 7) -> tuple[np.ndarray, pd.DataFrame]:
    """Answer codes (respondents × questions) and biased demographics."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 5, size=(n, questions))
    codes[rng.random((n, questions)) < 0.05] = -1
    demographics = pd.DataFrame(
        {
            "age": rng.choice(list(MARGIN_SHARES["age"]), n, p=[0.15, 0.25, 0.30, 0.30]),
            "gender": rng.choice(["f", "m"], n, p=[0.6, 0.4]),
            "educ": rng.choice(["low", "mid", "high"], n, p=[0.2, 0.3, 0.5]),
        }
    )
    return codes, demographics


def margins_for(total: float) -> dict[str, dict[str, float]]:
    return {v: {c: s * total for c, s in shares.items()} for v, shares in MARGIN_SHARES.items()}


def pandas_frequencies(frame: pd.DataFrame, columns: list[int]) -> list[pd.DataFrame]:
    return [frame[frame[c] >= 0].groupby(c)["w"].agg(["size", "sum"]) for c in columns]


def bench_results(codes: np.ndarray, weights: np.ndarray) -> list[tuple[str, float, float]]:
    frame = pd.DataFrame(codes)
    frame["w"] = weights
    columns = list(range(codes.shape[1]))
    ours = best_of(
        lambda: questionnaire_frequencies(codes=codes, n_options=[5] * 30, weights=weights)
    )
    theirs = best_of(lambda: pandas_frequencies(frame, columns))
    cross_ours = best_of(
        lambda: crosstab(
            rows=codes[:, 0], columns=codes[:, 1], n_rows=5, n_columns=5, weights=weights
        )
    )
    answered = frame[(frame[0] >= 0) & (frame[1] >= 0)]
    cross_theirs = best_of(
        lambda: (
            pd.crosstab(answered[0], answered[1]),
            pd.crosstab(answered[0], answered[1], values=answered["w"], aggfunc="sum"),
        )
    )
    rows = codes[:20_000].tolist()
    header = [str(c) for c in columns]
    csv_ours = best_of(lambda: sum(len(c) for c in iter_csv(header=header, rows=rows)), repeat=3)
    csv_theirs = best_of(
        lambda: frame.iloc[:20_000, :30].to_csv(io.StringIO(), index=False), repeat=3
    )
    xlsx_ours = best_of(
        lambda: sum(len(c) for c in iter_xlsx(sheets=[Sheet(name="R", header=header, rows=rows)])),
        repeat=3,
    )
    xlsx_theirs = best_of(lambda: openpyxl_write_only(header, rows), repeat=3)
    return [
        ("30 weighted frequencies, 100k respondents (pandas groupby)", ours, theirs),
        ("weighted cross-tab 5×5, 100k (pd.crosstab ×2)", cross_ours, cross_theirs),
        ("CSV export, 20k rows × 30, streamed (DataFrame.to_csv)", csv_ours, csv_theirs),
        ("XLSX export, 20k rows × 30, streamed (openpyxl write-only)", xlsx_ours, xlsx_theirs),
    ]


def openpyxl_write_only(header: list[str], rows: list[list[int]]) -> int:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("R")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.tell()


def samplics_rake(sample: pd.DataFrame, margins: dict) -> np.ndarray:
    from samplics.weighting import SampleWeight

    return SampleWeight().rake(
        samp_weight=np.ones(len(sample)),
        margins={v: sample[v].to_numpy() for v in margins},
        control=margins,
        tol=1e-10,
        ctrl_tol=1e-10,
        max_iter=1000,
    )


def balance_rake(
    sample: pd.DataFrame, target: pd.DataFrame, target_weights: pd.Series
) -> np.ndarray:
    from balance.weighting_methods.rake import rake as balance

    fitted = balance(
        sample_df=sample,
        sample_weights=pd.Series(np.ones(len(sample))),
        target_df=target,
        target_weights=target_weights,
        transformations=None,
        convergence_rate=1e-12,
        rate_tolerance=0.0,
        max_iteration=5000,
    )
    return fitted["weight"].to_numpy()


def bench_raking(
    sample: pd.DataFrame, margins: dict, target: pd.DataFrame, target_weights: pd.Series, label: str
):
    ours_weights = rake(sample={v: sample[v].to_numpy() for v in margins}, margins=margins).weights
    ours = best_of(
        lambda: rake(sample={v: sample[v].to_numpy() for v in margins}, margins=margins), repeat=3
    )
    lines = []
    for name, run in (
        ("samplics", lambda: samplics_rake(sample, margins)),
        ("balance", lambda: balance_rake(sample, target, target_weights)),
    ):
        weights = run()
        difference = float(np.max(np.abs(ours_weights - weights) / weights))
        lines.append(
            (
                f"raking {label} ({name}; max rel. diff {difference:.1e})",
                ours,
                best_of(run, repeat=3),
            )
        )
    return lines


def synthetic_raking(demographics: pd.DataFrame) -> list[tuple[str, float, float]]:
    margins = margins_for(float(len(demographics)))
    # A target frame whose weighted margins are `margins`: one row per category combination.
    cells = pd.MultiIndex.from_product(
        [list(MARGIN_SHARES[v]) for v in MARGIN_SHARES], names=list(MARGIN_SHARES)
    )
    target = cells.to_frame(index=False)
    shares = np.ones(len(target))
    for variable, variable_shares in MARGIN_SHARES.items():
        shares = shares * target[variable].map(variable_shares).to_numpy()
    return bench_raking(
        demographics, margins, target, pd.Series(shares * len(demographics)), "100k synthetic"
    )


def nonvoters_raking() -> list[tuple[str, float, float]]:
    if not NONVOTERS.exists():
        return []
    survey = pd.read_csv(NONVOTERS)
    bands = np.array(["18-34", "35-49", "50-64", "65+"])[
        bin_codes(values=survey["ppage"], edges=[18, 35, 50, 65, 120])
    ]
    sample = pd.DataFrame({"age_band": bands, "gender": survey["gender"], "educ": survey["educ"]})
    margins = {v: survey["weight"].groupby(sample[v]).sum().to_dict() for v in sample}
    return bench_raking(sample, margins, sample.copy(), survey["weight"], "538 non-voters 5,836")


def main() -> None:
    logging.disable(logging.WARNING)
    codes, demographics = synthetic(n=100_000, questions=30)
    weights = rake(
        sample={v: demographics[v].to_numpy() for v in MARGIN_SHARES}, margins=margins_for(1e5)
    ).weights
    results = bench_results(codes, weights) + synthetic_raking(demographics) + nonvoters_raking()
    print("| measurement | ours (ms) | peer (ms) | ratio |")
    print("|---|---:|---:|---:|")
    for label, ours, theirs in results:
        print(f"| {label} | {ours * 1e3:.1f} | {theirs * 1e3:.1f} | {ours / theirs:.2f} |")


if __name__ == "__main__":
    main()
