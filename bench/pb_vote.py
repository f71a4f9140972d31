"""Benchmark: voters casting budget ballots through the whole HTTP stack on PostgreSQL.

Run (PostgreSQL; the database named in DATABASE_URL is dropped and re-created)::

    PARLONS_VAR=/tmp/bench-pb-vote \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parlons_budgets_bench \
        .venv/bin/python bench/pb_vote.py [--voters 50000] [--clients 32] [--workers 2]

What it does, in one run:

1. builds a participatory budget (one budget of 1,000,000 with 12 projects, approval of
   1 to 3 projects, rule ``mes+greedy``, vote phase open) and N participants, each with
   a logged-in session (sessions written directly: logging in is not what is measured);
2. starts a real server, granian (WSGI) as ``parlons serve`` runs it, on ``--port``;
3. measures two floors with the same number of concurrent clients on a sample: the HTTP
   floor (a static file served through the same WSGI stack) and the database floor (the
   same two rows per ballot inserted by psycopg, one transaction each, no HTTP, no
   Django);
4. every voter POSTs one ballot to the public ballot page (CSRF token, session cookie,
   form fields, exactly as the page without JavaScript), from ``--clients`` threads with
   keep-alive connections; each answer must be the redirect of a recorded ballot;
5. stops the server, closes the vote with the service the back-office calls (builds the
   anonymised .pb, runs the engine, publishes) and times it;
6. checks that every ballot is counted: N voter marks, N ballots, N voters in the results.

Prints ballots per second, latency percentiles, the two floors and our ratio to them, and
the time to results.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("PARLONS_VAR", "/tmp/bench-pb-vote")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/parlons_budgets_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parlons.config.settings")
Path(os.environ["PARLONS_VAR"]).mkdir(parents=True, exist_ok=True)

PROJECTS = (
    [("Trees", 250_000), ("Cycle lane", 400_000), ("Playground", 120_000)]
    + [("Library corner", 30_000), ("Benches", 15_000), ("Public toilets", 180_000)]
    + [("Skate park", 220_000), ("Fountain", 40_000), ("Shared garden", 25_000)]
    + [("Night bus", 300_000), ("Sports kit", 60_000), ("Mural", 20_000)]
)
CSRF = "b" * 32  # a CSRF secret the clients send as cookie and header alike


def recreate_database(url: str) -> None:
    """Drop and create the bench database (never a test or a real one: name must say bench)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the bench database name contains 'bench'")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(voters: int):
    """The budget, its projects, the voters and their sessions; returns what clients need."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from parlons.core.organisations.models import Organisation
    from parlons.core.participants.models import Participant
    from parlons.core.processes.models import ModuleInstance, Opening, Phase, Process
    from parlons.modules.budgets.models import Budget, Project, Status

    organisation = Organisation.objects.create(slug="bench", name="Bench city")
    process = Process.objects.create(
        organisation=organisation, slug="pb", title={"fr": "BP"}, languages=["fr"]
    )
    instance = ModuleInstance.objects.create(
        process=process, module="budgets", slug="vote", title={"fr": "Vote"}
    )
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        title={"fr": "Vote"},
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    Opening.objects.create(phase=phase, instance=instance, capability="vote")
    budget = Budget.objects.create(
        instance=instance,
        slug="ville",
        title={"fr": "Ville"},
        amount=1_000_000,
        ballot_type="approval",
        min_choices=1,
        max_choices=3,
        rule="mes+greedy",
    )
    projects = Project.objects.bulk_create(
        Project(
            instance=instance,
            budget=budget,
            title=title,
            body=f"{title}: a project of the bench city.",
            cost=cost,
            status=Status.FEASIBLE,
        )
        for title, cost in PROJECTS
    )
    password = make_password(None)
    people = Participant.objects.bulk_create(
        (Participant(email=f"voter{n}@bench.example", password=password) for n in range(voters)),
        batch_size=5000,
    )
    store = SessionStore()
    expires = now + timedelta(days=1)
    keys = [secrets.token_hex(16) for _n in people]
    Session.objects.bulk_create(
        (
            Session(
                session_key=key,
                session_data=store.encode(
                    {
                        "_auth_user_id": str(person.pk),
                        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                        "_auth_user_hash": person.get_session_auth_hash(),
                    }
                ),
                expire_date=expires,
            )
            for key, person in zip(keys, people, strict=True)
        ),
        batch_size=5000,
    )
    path = f"/fr/{organisation.slug}/{process.slug}/budgets/{instance.slug}/budget/{budget.slug}/"
    return budget, [p.pk for p in projects], keys, path


def ballots_for(count: int, projects: list[int], seed: int = 7) -> list[list[int]]:
    """Ballots of 1 to 3 projects, the popular ones more often (a Zipf-like taste)."""
    draw = np.random.default_rng(seed)
    weights = 1 / np.arange(1, len(projects) + 1)
    weights /= weights.sum()
    out = []
    for size in draw.integers(1, 4, size=count):
        out.append([int(p) for p in draw.choice(projects, size=size, replace=False, p=weights)])
    return out


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    argv = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--log-level",
        "warning",
        "parlons.config.wsgi:application",
    ]
    # Each server thread keeps its database connection for the whole run (the default
    # re-opens it every 60 s): on a shared PostgreSQL near max_connections a re-opening
    # can be refused, and the ballot then fails for a reason that is not the vote's.
    url = os.environ["DATABASE_URL"]
    url += ("&" if "?" in url else "?") + "conn_max_age=86400"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DATABASE_URL": url}
    server = subprocess.Popen(argv, env=env)
    for _n in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


class Clients:
    """``count`` threads, each with one keep-alive connection, sharing a list of jobs."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        found = getattr(self.local, "connection", None)
        if found is None:
            found = self.local.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=60
            )
        return found

    def request(self, method: str, path: str, body: str | None, headers: dict) -> tuple[int, float]:
        start = time.perf_counter()
        for attempt in (1, 2):
            connection = self._connection()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                break
            except (http.client.HTTPException, OSError):
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
        return response.status, time.perf_counter() - start

    def run(self, jobs: list, make) -> tuple[list[int], np.ndarray, float]:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=self.count) as pool:
            results = list(pool.map(lambda job: self.request(*make(job)), jobs, chunksize=64))
        elapsed = time.perf_counter() - start
        statuses = [status for status, _t in results]
        return statuses, np.array([t for _s, t in results]), elapsed


