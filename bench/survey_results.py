"""Benchmark: the surveys module's results page, cross-tab and CSV export against pandas.

Run::

    PARLONS_VAR=/tmp/bench-surveys DATABASE_URL=sqlite:////tmp/bench-surveys/bench.sqlite3 \
        .venv/bin/python bench/survey_results.py [--responses 100000] [--reuse]

(``--reuse`` keeps the responses loaded by an earlier run of the same size.)

Loads N responses (default 100,000) to a 30-question questionnaire (20 single-choice
questions of 5 options, 5 scales 1-5, 3 multiple-choice questions of 6 options, 2
numbers; about 5% of answers left empty) into the configured database, then times, in
the same run and on the same rows:

- the full back-office results page (HTTP request through Django, as in production: no
  test instrumentation of templates; look up the results version of the questionnaire,
  count every question, draw 30+ SVG charts and tables, render), with the decoded responses in the
  process's cache and, separately, read again from the database (the first view after a
  new response); against pandas reading the same responses from the same database
  (``pd.read_sql`` of the JSON answers, ``json_normalize``) and computing the same
  counts and percentages, against pandas computing them on that DataFrame in memory, and
  against pandas at its best: the answers already in memory as categoricals and 0/1
  indicator columns, the layout pandas counts fastest (preparing it is not timed);
- a cross-tab page (two questions crossed, with the page around it) against
  ``pd.crosstab`` in memory;
- the CSV export (streamed over HTTP), against ``DataFrame.to_csv`` in memory; with the
  peak traced memory of the export at N/5 and N responses (constant memory).

Each timing is the best of 3. Ratio = ours / peer (below 1: faster).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("PARLONS_VAR", "/tmp/bench-surveys")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-surveys/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parlons.config.settings")
Path(os.environ["PARLONS_VAR"]).mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

import pandas as pd  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from parlons.core.organisations.models import Member, Organisation  # noqa: E402
from parlons.core.participants.models import Participant  # noqa: E402
from parlons.core.processes.models import ModuleInstance, Process  # noqa: E402
from parlons.core.tenancy import scopes_disabled  # noqa: E402
from parlons.modules.surveys.coding import Layout  # noqa: E402
from parlons.modules.surveys.matrix_cache import MATRICES  # noqa: E402
from parlons.modules.surveys.models import Questionnaire, Response  # noqa: E402
from parlons.modules.surveys.selectors import response_stamp  # noqa: E402
from parlons.modules.surveys.services import do_save_definition  # noqa: E402
from parlons.modules.surveys.versions import bump_results_version  # noqa: E402

SINGLE, SCALES, MULTIPLE, NUMBERS = 20, 5, 3, 2


def best_of(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def definition() -> dict:
    def label(text):
        return {"fr": text, "en": text}

    questions = []
    for i in range(1, SINGLE + 1):
        questions.append(
            {
                "key": f"s{i}",
                "type": "single",
                "text": label(f"Question {i}"),
                "options": [{"code": c, "label": label(f"Option {c}")} for c in range(1, 6)],
            }
        )
    for i in range(1, SCALES + 1):
        questions.append(
            {
                "key": f"k{i}",
                "type": "scale",
                "text": label(f"Scale {i}"),
                "scale": {"min": 1, "max": 5},
            }
        )
    for i in range(1, MULTIPLE + 1):
        questions.append(
            {
                "key": f"m{i}",
                "type": "multiple",
                "text": label(f"Multiple {i}"),
                "options": [{"code": c, "label": label(f"Choice {c}")} for c in range(1, 7)],
            }
        )
    for i in range(1, NUMBERS + 1):
        questions.append({"key": f"n{i}", "type": "number", "text": label(f"Number {i}")})
    return {"sections": [], "pages": [{"key": "p1", "questions": questions}]}


def synthetic_answers(n: int, seed: int = 11) -> pd.DataFrame:
    """One column per question: option codes, scale points, lists of codes, numbers; NaN = empty."""
    rng = np.random.default_rng(seed)
    frame = {}
    for i in range(1, SINGLE + 1):
        frame[f"s{i}"] = rng.integers(1, 6, n).astype(float)
    for i in range(1, SCALES + 1):
        frame[f"k{i}"] = rng.integers(1, 6, n).astype(float)
    for i in range(1, NUMBERS + 1):
        frame[f"n{i}"] = np.round(rng.normal(45, 15, n), 1)
    frame = pd.DataFrame(frame)
    frame = frame.mask(rng.random(frame.shape) < 0.05)
    for i in range(1, MULTIPLE + 1):
        masks = rng.integers(0, 64, n)
        masks[rng.random(n) < 0.05] = 0
        frame[f"m{i}"] = [[c for c in range(1, 7) if m >> (c - 1) & 1] or None for m in masks]
    return frame


def load(questionnaire: Questionnaire, frame: pd.DataFrame) -> None:
    """Insert the responses as the module stores them (JSON answers and binary rows)."""
    from parlons.modules.surveys.coding import encode

    plan = Layout.of(questionnaire.definition)
    now = timezone.now()
    day = timezone.localtime(now).date().toordinal()
    records = frame.to_dict("records")
    batch = []
    for record in records:
        answers = {}
        for key, value in record.items():
            if isinstance(value, list):
                answers[key] = value
            elif value is not None and value == value:
                answers[key] = int(value) if key[0] in "sk" else float(value)
        codes, numbers = encode(plan=plan, answers=answers)
        batch.append(
            Response(
                questionnaire=questionnaire,
                status="complete",
                answers=answers,
                codes=codes,
                numbers=numbers,
                fingerprint=questionnaire.fingerprint,
                submitted_at=now,
                day=day,
            )
        )
        if len(batch) == 5000:
            Response.objects.bulk_create(batch)
            batch.clear()
    Response.objects.bulk_create(batch)
    bump_results_version(questionnaire_ids=[questionnaire.pk])


def pandas_results(frame: pd.DataFrame) -> list:
    """What the results page computes: counts and percentages of every question."""
    out = []
    for column in frame.columns:
        series = frame[column]
        if column[0] in "sk":
            counts = series.value_counts().reindex(range(1, 6), fill_value=0)
            out.append((counts, counts / counts.sum() * 100))
        elif column[0] == "m":
            exploded = series.dropna().explode()
            counts = exploded.value_counts().reindex(range(1, 7), fill_value=0)
            out.append((counts, counts / series.notna().sum() * 100))
        else:
            out.append(series.describe())
    return out


def pandas_prepared(frame: pd.DataFrame) -> dict:
    """The same answers laid out as pandas counts them fastest (not timed).

    Single choices and scales as categoricals of their five points; each multiple-choice
    question as a frame of 0/1 indicator columns (NaN for those who did not answer);
    numbers as floats.
    """
    points = pd.CategoricalDtype([1.0, 2.0, 3.0, 4.0, 5.0])
    ready = {}
    for column in frame.columns:
        if column[0] in "sk":
            ready[column] = frame[column].astype(points)
        elif column[0] == "m":
            exploded = frame[column].dropna().explode()
            ready[column] = (
                pd.crosstab(exploded.index, exploded)
                .reindex(index=frame.index, columns=range(1, 7), fill_value=0)
                .where(frame[column].notna())
                .astype("float32")
            )
        else:
            ready[column] = frame[column]
    return ready


def pandas_best(ready: dict) -> list:
    """:func:`pandas_results` on the prepared layout: pandas at its best."""
    out = []
    for column, data in ready.items():
        if column[0] in "sk":
            counts = data.value_counts(sort=False)
            out.append((counts, counts / counts.sum() * 100))
        elif column[0] == "m":
            counts = data.sum()
            out.append((counts, counts / data.iloc[:, 0].notna().sum() * 100))
        else:
            out.append(data.describe())
    return out


def pandas_from_database(questionnaire: Questionnaire) -> pd.DataFrame:
    query = f"SELECT answers FROM surveys_response WHERE questionnaire_id = {questionnaire.pk} AND status = 'complete'"
    connection.ensure_connection()
    raw = pd.read_sql(query, connection.connection)
    return pd.json_normalize([json.loads(a) if isinstance(a, str) else a for a in raw["answers"]])


def cross_only(questionnaire: Questionnaire):
    from parlons.modules.surveys.results import cross_table
    from parlons.modules.surveys.selectors import load_response_data
    from parlons.modules.surveys.variables import build_variable

    MATRICES.clear()  # read the responses from the database, as the row says
    with scopes_disabled():
        data = load_response_data(questionnaire=questionnaire)
        rows = build_variable(questionnaire=questionnaire, data=data, name="q:s1")
        columns = build_variable(questionnaire=questionnaire, data=data, name="q:s2")
        return cross_table(rows=rows, columns=columns)


def drain(response) -> int:
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    return size


def export_peak(client: Client, url: str) -> tuple[float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    size = drain(client.get(url))
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, size


def prepare(n: int) -> tuple[dict, Participant]:
    """The bench organisation, its two questionnaires (N/5 and N responses) and an analyst."""
    Organisation.objects.filter(slug="bench").delete()
    organisation = Organisation.objects.create(slug="bench", name="Bench")
    process = Process.objects.create(organisation=organisation, slug="p", title={"fr": "P"})
    frame = synthetic_answers(n)
    questionnaires = {}
    for slug, rows in (("small", frame.iloc[: n // 5]), ("big", frame)):
        instance = ModuleInstance.objects.create(
            process=process, module="surveys", slug=slug, title={"fr": slug}
        )
        questionnaire = Questionnaire.objects.create(instance=instance)
        do_save_definition(questionnaire=questionnaire, definition=definition(), actor=None)
        start = time.perf_counter()
        load(questionnaire, rows)
        print(
            f"loaded {len(rows):,} responses in {time.perf_counter() - start:.1f} s",
            file=sys.stderr,
        )
        questionnaires[slug] = questionnaire
    analyst = Participant.objects.filter(
        email="analyst@bench.example"
    ).first() or Participant.objects.create_user("analyst@bench.example", "bench-password")
    Member.objects.get_or_create(organisation=organisation, participant=analyst, role="analyst")
    return questionnaires, analyst


def reused(n: int) -> tuple[dict, Participant] | None:
    """The questionnaires of an earlier run with the same N, if they are all there."""
    found = {
        q.instance.slug: q
        for q in Questionnaire.objects.filter(
            instance__process__organisation__slug="bench"
        ).select_related("instance")
    }
    sizes = {"small": n // 5, "big": n}
    if set(found) != set(sizes) or any(
        found[slug].responses.count() != size for slug, size in sizes.items()
    ):
        return None
    return found, Participant.objects.get(email="analyst@bench.example")


def settle() -> None:
    """Statistics and visibility map as a live database has them (autovacuum's work).

    Right after a bulk load PostgreSQL has no statistics and no visibility map, so it
    reads the table itself for queries an index covers; a database in service has both.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE surveys_response")
        else:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the responses of an earlier run of the same N"
    )
    arguments = parser.parse_args()
    n = arguments.responses
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        kept = reused(n) if arguments.reuse else None
        questionnaires, analyst = kept or prepare(n)
    settle()
    client = Client()
    client.force_login(analyst)
    base = "/en/backoffice/bench/processes/p/surveys/{}/"

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    big_q = questionnaires["big"]
    in_memory = pandas_from_database(big_q)
    rows = []
    ready = pandas_prepared(in_memory)
    results_url = base.format("big") + "results/"

    def cold_page():
        # What the first view after a new response costs: the responses are read again.
        MATRICES.clear()
        page(results_url)

    ours_cold = best_of(cold_page)
    ours = best_of(lambda: page(results_url))
    peer_db = best_of(lambda: pandas_results(pandas_from_database(big_q)))
    peer_memory = best_of(lambda: pandas_results(in_memory))
    peer_best = best_of(lambda: pandas_best(ready))
    rows.append(
        (
            "full results page, responses read again (first view after a new response) "
            "vs pandas read_sql + counts",
            ours_cold,
            peer_db,
        )
    )
    rows.append(("full results page (30 questions) vs pandas read_sql + counts", ours, peer_db))
    rows.append(("full results page vs pandas counts on a DataFrame in memory", ours, peer_memory))
    rows.append(
        (
            "full results page vs pandas at its best (categoricals, 0/1 indicator columns, in memory)",
            ours,
            peer_best,
        )
    )
    cross_url = base.format("big") + "results/?rows=q:s1&columns=q:s2"
    ours_cross_page = best_of(lambda: page(cross_url))
    ours_cross = best_of(lambda: cross_only(big_q))
    peer_cross = best_of(lambda: pd.crosstab(in_memory["s1"], in_memory["s2"], normalize="index"))
    peer_cross_db = best_of(
        lambda: pd.crosstab(
            *(lambda f: (f["s1"], f["s2"]))(pandas_from_database(big_q)), normalize="index"
        )
    )
    rows.append(
        (
            "results page with a cross-tab vs pandas read_sql + counts + crosstab",
            ours_cross_page,
            peer_db + peer_cross,
        )
    )
    rows.append(
        (
            "cross-tab 5×5 alone, loading the responses vs pandas read_sql + crosstab",
            ours_cross,
            peer_cross_db,
        )
    )
    ours_csv = best_of(lambda: drain(client.get(base.format("big") + "export/csv-codes/")))
    peer_csv = best_of(lambda: in_memory.to_csv(io.StringIO(), index=False))
    rows.append(
        ("CSV export, streamed over HTTP vs DataFrame.to_csv in memory", ours_csv, peer_csv)
    )

    print(f"\n{n:,} responses × 30 questions, database: {connection.vendor}\n")
    print("| measurement | ours (ms) | pandas (ms) | ratio |")
    print("|---|---:|---:|---:|")
    for name, mine, theirs in rows:
        print(f"| {name} | {mine * 1000:.0f} | {theirs * 1000:.0f} | {mine / theirs:.2f} |")
    small_time, small_peak, small_size = export_peak(
        client, base.format("small") + "export/csv-codes/"
    )
    big_time, big_peak, big_size = export_peak(client, base.format("big") + "export/csv-codes/")
    print("\n| CSV export | responses | bytes | seconds | peak traced memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    print(f"| small | {n // 5:,} | {small_size:,} | {small_time:.2f} | {small_peak / 2**20:.1f} |")
    print(f"| big | {n:,} | {big_size:,} | {big_time:.2f} | {big_peak / 2**20:.1f} |")
    stamp = best_of(lambda: response_stamp(questionnaire=big_q), repeat=20)
    print(
        f"\n(results version lookup, what the cached page checks: {stamp * 1000:.2f} ms, "
        "best of 20)"
    )
    frame_bytes = in_memory.memory_usage(deep=True).sum()
    print(
        f"\n(the pandas DataFrame of the {n:,} responses alone takes {frame_bytes / 2**20:.0f} MB)"
    )


if __name__ == "__main__":
    main()
