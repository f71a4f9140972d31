"""Participatory-budgeting rules: Parlons' engine against pabutools, same files, one run.

Usage (from the repository root)::

    .venv/bin/python bench/pb_rules.py                 # five largest files, MES and greedy
    .venv/bin/python bench/pb_rules.py --rules all --files all --timeout 120
    .venv/bin/python bench/pb_rules.py --regenerate    # writes bench/expected/pb_outcomes.json

Times are CPU seconds by default (``--clock wall`` for the wall clock): the machine this
runs on is shared, and CPU time is what each side actually used. Every pabutools run
happens in a child process with a time limit (a CPU-time limit with the CPU clock), on the
plain profile and on ``profile.as_multiprofile()``; parse times and grouping times are
measured apart from rule times on both sides (``group``: our grouped problem against
pabutools' ``as_multiprofile()``; every rule then runs on the grouped data on both sides).
A call shorter than 2 s is warmed up once, then timed in batches of repeated calls lasting
at least 0.2 s each, the fastest of five batches kept, on both sides alike (see
``timed``). Outcomes must be identical; the speed ratio is taken against the faster
pabutools variant.
``--regenerate`` records pabutools' outcome for every rule and file (``null`` where it did
not finish within ``--timeout`` seconds, default 600).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import queue
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from parlons.engine.budgets.reference import (  # noqa: E402
    REFERENCE_RULES,
    parse_reference,
    reference_outcome,
)
from parlons.engine.budgets.rules import compute  # noqa: E402
from parlons.formats.pabulib import problem_from_election, read  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "pabulib"
EXPECTED = ROOT / "bench" / "expected" / "pb_outcomes.json"


def data_files() -> list[Path]:
    """All ``.pb`` files, smallest first."""
    return sorted(DATA.glob("*.pb"), key=lambda p: p.stat().st_size)


def largest(count: int) -> list[Path]:
    """The ``count`` files with the most voters."""

    def voters(path: Path) -> int:
        with path.open(encoding="utf-8-sig") as handle:
            for line in handle:
                if line.startswith("num_votes;"):
                    return int(line.split(";")[1])
        return 0

    return sorted(data_files(), key=voters)[-count:]


# ----------------------------------------------------------------- pabutools in a child


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
PARSE_ALLOWANCE = 120.0  # seconds pabutools may spend parsing a file, on top of --timeout


BATCH = 0.2  # a timed batch of repeated calls lasts at least this long
BATCHES = 5  # timed batches per measurement; the fastest is kept
LONG = 2.0  # a call this long is timed once (a warm-up would double the run for little)


def timed(tick, call):
    """``(result, seconds per call)`` of ``call()``, the same way for both libraries.

    A call of ``LONG`` seconds or more is timed once. A shorter one is first run once as a
    warm-up (not counted: first-touch memory and caches), then timed in batches: the batch
    size doubles from one call until a batch lasts ``BATCH`` seconds, then ``BATCHES``
    batches of that size are timed and the fastest batch, divided by its size, is the
    figure. Timer resolution and per-reading overhead then weigh less than 1e-4 of a
    figure, and a burst of load on the shared machine spoils one batch, not the minimum.
    Every call recomputes from scratch (no cache is kept between calls on either side).
    """
    started = tick()
    result = call()
    seconds = tick() - started
    if seconds >= LONG:
        return result, seconds
    size = 1
    while True:
        batch = _batch(tick, call, size)
        if batch >= BATCH:
            break
        size *= 2
    best = batch / size
    for _ in range(BATCHES - 1):
        best = min(best, _batch(tick, call, size) / size)
    return result, best


def _batch(tick, call, size: int) -> float:
    """Seconds that ``size`` calls in a row take."""
    started = tick()
    for _ in range(size):
        call()
    return tick() - started


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _limit_cpu(seconds: float) -> None:
    """Let this process use ``seconds`` more CPU time, then be killed (SIGXCPU)."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(_cpu_used() + seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard < 0 else min(soft, hard), hard))


def _worker(path, rules, multiprofile, reuse, clock, timeout, out) -> None:
    """Parse once, then run ``rules`` in order, reporting ``(rule, winners, seconds)``.

    With the CPU clock the time limit is a CPU-time limit of the child (a shared, loaded
    machine gives pabutools less than a core; wall-clock limits would be unfair to it).
    """
    tick = CLOCKS[clock]
    if clock == "cpu":
        _limit_cpu(PARSE_ALLOWANCE)
    started = tick()
    instance, profile = parse_reference(path=path)
    out.put(("parse", None, tick() - started))
    if multiprofile:
        profile, seconds = timed(tick, profile.as_multiprofile)
        out.put(("group", None, seconds))
    cache: dict = {}
    for rule in rules:
        if clock == "cpu":
            _limit_cpu(timeout)
        if reuse:  # --regenerate: +greedy reuses the MES outcome, timed once
            started = tick()
            winners = reference_outcome(instance=instance, profile=profile, rule=rule, cache=cache)
            out.put((rule, winners, tick() - started))
            continue
        winners, seconds = timed(
            tick,
            lambda rule=rule: reference_outcome(
                instance=instance, profile=profile, rule=rule, cache={}
            ),
        )
        out.put((rule, winners, seconds))


