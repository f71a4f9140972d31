"""The real FiveThirtyEight non-voters survey (5,836 respondents) through the module's CSV import.

Frequencies of three questions, computed by the module from the imported responses,
equal pandas on the CSV; raking weights computed through the module (margins entered as
an organiser would: age bands of a number question, gender, education) match samplics.
"""

from __future__ import annotations

import numpy as np
import pytest

from parlons.testing.data import shared_data

from .conftest import text

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

Q25 = ["Very closely", "Somewhat closely", "Not very closely", "Not closely at all"]
Q26 = ["I always vote", "I sometimes vote", "I rarely vote", "I don't vote"]
Q30 = ["Republican", "Democrat", "Independent", "Another party", "No preference"]
EDUC = ["College", "High school or less", "Some college"]
AGE_EDGES = [18, 35, 50, 65, 120]


def choice(key, labels, **extra):
    return {
        "key": key,
        "type": "single",
        "text": text(key),
        "required": False,
        "options": [{"code": i, "label": {"en": label}} for i, label in enumerate(labels, 1)],
        **extra,
    }


DEFINITION = {
    "sections": [],
    "pages": [
        {
            "key": "p1",
            "questions": [
                choice("q25", Q25),
                choice("q26", Q26),
                choice("q30", Q30),
                {"key": "age", "type": "number", "text": text("âge"), "integer": True},
                choice("gender", ["Female", "Male"]),
                choice("educ", EDUC),
            ],
        }
    ],
}
MAPPING = {
    "q25": "Q25",
    "q26": "Q26",
    "q30": "Q30",
    "age": "ppage",
    "gender": "gender",
    "educ": "educ",
}


@pytest.fixture
def imported(make_questionnaire):
    from parlons.modules.surveys.importing import do_import_responses

    path = shared_data("surveys", "us_538_nonvoters_2020", "nonvoters_data.csv")
    questionnaire = make_questionnaire(DEFINITION)
    count = do_import_responses(
        questionnaire=questionnaire, content=path.read_bytes(), mapping=MAPPING, actor=None
    )
    return questionnaire, count, path


def test_imported_frequencies_equal_pandas_on_the_csv(imported):
    import pandas as pd

    from parlons.modules.surveys.models import Response
    from parlons.modules.surveys.results import question_results
    from parlons.modules.surveys.selectors import load_response_data

    questionnaire, count, path = imported
    frame = pd.read_csv(path)
    assert count == len(frame) == 5836
    assert Response.objects.filter(questionnaire=questionnaire, origin="imported").count() == 5836
    results = {
        r.key: r
        for r in question_results(
            questionnaire=questionnaire, data=load_response_data(questionnaire=questionnaire)
        )
    }
    for key, column, size in (("q25", "Q25", 4), ("q26", "Q26", 4), ("q30", "Q30", 5)):
        answered = frame[frame[column].isin(range(1, size + 1))]
        expected = answered[column].value_counts().reindex(range(1, size + 1), fill_value=0)
        [table] = results[key].tables
        assert [row.count for row in table.rows] == expected.tolist(), key
        assert table.base == len(answered) and table.missing == len(frame) - len(answered)
        shares = (
            answered[column].value_counts(normalize=True).reindex(range(1, size + 1)) * 100
        ).to_numpy()
        np.testing.assert_allclose([row.percent for row in table.rows], shares, rtol=1e-12)


def test_raking_through_the_module_matches_samplics(imported):
    import pandas as pd

    adjustment = pytest.importorskip("samplics.weighting", reason="samplics is not installed")
    from parlons.modules.surveys.selectors import load_response_data
    from parlons.modules.surveys.services import do_save_margins
    from parlons.modules.surveys.weighting import compute_weighting

    questionnaire, _count, path = imported
    frame = pd.read_csv(path)
    bands = pd.cut(
        frame["ppage"], AGE_EDGES, right=False, labels=["18-34", "35-49", "50-64", "65+"]
    ).astype(str)
    # Population margins: the survey's own weighted totals (its `weight` column), typed in
    # as an organiser would, per category of the module's variables.
    age_totals = frame.groupby(bands)["weight"].sum()
    gender_totals = frame.groupby("gender")["weight"].sum()
    educ_totals = frame.groupby("educ")["weight"].sum()
    do_save_margins(
        questionnaire=questionnaire,
        actor=None,
        margins=[
            {"variable": "q:age", "bands": AGE_EDGES, "targets": age_totals.to_dict()},
            {
                "variable": "q:gender",
                "targets": {"1": gender_totals["Female"], "2": gender_totals["Male"]},
            },
            {
                "variable": "q:educ",
                "targets": {str(i): educ_totals[label] for i, label in enumerate(EDUC, 1)},
            },
        ],
    )
    data = load_response_data(questionnaire=questionnaire)
    weighting = compute_weighting(questionnaire=questionnaire, data=data)
    assert (weighting.weighted_respondents, weighting.left_out, weighting.error) == (5836, 0, "")

    theirs = adjustment.SampleWeight().rake(
        samp_weight=np.ones(len(frame)),
        margins={
            "age": bands.to_numpy(),
            "gender": frame["gender"].to_numpy(),
            "educ": frame["educ"].to_numpy(),
        },
        control={
            "age": age_totals.to_dict(),
            "gender": gender_totals.to_dict(),
            "educ": educ_totals.to_dict(),
        },
        tol=1e-12,
        ctrl_tol=1e-12,
        max_iter=1000,
    )
    # Imported responses keep the CSV's row order (bulk insert in file order).
    difference = np.max(np.abs(weighting.weights - theirs) / theirs)
    assert difference < 1e-6, difference
    assert 0.8 * 5836 < weighting.effective_size < 5836
