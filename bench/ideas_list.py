"""Benchmark: the idea list page with 10,000 ideas and 100,000 comments against 10 ideas.

Run::

    PARLONS_VAR=/tmp/bench-ideas DATABASE_URL=sqlite:////tmp/bench-ideas/bench.sqlite3 \
        .venv/bin/python bench/ideas_list.py [--ideas 10000] [--comments-per-idea 10]
    createdb -h 127.0.0.1 -U postgres parlons_ideas_bench   # once
    PARLONS_VAR=/tmp/bench-ideas DATABASE_URL=postgres://postgres@127.0.0.1:5432/parlons_ideas_bench \
        .venv/bin/python bench/ideas_list.py

The database named by ``DATABASE_URL`` must be a bench database (its name contains
"bench"): it is migrated and emptied first.  Two idea boxes are filled the way the module
stores them (``modules/ideas/tests/bulk.fill``): a small one with 10 ideas and a large one
with N ideas (default 10,000) and 10 comments each (100,000; every third a reply), a
support on every fifth idea.  In the same run, the same pages of both boxes are requested
through Django's test client (the whole view, template and middleware): the list in each
order (random with a fixed seed, newest, most supported), the list filtered by category,
the last page of the newest order, an idea page, and the API list.  The planner's
statistics are refreshed after the load (``ANALYZE``, as PostgreSQL's autovacuum does
after a bulk insert; without them PostgreSQL scans the whole box for a page of 20).  Each
timing is the best of 7 after a warm-up request; ratio = large / small (target: within 2×).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("PARLONS_VAR", "/tmp/bench-ideas")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-ideas/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parlons.config.settings")
Path(os.environ["PARLONS_VAR"]).mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from parlons.contributions.models import Comment  # noqa: E402
from parlons.core.organisations.models import Organisation  # noqa: E402
from parlons.core.participants.models import Participant  # noqa: E402
from parlons.core.processes.models import ModuleInstance, Opening, Phase, Process  # noqa: E402
from parlons.core.tenancy import scopes_disabled  # noqa: E402
from parlons.modules.ideas.models import Category, Idea  # noqa: E402
from parlons.modules.ideas.tests.bulk import fill  # noqa: E402

REPEAT = 7


def best_of(function, repeat: int = REPEAT) -> float:
    function()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def make_box(slug: str, *, ideas: int, comments: int, person) -> dict:
    """An organisation, a process, an idea box open for everything, filled."""
    organisation = Organisation.objects.create(slug=slug, name=slug, languages=["fr", "en"])
    process = Process.objects.create(
        organisation=organisation, slug="budget", title={"fr": "Budget", "en": "Budget"}
    )
    instance = ModuleInstance.objects.create(
        process=process, module="ideas", slug="idees", title={"fr": "Idées", "en": "Ideas"}
    )
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        title={"fr": "Phase", "en": "Phase"},
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30),
    )
    for capability in ("submit", "comment", "support"):
        Opening.objects.create(phase=phase, instance=instance, capability=capability)
    categories = [
        Category.objects.create(instance=instance, code=f"c{n}", name={"fr": f"Thème {n}"})
        for n in range(5)
    ]
    pks = fill(instance, ideas=ideas, comments_per_idea=comments, author=person, supporter=person)
    for n, category in enumerate(categories):
        Idea.objects.filter(pk__in=pks[n::5]).update(category=category)
    base = f"/fr/{slug}/budget/ideas/idees/"
    pages = (ideas + 19) // 20
    return {
        "random order": base + "?order=random&seed=12345",
        "newest first": base + "?order=newest",
        "most supported first": base + "?order=supported",
        "filtered by category": base + "?category=c2&order=newest",
        "last page, newest first": base + f"?order=newest&page={pages}",
        "an idea page (10 comments)": base + f"{pks[len(pks) // 2]}/",
        "API list, 10 a page": f"/api/v1/ideas/{slug}/budget/idees/ideas?limit=10",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--comments-per-idea", type=int, default=10)
    args = parser.parse_args()
    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in name:
        sys.exit(f"refusing to empty {name}: use a database whose name contains 'bench'")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with scopes_disabled():
        person = Participant.objects.create_user("bench@example.org", "bench password 1")
        start = time.perf_counter()
        small = make_box("small", ideas=10, comments=args.comments_per_idea, person=person)
        large = make_box("large", ideas=args.ideas, comments=args.comments_per_idea, person=person)
        loaded = time.perf_counter() - start
        comments = Comment.objects.filter(instance__process__organisation__slug="large").count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics, as autovacuum (PostgreSQL) keeps them after a load
    print(
        f"{connection.vendor}: small box 10 ideas, large box {args.ideas} ideas and "
        f"{comments} comments "
        f"(loaded in {loaded:.1f} s); best of {REPEAT}, ms"
    )
    client = Client()
    print(
        f"| page | 10 ideas (ms) | {args.ideas:,} ideas (ms) | ratio | queries "
        "| SQL time, 10 / large (ms) | ideas shown, 10 / large |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label in small:
        times, queries, sql, shown = [], [], [], []
        for box in (small, large):
            url = box[label]
            response = client.get(url)
            assert response.status_code == 200, url
            context = response.context or {}
            shown.append(
                len(context["ideas"])
                if "ideas" in context
                else 1
                if "idea" in context
                else len(response.json()["items"])
            )
            times.append(best_of(lambda url=url: client.get(url)))
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries.append(len(captured))
            sql.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
        count = f"{queries[0]}" if queries[0] == queries[1] else f"{queries[0]} / {queries[1]}"
        print(
            f"| {label} | {times[0] * 1000:.1f} | {times[1] * 1000:.1f} "
            f"| {times[1] / times[0]:.2f} | {count} | {sql[0]:.1f} / {sql[1]:.1f} "
            f"| {shown[0]} / {shown[1]} |"
        )


if __name__ == "__main__":
    main()