def run_pabutools(
    path: Path,
    rules: list[str],
    *,
    multiprofile: bool,
    timeout: float,
    reuse: bool = False,
    clock: str = "cpu",
) -> dict[str, tuple[list[str] | None, float | None]]:
    """``rule -> (winners, seconds)``; ``(None, None)`` when it ran out of time."""
    results: dict[str, tuple[list[str] | None, float | None]] = {}
    todo = list(rules)
    context = mp.get_context("fork")
    # with the CPU clock the child stops itself; the wall deadline only guards against hangs
    slack = 30.0 if clock == "cpu" else 1.0
    while todo:
        out: mp.Queue = context.Queue()
        args = (str(path), todo, multiprofile, reuse, clock, timeout, out)
        child = context.Process(target=_worker, args=args)
        child.start()
        deadline = time.monotonic() + (timeout + PARSE_ALLOWANCE) * slack
        try:
            while todo:
                try:
                    rule, winners, seconds = out.get(timeout=2.0)
                except queue.Empty:
                    if child.is_alive() and time.monotonic() < deadline:
                        continue
                    late = todo.pop(0)
                    results[late] = (None, None)
                    if late + "+greedy" in todo:  # would recompute the same MES
                        todo.remove(late + "+greedy")
                        results[late + "+greedy"] = (None, None)
                    break
                if rule in ("parse", "group"):
                    results[rule] = (None, seconds)
                else:
                    results[rule] = (winners, seconds)
                    todo.remove(rule)
                deadline = time.monotonic() + timeout * slack
        finally:
            child.kill()
            child.join()
    return results


# ------------------------------------------------------------------------- our engine


def run_ours(
    path: Path, rules: list[str], clock: str = "cpu"
) -> dict[str, tuple[list[str] | None, float]]:
    """``rule -> (winners, seconds)``, with ``parse`` and ``group`` timed apart.

    ``group`` builds the grouped problem (identical ballots merged, utilities tabled),
    the counterpart of pabutools' ``as_multiprofile()``; every rule then runs on it.
    """
    tick = CLOCKS[clock]
    started = tick()
    election = read(path=path)
    results: dict[str, tuple[list[str] | None, float]] = {"parse": (None, tick() - started)}
    problem, seconds = timed(tick, lambda: problem_from_election(election=election))
    results["group"] = (None, seconds)

    def winners_of(rule: str) -> list[str] | None:
        try:
            return compute(problem=problem, rule=rule).winners
        except ValueError:
            return None

    for rule in rules:
        results[rule] = timed(tick, lambda rule=rule: winners_of(rule))
    return results


def same(rule: str, ours: list[str] | None, theirs: list[str] | None) -> bool:
    """Outcomes agree (pabutools returns Phragmén's winners sorted)."""
    if rule == "phragmen" and ours is not None:
        ours = sorted(ours)
    return ours == theirs


# --------------------------------------------------------------------------- commands


