"""Benchmark: a signing spike on a petition, against PostgreSQL's own single-row insert rate.

Run (PostgreSQL and Redis on localhost)::

    .venv/bin/python bench/petition_spike.py [--signatures 50000] [--clients 64] [--kill-worker]

What it does, in one run:

1. creates a fresh database ``parlons_petitions_bench``, migrates it and creates one open
   petition (guests allowed; the per-IP limit switched off, as every client here shares
   127.0.0.1), under the **production settings** (``PARLONS_SETTINGS_PROFILE=production``,
   Redis cache, SMTP e-mail, static manifest);
2. starts the app as ``./run`` does (``parlons serve``: granian, WSGI, 2 workers of 32
   threads: 64 PostgreSQL connections, within a default ``max_connections`` of 100) and one
   ``parlons worker`` (the task worker and the periodic scheduler), and an SMTP sink in
   this process that receives the real confirmation e-mails;
3. fires ``--signatures`` sign requests (distinct e-mails, real form posts) from
   ``--clients`` concurrent keep-alive HTTP connections, while ``--readers`` (16) other
   connections read the public count (the live file granian serves) at ``--read-rate``
   reads per second together (3,000, the target; 0: as fast as they can), and confirms
   each signature by following the link of its e-mail as soon as the e-mail arrives;
4. waits for the batch count to reach every confirmed signature, then checks in the
   database: no accepted signature lost, no duplicate, no confirmed signature lost;
5. stops the app and measures, with the same concurrency, PostgreSQL's single-row insert
   rate (autocommit INSERTs into a table with the same unique index) — the physical limit
   of "one row per signature" on this machine — and prints our rate as a ratio of it.

``--kill-worker`` kills one granian worker process (SIGKILL) when half the signatures are
sent; granian respawns it (``GRANIAN_RESPAWN_FAILED_WORKERS``), clients retry what failed,
and the checks of step 4 say whether any accepted or confirmed signature was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import binascii
import contextlib
import email
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
LINK = re.compile(rb"https?://[^\s]+/confirm/[^\s]+")
SETUP = """
import django; django.setup()
from datetime import timedelta
from django.utils import timezone
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance, Opening, Phase, Process
from parlons.core.tenancy import scopes_disabled
from parlons.modules.petitions.models import Petition
_scope = scopes_disabled()
_scope.__enter__()
org = Organisation.objects.create(slug="bench", name="Bench")
process = Process.objects.create(organisation=org, slug="spike", title={"en": "Spike"})
instance = ModuleInstance.objects.create(
    process=process, module="petitions", slug="petition", title={"en": "Petition"},
    settings={"allow_guests": True, "signatures_per_ip_per_hour": 0},
)
now = timezone.now()
phase = Phase.objects.create(process=process, title={"en": "Signing"},
    starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=9))
for capability in ("show", "sign"):
    Opening.objects.create(phase=phase, instance=instance, capability=capability)
petition = Petition.objects.create(instance=instance, title="Spike", ask="Count us.",
    target="The council", goal=100000, deadline=now + timedelta(days=9),
    status="published", published_at=now)
