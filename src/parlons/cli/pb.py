"""``parlons pb``: compute participatory-budgeting outcomes from Pabulib files.

    parlons pb compute FILE.pb --rule mes [--json] [--explain] [--tie-break lexicographic]

Pure computation (no Django). Exit codes: 0 done, 2 bad file or arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction

from parlons.engine.budgets.explain import describe
from parlons.engine.budgets.rules import RULES, Outcome, compute
from parlons.engine.budgets.tiebreak import TIE_BREAKS
from parlons.formats.pabulib import PabulibError, problem_from_election, read


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parlons pb", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("compute", help="compute the winners of a .pb file")
    run.add_argument("file")
    run.add_argument("--rule", choices=RULES, default="mes")
    run.add_argument("--json", action="store_true", help="machine-readable output")
    run.add_argument("--explain", action="store_true", help="add the rounds and reasons")
    run.add_argument("--tie-break", choices=TIE_BREAKS, default="lexicographic")
    run.add_argument("--order", default="", help="comma-separated ids for --tie-break explicit")
    run.add_argument("--increment", default="1", help="add-one step of mes-add1-integral")
    run.add_argument(
        "--exhaustive", action="store_true", help="mes-add1-integral: stop once exhaustive"
    )
    run.add_argument(
        "--fill", action="store_true", help="mes-add1-integral: utilitarian completion"
    )
    return parser


def _number(x: Fraction) -> int | float:
    return int(x) if x.denominator == 1 else float(x)


def _rounds(outcome: Outcome) -> list[dict]:
    e = outcome.explanation
    rounds: list[dict] = []
    for r in e.mes:
        rounds.append(
            {
                "phase": "mes",
                "project": r.project,
                "rho": str(r.rho),
                "paid": _number(r.paid),
                "supporters": r.supporters,
                "exhausted": r.exhausted,
            }
        )
    for r in e.phragmen:
        rounds.append({"phase": "phragmen", "project": r.project, "load": str(r.load)})
    for s in e.greedy:
        rounds.append(
            {
                "phase": "greedy",
                "project": s.project,
                "selected": s.selected,
                "cost": _number(s.cost),
                "budget_left": _number(s.budget_left),
            }
        )
    return rounds


def _report(outcome: Outcome, *, explain: bool) -> dict:
    data: dict = {
        "rule": outcome.rule,
        "winners": outcome.winners,
        "total_cost": _number(outcome.total_cost),
    }
    if explain:
        e = outcome.explanation
        data["share"] = None if e.share is None else str(e.share)
        data["rounds"] = _rounds(outcome)
        data["reasons"] = describe(explanation=e, winners=outcome.winners)
    return data


def main(argv: list[str]) -> int:
    """Entry point of ``parlons pb``; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0) and 2
    try:
        election = read(path=args.file)
    except PabulibError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as error:
        print(f"{args.file}: cannot read: {error}", file=sys.stderr)
        return 2
    try:
        outcome = compute(
            problem=problem_from_election(election=election),
            rule=args.rule,
            tie_break=args.tie_break,
            order=[x for x in args.order.split(",") if x],
            increment=Fraction(args.increment),
            exhaustive=args.exhaustive,
            fill=args.fill,
        )
    except ValueError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    data = _report(outcome, explain=args.explain)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=None if not args.explain else 1))
        return 0
    print(f"{outcome.rule}: {len(outcome.winners)} winners, total cost {data['total_cost']}")
    print("winners: " + ", ".join(outcome.winners))
    if args.explain:
        for pid, sentences in data["reasons"].items():
            for sentence in sentences:
                print(f"  {pid}: {sentence}")
    return 0