def regenerate(
    files: list[Path], rules: list[str], timeout: float, target: Path, clock: str = "cpu"
) -> None:
    """Write pabutools' outcomes to ``target`` file by file (existing entries are kept)."""
    data = json.loads(target.read_text()) if target.exists() else {}
    data["_about"] = (
        "pabutools 1.2.3 outcomes (multiprofile, exact, lexicographic tie-break) written by "
        f"bench/pb_rules.py --regenerate; null = not computed within {int(timeout)} s "
        f"({clock} time)"
    )
    for path in files:
        entry = data.setdefault(path.name, {})
        missing = [r for r in rules if r not in entry]
        if not missing:
            continue
        results = run_pabutools(
            path, missing, multiprofile=True, timeout=timeout, reuse=True, clock=clock
        )
        for rule in missing:
            winners, seconds = results.get(rule, (None, None))
            entry[rule] = {"winners": winners, "seconds": seconds}
            print(f"{path.name:60} {rule:16} {seconds}", flush=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def compare(
    files: list[Path],
    rules: list[str],
    timeout: float,
    clock: str = "cpu",
    variants: tuple[str, ...] = ("plain", "multi"),
) -> int:
    """Print per-file, per-rule times and ratios; returns 1 if any outcome differs.

    Outcomes are checked against every pabutools run that finished; where none did, against
    ``bench/expected/pb_outcomes.json`` when it has the case (``rec`` in the last column).
    A ratio shown as ``>N`` is a lower bound (pabutools ran out of time). ``variants``
    picks the pabutools profiles run (``plain``, ``multi``); a skipped one shows ``skipped``.
    """
    failures = 0
    recorded = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    ratios: dict[str, list[tuple[float, bool]]] = {r: [] for r in ["parse", "group", *rules]}
    print(f"{'file':44} {'rule':16} {'ours s':>8} {'pabu s':>8} {'multi s':>8} {'ratio':>8} same")
    for path in files:
        ours = run_ours(path, rules, clock)
        skipped = dict.fromkeys(["parse", "group", *rules], SKIPPED)
        plain, multi = (
            run_pabutools(path, rules, multiprofile=flag, timeout=timeout, clock=clock)
            if name in variants
            else skipped
            for name, flag in (("plain", False), ("multi", True))
        )
        for step in ("parse", "group"):  # group: ours vs as_multiprofile() alone
            theirs = [r[1] for r in (plain.get(step), multi.get(step)) if r and r[1]]
            ratio = min(theirs) / ours[step][1] if theirs else None
            if ratio is not None:
                ratios[step].append((ratio, False))
            print(
                f"{path.name[:44]:44} {step:16} {ours[step][1]:8.4f} "
                f"{_fmt(plain.get(step))} {_fmt(multi.get(step))} "
                f"{'' if ratio is None else f'{ratio:8.0f}'}"
            )
        for rule in rules:
            mine, seconds = ours[rule]
            refs = [w for w, t in (plain[rule], multi[rule]) if t is not None]
            times = [t for w, t in (plain[rule], multi[rule]) if t is not None]
            note = "yes"
            if not refs:
                entry = recorded.get(path.name, {}).get(rule)
                if entry and entry.get("seconds") is not None:
                    refs, note = [entry["winners"]], "rec"
                else:
                    note = "n/a"
            agree = all(same(rule, mine, ref) for ref in refs)
            failures += not agree
            if mine is None and all(ref is None for ref in refs):  # rule does not apply
                print(f"{path.name[:44]:44} {rule:16} {'not defined for this vote type':>35}")
                continue
            if times:
                ratio, bound = min(times) / seconds, False
                shown = f"{ratio:8.0f}"
            else:
                ratio, bound = timeout / seconds, True
                shown = f"{'>' + str(int(ratio)):>8}"
            ratios[rule].append((ratio, bound))
            print(
                f"{path.name[:44]:44} {rule:16} {seconds:8.4f} {_fmt(plain[rule])} "
                f"{_fmt(multi[rule])} {shown} {note if agree else 'NO'}",
                flush=True,
            )
    for rule, values in ratios.items():
        if values:
            low = min(values)
            print(
                f"{rule:16} ratio min {'>' if low[1] else ''}{low[0]:.0f}x, "
                f"max {max(v for v, _ in values):.0f}x over {len(values)} files"
            )
    print("outcomes identical" if not failures else f"{failures} outcome(s) DIFFER")
    return 1 if failures else 0


class _Skipped(tuple):
    """A pabutools variant that was not run (``--pabutools``)."""


SKIPPED = _Skipped((None, None))


def _fmt(result) -> str:
    if isinstance(result, _Skipped):
        return f"{'skipped':>8}"
    if result is None:  # not a step of this variant (grouping of the plain profile)
        return f"{'-':>8}"
    seconds = None if result is None else result[1]
    return f"{seconds:8.4f}" if seconds is not None else f"{'timeout':>8}"


def _preload_pabutools() -> None:
    """Import pabutools once in the parent: forked children then do not time the import."""
    from parlons.engine.budgets.reference import _import_pabutools

    _import_pabutools()
    import pabutools.election
    import pabutools.rules  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--files", default="largest", help="largest (5), all, or file names")
    parser.add_argument("--rules", default="mes,greedy", help="comma list or 'all'")
    parser.add_argument("--expected", type=Path, default=EXPECTED, help="--regenerate output")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per pabutools call")
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="cpu", help="CPU time (default) or wall clock"
    )
    parser.add_argument(
        "--pabutools",
        choices=("both", "plain", "multi"),
        default="both",
        help="pabutools profiles to run: plain, as_multiprofile() (its fastest), or both",
    )
    args = parser.parse_args(argv)
    if args.files == "all" or (args.regenerate and args.files == "largest"):
        files = data_files()
    elif args.files == "largest":
        files = largest(5)
    else:
        files = [DATA / name for name in args.files.split(",")]
    rules = list(REFERENCE_RULES) if args.rules == "all" else args.rules.split(",")
    _preload_pabutools()
    if args.regenerate:
        regenerate(files, rules, args.timeout or 600, args.expected, args.clock)
        return 0
    print(f"times: {args.clock} seconds; pabutools limited to {args.timeout or 300:g} s per call")
    variants = ("plain", "multi") if args.pabutools == "both" else (args.pabutools,)
    return compare(files, rules, args.timeout or 300, args.clock, variants)


if __name__ == "__main__":
    sys.exit(main())