print(petition.pk)
"""


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--signatures", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument(
        "--read-rate",
        type=float,
        default=3000,
        help="count reads per second asked of all readers together (0: as fast as they can)",
    )
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--port", type=int, default=8203)
    parser.add_argument("--smtp-port", type=int, default=8204)
    parser.add_argument("--raw-rows", type=int, default=20_000)
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--database", default="parlons_petitions_bench")
    parser.add_argument("--var", default="/tmp/pv-petitions/bench")
    return parser.parse_args()


# --- a small, fast HTTP/1.1 client (keep-alive, Content-Length or chunked) -----------


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def close(self) -> None:
        if self.writer:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
            "X-Forwarded-Proto: https\r\nAccept-Language: en\r\n"
        )
        if body:
            head += (
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n"
            )
        self.writer.write(head.encode() + b"\r\n" + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, chunked, closing = 0, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _sep, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and "close" in value.lower():
                closing = True
        if chunked:
            data = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                data += await self.reader.readexactly(size + 2)
        else:
            data = await self.reader.readexactly(length)
        if closing:
            await self.close()
        return status, data


async def call(conn: Connection, method: str, path: str, body: bytes = b"", stats=None):
    """One request, retried on a broken connection (a killed worker, a reset)."""
    for attempt in range(20):
        try:
            return await conn.request(method, path, body)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            await conn.close()
            if stats is not None:
                stats["retries"] += 1
            await asyncio.sleep(0.05 * (attempt + 1))
    raise RuntimeError(f"{method} {path} failed 20 times")


# --- an SMTP sink: receives the real e-mails, hands their confirmation links on ---------


class Sink:
    def __init__(self):
        self.links: asyncio.Queue[str] = asyncio.Queue()
        self.messages = 0

    async def handle(self, reader, writer) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                writer.write(b"250 sink\r\n")
            elif verb == b"DATA":
                writer.write(b"354 go on\r\n")
                await writer.drain()
                raw = bytearray()
                while (chunk := await reader.readline()) not in (b".\r\n", b""):
                    raw += chunk[1:] if chunk.startswith(b"..") else chunk
                self.take(bytes(raw))
                writer.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()

    def take(self, raw: bytes) -> None:
        self.messages += 1
        head, _sep, body = raw.partition(b"\r\n\r\n")
        if b"multipart/" not in head:  # one text part: decode it without the email parser
            if b"quoted-printable" in head.lower():
                body = binascii.a2b_qp(body)
            found = LINK.search(body)
            if found:
                self.links.put_nowait(urlsplit(found.group(0).decode()).path)
            return
        message = email.message_from_bytes(raw)
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                found = LINK.search(part.get_payload(decode=True) or b"")
                if found:
                    self.links.put_nowait(urlsplit(found.group(0).decode()).path)


# --- the processes of the app ------------------------------------------------------------


def app_env(args, database: str) -> dict[str, str]:
    var = Path(args.var)
    var.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "PARLONS_VAR": str(var),
        "PARLONS_SETTINGS_PROFILE": "production",
        "SECRET_KEY": "bench-only-" + "k" * 60,
        "DATABASE_URL": f"{args.pg}/{database}",
        "REDIS_URL": args.redis,
        "EMAIL_URL": f"smtp://{HOST}:{args.smtp_port}",
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}:{args.port}",
        "DJANGO_SETTINGS_MODULE": "parlons.config.settings",
        "GRANIAN_RESPAWN_FAILED_WORKERS": "true",
        "GRANIAN_RESPAWN_INTERVAL": "0.5",
        "GRANIAN_LOG_LEVEL": "warning",
    }


def fresh_database(args, name: str) -> None:
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def parlons(env, *argv, **kwargs):
    return subprocess.run([sys.executable, "-m", "parlons", *argv], env=env, check=True, **kwargs)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (clock ticks → seconds)."""
    total = 0.0
    for one in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def cpu_of_command(name: str) -> float:
    """User + system CPU of every live process whose command is ``name`` (the database)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() != name:
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


async def wait_up(port: int, path: str) -> None:
    for _ in range(1500):  # up to 5 minutes: a loaded machine starts slowly
        conn = Connection(port)
        try:
            status, _body = await conn.request("GET", path)
            await conn.close()
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("the app did not start")


# --- the spike ---------------------------------------------------------------------------


async def spike(args, base: str, sink: Sink, server: subprocess.Popen, probe) -> dict:
    stats = {"retries": 0, "sign_status": {}, "confirm_status": {}, "reads": 0}
    accepted: set[str] = set()
    confirmed: list[str] = []
    latencies: list[float] = []
    read_latencies: list[float] = []
    todo = iter(range(args.signatures))
    sent = 0
    killed = {}
    done = asyncio.Event()

    async def signer() -> None:
        nonlocal sent
        conn = Connection(args.port)
        for n in todo:
            address = f"signer{n}@example.org"
            body = urlencode(
                {
                    "name": f"Signer {n}",
                    "email": address,
                    "postcode": f"{75001 + n % 20}",
                    "consent": "on",
                }
            ).encode()
            started = time.perf_counter()
            status, _page = await call(conn, "POST", f"{base}sign/", body, stats)
            latencies.append(time.perf_counter() - started)
            stats["sign_status"][status] = stats["sign_status"].get(status, 0) + 1
            if status == 200:
                accepted.add(address)
            sent += 1
            if args.kill_worker and not killed and sent >= args.signatures // 2:
                workers = children(server.pid)
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    killed["pid"], killed["at"] = workers[0], sent
        await conn.close()

    async def reader() -> None:
        conn = Connection(args.port)
        live = f"/live/petitions/{base.rstrip('/').rsplit('/', 1)[1]}.json"  # granian's file
        interval = args.readers / args.read_rate if args.read_rate else 0
        due = time.perf_counter()
        while not done.is_set():
            if interval:  # paced: each reader asks at its share of --read-rate
                due += interval
                if (wait := due - time.perf_counter()) > 0:
                    await asyncio.sleep(wait)
            asked = time.perf_counter()
            status, _body = await call(conn, "GET", live, stats=stats)
            read_latencies.append(time.perf_counter() - asked)
            if status == 200:
                stats["reads"] += 1
        await conn.close()

    async def confirmer() -> None:
        conn = Connection(args.port)
        while True:
            path = await sink.links.get()
            if path is None:
                break
            status, page = await call(conn, "GET", path, stats=stats)
            stats["confirm_status"][status] = stats["confirm_status"].get(status, 0) + 1
            # a retried link whose first try got through before a broken connection is
            # answered "already confirmed": that signature is confirmed too (the database
            # check below says whether it really is)
            if status == 200 or (status == 400 and b"already confirmed" in page):
                confirmed.append(path)
        await conn.close()

    confirmers = [asyncio.create_task(confirmer()) for _ in range(16)]
    readers = [asyncio.create_task(reader()) for _ in range(args.readers)]
    started = time.perf_counter()
    await asyncio.gather(*(signer() for _ in range(args.clients)))
    spike_seconds = time.perf_counter() - started
    stats["cpu_at_end_of_signing"] = probe()
    done.set()
    await asyncio.gather(*readers)
    reads_per_second = stats["reads"] / spike_seconds
    # confirmations continue until every accepted signer's e-mail came and was followed
    deadline = time.perf_counter() + 600
    while len(confirmed) < len(accepted) and time.perf_counter() < deadline:
        await asyncio.sleep(0.5)
    all_confirmed = time.perf_counter() - started
    for _ in confirmers:
        sink.links.put_nowait(None)
    await asyncio.gather(*confirmers)
    return {
        **stats,
        "accepted": accepted,
        "confirmed": len(confirmed),
        "spike_seconds": spike_seconds,
        "all_confirmed_seconds": all_confirmed,
        "latencies": latencies,
        "reads_per_second": reads_per_second,
        "read_latencies": read_latencies,
        "killed": killed,
    }


async def final_count(args, base: str, expected: int) -> tuple[int, float]:
    conn = Connection(args.port)
    started = time.perf_counter()
    count = -1
    while time.perf_counter() - started < 120:
        status, body = await call(conn, "GET", f"{base}count.json")
        count = int(re.search(rb'"count": (\d+)', body).group(1))
        if count >= expected:
            break
        await asyncio.sleep(0.5)
    await conn.close()
    return count, time.perf_counter() - started


def check_database(args, database: str, petition: int, accepted: set[str]) -> dict:
    with psycopg.connect(f"{args.pg}/{database}") as conn:
        rows = conn.execute(
            "SELECT email, confirmed_at IS NOT NULL FROM petitions_signature WHERE petition_id = %s",
            (petition,),
        ).fetchall()
    emails = [e for e, _c in rows]
    stored = set(emails)
    confirmed = {e for e, c in rows if c}
    return {
        "rows": len(rows),
        "duplicates": len(emails) - len(stored),
        "lost": len(accepted - stored),
        "confirmed_rows": len(confirmed),
        "accepted_not_confirmed": len(accepted - confirmed),
    }


# --- the physical limit: raw single-row inserts under the same unique index ---------------


async def raw_inserts(args, database: str) -> float:
    url = f"{args.pg}/{database}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute(
            "CREATE TABLE bench_raw (id bigserial PRIMARY KEY, petition_id bigint NOT NULL, "
            "email varchar(254), name varchar(100) NOT NULL, postcode varchar(12) NOT NULL, "
            "consent boolean NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute("CREATE UNIQUE INDEX bench_raw_one ON bench_raw (petition_id, email)")
    todo = iter(range(args.raw_rows))
    # at its best: every connection open before the clock starts (the app's stay open too)
    connections = [
        await psycopg.AsyncConnection.connect(url, autocommit=True) for _ in range(args.clients)
    ]

    async def inserter(conn) -> None:
        for n in todo:
            await conn.execute(
                "INSERT INTO bench_raw (petition_id, email, name, postcode, consent) "
                "VALUES (1, %s, %s, %s, true)",
                (f"signer{n}@example.org", f"Signer {n}", f"{75001 + n % 20}"),
            )

    started = time.perf_counter()
    await asyncio.gather(*(inserter(conn) for conn in connections))
    rate = args.raw_rows / (time.perf_counter() - started)
    for conn in connections:
        await conn.close()
    return rate


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


async def main() -> None:
    args = parse()
    database = args.database
    fresh_database(args, database)
    env = app_env(args, database)
    print("==> migrate, collect static files, create the petition", flush=True)
    parlons(env, "migrate", "--no-input", "-v", "0")
    parlons(env, "compilemessages-lite", stdout=subprocess.DEVNULL)
    parlons(env, "collectstatic", "--no-input", "-v", "0")
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True)
    if made.returncode:
        raise SystemExit(made.stderr)
    petition = int(made.stdout.strip())
    base = f"/en/bench/spike/petitions/petition/{petition}/"
    sink = Sink()
    smtp = await asyncio.start_server(sink.handle, HOST, args.smtp_port)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "parlons",
            "serve",
            "--port",
            str(args.port),
            "--workers",
            str(args.web_workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "parlons", "worker"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        await wait_up(args.port, base)
        print(f"==> spike: {args.signatures} signatures from {args.clients} clients", flush=True)
        cpu_before = cpu_seconds(server.pid), cpu_seconds(worker.pid)

        def probe() -> tuple[float, ...]:
            return (
                cpu_seconds(server.pid),
                cpu_seconds(worker.pid),
                cpu_of_command("postgres"),
                own_cpu(),
            )

        before = probe()
        result = await spike(args, base, sink, server, probe)
        signing_cpu = [b - a for a, b in zip(before, result["cpu_at_end_of_signing"], strict=True)]
        final, waited = await final_count(args, base, len(result["accepted"]))
        cpu_web = cpu_seconds(server.pid) - cpu_before[0]
        cpu_tasks = cpu_seconds(worker.pid) - cpu_before[1]
    finally:
        spawned = children(server.pid) + children(worker.pid)
        for process in (server, worker):
            process.send_signal(signal.SIGINT)
        for process in (server, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for pid in spawned:  # a web worker left behind by its main process
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        smtp.close()
    checks = check_database(args, database, petition, result["accepted"])
    print("==> raw PostgreSQL single-row inserts, same unique index and concurrency", flush=True)
    raw = await raw_inserts(args, database)
    ours = len(result["accepted"]) / result["spike_seconds"]
    lat = result["latencies"]
    print()
    print(
        f"signatures accepted      {len(result['accepted'])} of {args.signatures} "
        f"in {result['spike_seconds']:.1f} s  (statuses {result['sign_status']})"
    )
    print(f"signatures per second    {ours:.0f}")
    print(
        f"latency p50 / p99        {percentile(lat, 50) * 1000:.1f} ms / "
        f"{percentile(lat, 99) * 1000:.1f} ms"
    )
    print(
        f"count reads per second   {result['reads_per_second']:.0f}  "
        f"({args.readers} connections, during the spike, the live file /live/petitions/; "
        f"asked: {f'{args.read_rate:.0f}/s' if args.read_rate else 'as fast as they can'}; "
        f"p50 / p99 {percentile(result['read_latencies'], 50) * 1000:.1f} ms / "
        f"{percentile(result['read_latencies'], 99) * 1000:.1f} ms)"
    )
    print(f"e-mails received (SMTP)  {sink.messages}")
    print(
        f"confirmed (200)          {result['confirmed']}  (statuses {result['confirm_status']}), "
        f"all within {result['all_confirmed_seconds']:.1f} s of the spike's start"
    )
    print(f"public count             {final}  (reached {waited:.1f} s after the last confirmation)")
    print(f"rows / duplicates / lost {checks['rows']} / {checks['duplicates']} / {checks['lost']}")
    print(f"confirmed signature lost {checks['accepted_not_confirmed']}")
    print(f"client retries           {result['retries']}")
    n = max(len(result["accepted"]), 1)
    print(
        f"CPU per signature        web {cpu_web / n * 1000:.1f} ms (sign + confirm + reads), "
        f"task worker {cpu_tasks / n * 1000:.1f} ms (e-mails, counts)"
    )
    web, tasks, database, bench = (c / n * 1000 for c in signing_cpu)
    print(
        f"CPU while signing        web {web:.2f} ms, task worker {tasks:.2f} ms, "
        f"PostgreSQL {database:.2f} ms, this bench {bench:.2f} ms per accepted signature "
        f"(at most {os.cpu_count() * 1000 / (web + tasks + database + bench):.0f}/s on {os.cpu_count()} cores)"
    )
    print(f"machine load average     {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if result["killed"]:
        print(
            f"killed worker            pid {result['killed']['pid']} after "
            f"{result['killed']['at']} signatures sent"
        )
    print(f"raw PostgreSQL inserts/s {raw:.0f}")
    print(f"ratio ours / raw         {ours / raw:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