def warm_up(clients: Clients, path: str, minutes: float = 15) -> None:
    """Read the ballot page until every answer is 200, so that each server thread holds its
    database connection before the vote is timed (on the shared machine PostgreSQL may be
    at max_connections for a while: wait for room rather than time refused connections)."""
    deadline = time.monotonic() + minutes * 60
    while True:
        statuses, _times, _elapsed = clients.run(
            list(range(clients.count * 20)), lambda n: ("GET", path, None, {})
        )
        if set(statuses) == {200}:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"the server kept failing before the vote: {sorted(set(statuses))}")
        print(f"warm-up: answers {sorted(set(statuses))}, waiting for the database", flush=True)
        time.sleep(20)


def database_floor(budget_pk: int, sample: int, clients: int) -> float:
    """Inserts per second of the same two rows per ballot, one transaction each, psycopg."""
    import json
    import uuid

    import psycopg

    url = os.environ["DATABASE_URL"]
    local = threading.local()

    def one(n: int) -> None:
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = local.connection = psycopg.connect(url)
        with connection.transaction():
            connection.execute(
                "INSERT INTO budgets_votermark (budget_id, paper_reference, voted_at) "
                "VALUES (%s, %s, now())",
                (budget_pk, f"floor-{n}"),
            )
            connection.execute(
                "INSERT INTO budgets_ballot (id, budget_id, lookup, choices, receipt_hash, paper)"
                " VALUES (%s, %s, '', %s, %s, false)",
                (uuid.uuid4(), budget_pk, json.dumps([[1, 1]]), secrets.token_hex(32)),
            )

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(sample)))
    elapsed = time.perf_counter() - start
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DELETE FROM budgets_ballot WHERE lookup = '' AND paper = false")
        connection.execute("DELETE FROM budgets_votermark WHERE paper_reference LIKE 'floor-%%'")
    return sample / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8202)
    parser.add_argument("--sample", type=int, default=5000, help="requests for each floor")
    args = parser.parse_args()
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("this benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")

    recreate_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    from parlons.core.tenancy import scopes_disabled

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        started = time.perf_counter()
        budget, projects, keys, path = build(args.voters)
        print(
            f"set-up: {args.voters:,} voters with sessions in {time.perf_counter() - started:.1f} s"
        )
    ballots = ballots_for(args.voters, projects)
    from django.db import connections

    connections.close_all()

    server = start_server(args.port, args.workers, args.threads)
    try:
        clients = Clients(args.port, args.clients)
        warm_up(clients, path)
        floor_statuses, floor_times, floor_elapsed = clients.run(
            list(range(args.sample)),
            lambda n: ("GET", "/static/parlons/favicon.svg", None, {}),
        )
        assert set(floor_statuses) == {200}, set(floor_statuses)
        http_floor = args.sample / floor_elapsed

        def cast(n: int):
            body = urlencode({"project": ballots[n]}, doseq=True)
            headers = {
                "Cookie": f"sessionid={keys[n]}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            return "POST", path, body, headers

        statuses, latencies, elapsed = clients.run(list(range(args.voters)), cast)
    finally:
        server.terminate()
        server.wait(timeout=30)
    import psycopg

    try:
        db_floor = database_floor(budget.pk, args.sample, args.clients)
    except psycopg.OperationalError as error:  # the shared server full: report, go on
        print(f"database floor not measured: {error}")
        db_floor = float("nan")

    from parlons.core.organisations.models import Member
    from parlons.core.participants.models import Participant
    from parlons.modules.budgets.models import Ballot, Budget, VoterMark
    from parlons.modules.budgets.services import do_close_budget

    with scopes_disabled():
        admin = Participant.objects.create_user("admin@bench.example", "x" * 20)
        Member.objects.create(
            organisation=budget.instance.process.organisation, participant=admin, role="admin"
        )
        started = time.perf_counter()
        do_close_budget(actor=admin, budget=Budget.objects.get(pk=budget.pk))
        to_results = time.perf_counter() - started
        closed = Budget.objects.get(pk=budget.pk)
        marks = VoterMark.objects.filter(budget=closed).count()
        stored = Ballot.objects.filter(budget=closed).count()
    redirected = statuses.count(302)
    rate = args.voters / elapsed
    print(
        f"server: granian WSGI, {args.workers} workers x {args.threads} threads; "
        f"{args.clients} concurrent clients; {os.cpu_count()} CPUs"
    )
    print(
        f"ballots: {args.voters:,} in {elapsed:.1f} s = {rate:,.0f} ballots/s; "
        f"answers 302: {redirected:,}, other: {len(statuses) - redirected:,}"
    )
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99]) * 1000
    print(
        f"latency: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
        f"max {latencies.max() * 1000:.1f} ms"
    )
    print(
        f"HTTP floor (static file, same stack): {http_floor:,.0f} req/s; "
        f"ours / floor = {rate / http_floor:.3f}"
    )
    print(
        f"database floor (2 inserts + commit, psycopg): {db_floor:,.0f} ballots/s; "
        f"ours / floor = {rate / db_floor:.3f}"
    )
    print(
        f"close + .pb + engine ({closed.rule}) + publish: {to_results:.2f} s; "
        f"winners {closed.results['winners']}"
    )
    counted = closed.results["voters"]
    print(
        f"counted: marks {marks:,}, ballots {stored:,}, results {counted:,} "
        f"(expected {args.voters:,})"
    )
    ok = redirected == marks == stored == counted == args.voters
    print("every ballot counted" if ok else "MISMATCH: some ballots were not counted")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
