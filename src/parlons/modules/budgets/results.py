"""At the close: the anonymised ballots as a Pabulib ``.pb`` file, the outcome of the
published rule computed by the engine on exactly that file, and greedy for comparison.

Anyone can recount: the file, its SHA-256 and the rule are public; voter ids in the file
are random and each line carries the hash of its voter's receipt code.
"""

from __future__ import annotations

import hashlib
import secrets
from fractions import Fraction
from typing import Any

import numpy as np

from parlons.engine.budgets.explain import Explanation, describe
from parlons.engine.budgets.rules import compute
from parlons.formats import pabulib
from parlons.lib.i18n import pick
from parlons.modules.budgets.models import Ballot, BallotType, Budget, Project, Status

VOTE_TYPES = {
    BallotType.APPROVAL: "approval",
    BallotType.KNAPSACK: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKING: "ordinal",
}


def _cell(text: str) -> str:
    return " ".join(str(text).split())


def _meta(budget: Budget, num_projects: int, num_votes: int) -> dict[str, str]:
    instance = budget.instance
    meta = {
        "description": _cell(f"{pick(instance.title)} — {pick(budget.title)}"),
        "country": "",
        "unit": _cell(instance.process.organisation.name),
        "instance": _cell(f"{instance.process.slug}/{instance.slug}/{budget.slug}"),
        "num_projects": str(num_projects),
        "num_votes": str(num_votes),
        "budget": str(budget.amount),
        "vote_type": VOTE_TYPES[budget.ballot_type],
        "rule": budget.rule,
        "currency": budget.currency,
        "min_length": str(budget.min_choices),
    }
    if budget.max_choices:
        meta["max_length"] = str(budget.max_choices)
    if budget.ballot_type == BallotType.APPROVAL and budget.max_cost:
        meta["max_sum_cost"] = str(budget.max_cost)
    if budget.ballot_type == BallotType.KNAPSACK:
        meta["max_sum_cost"] = str(budget.amount)
    if budget.ballot_type == BallotType.CUMULATIVE:
        meta["max_sum_points"] = str(budget.points)
        if budget.max_points_per_project:
            meta["max_points"] = str(budget.max_points_per_project)
    return {k: v for k, v in meta.items() if v != ""}


def build_election(*, budget: Budget) -> pabulib.Election:
    """The anonymised ballots of ``budget`` in random order with random voter ids."""
    projects = list(Project.objects.filter(budget=budget, status=Status.FEASIBLE).order_by("pk"))
    ballots = list(
        Ballot.objects.filter(budget=budget).values_list("choices", "paper", "receipt_hash")
    )
    secrets.SystemRandom().shuffle(ballots)
    position = {p.pk: i for i, p in enumerate(projects)}
    cumulative = budget.ballot_type == BallotType.CUMULATIVE
    votes, points, methods, hashes = [], [], [], []
    indptr, indices, values = [0], [], []
    for choices, paper, receipt in ballots:
        kept = [(int(pk), int(n)) for pk, n in choices if int(pk) in position]
        votes.append(",".join(str(pk) for pk, _n in kept))
        points.append(",".join(str(n) for _pk, n in kept))
        methods.append("paper" if paper else "internet")
        hashes.append(receipt)
        indices.extend(position[pk] for pk, _n in kept)
        values.extend(n for _pk, n in kept)
        indptr.append(len(indices))
    counts = np.bincount(np.array(indices, dtype=np.int64), minlength=len(projects))
    columns = ["project_id", "cost", "votes", "name", "category"]
    rows = [
        pabulib.Project(
            id=str(p.pk),
            cost=Fraction(p.final_cost),
            fields={
                "project_id": str(p.pk),
                "cost": str(p.final_cost),
                "votes": str(int(counts[i])),
                "name": _cell(p.title),
                "category": _cell(p.category),
            },
        )
        for i, p in enumerate(projects)
    ]
    ids = [f"{n:08d}" for n in secrets.SystemRandom().sample(range(10**8), len(ballots))]
    vote_columns: dict[str, list[str]] = {"voter_id": ids, "vote": votes}
    if cumulative:
        vote_columns["points"] = points
    vote_columns["voting_method"] = methods
    vote_columns["receipt_hash"] = hashes
    instance = pabulib.Instance(
        meta=_meta(budget, len(projects), len(ballots)),
        project_columns=columns,
        projects=rows,
        budget=Fraction(budget.amount),
        vote_type=VOTE_TYPES[budget.ballot_type],
    )
    profile = pabulib.Profile(
        columns=vote_columns,
        indptr=np.array(indptr, dtype=np.int64),
        indices=np.array(indices, dtype=np.int64),
        points=np.array(values, dtype=np.int64) if cumulative else None,
    )
    return pabulib.Election(instance=instance, profile=profile)


def _steps(explanation: Explanation) -> dict[str, list[dict[str, Any]]]:
    """The explanation as JSON-ready steps per project, for pages in every language."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in explanation.mes:
        out.setdefault(r.project, []).append(
            {
                "kind": "mes",
                "supporters": r.supporters,
                "paid": float(r.paid),
                "rho": float(r.rho),
                "exhausted": r.exhausted,
            }
        )
    for r in explanation.phragmen:
        out.setdefault(r.project, []).append({"kind": "phragmen", "load": float(r.load)})
    for s in explanation.greedy:
        out.setdefault(s.project, []).append(
            {
                "kind": "greedy_selected" if s.selected else "greedy_skipped",
                "cost": float(s.cost),
                "left": float(s.budget_left),
            }
        )
    for pid in explanation.unaffordable:
        out.setdefault(pid, []).append({"kind": "unaffordable"})
    for pid, phase in explanation.phases.items():
        if phase in ("free", "completion"):
            out.setdefault(pid, []).append({"kind": phase})
    return out


def outcome_of(*, election: pabulib.Election, rule: str, fill: bool = True) -> dict[str, Any]:
    """Compute ``rule`` and greedy on ``election``; the results as stored and shown.
    ``fill`` picks the variant of ``mes-add1-integral``: on, equalshares.net's default
    "Add1u" (stop raising the share once the outcome is exhaustive, then fill by votes);
    off, "Add1" as Assen and Wieliczka ran it (neither)."""
    problem = pabulib.problem_from_election(election=election)
    outcome = compute(problem=problem, rule=rule, fill=fill, exhaustive=fill)
    greedy = outcome if rule == "greedy" else compute(problem=problem, rule="greedy")
    scores = problem.total_utility()
    return {
        "rule": rule,
        "fill": fill,
        "winners": outcome.winners,
        "total_cost": int(outcome.total_cost),
        "greedy": {"winners": greedy.winners, "total_cost": int(greedy.total_cost)},
        "voters": problem.num_voters,
        "votes": {pid: int(problem.vote_counts[i]) for i, pid in enumerate(problem.ids)},
        "scores": {pid: float(scores[i]) for i, pid in enumerate(problem.ids)},
        "steps": _steps(outcome.explanation),
        "english": describe(explanation=outcome.explanation, winners=outcome.winners),
    }


def publish_results(*, budget: Budget) -> dict[str, Any]:
    """Write the ``.pb`` file, compute on it, mark the funded projects (call in the close's
    transaction)."""
    election = build_election(budget=budget)
    results = outcome_of(election=election, rule=budget.rule)
    paper = election.profile.columns["voting_method"].count("paper")
    results["paper"] = paper
    selected = set(results["winners"])
    for project in election.instance.projects:
        project.fields["selected"] = "1" if project.id in selected else "0"
    election.instance.project_columns.append("selected")
    text = pabulib.write(election=election)
    budget.published_pb = text
    budget.published_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    budget.results = results
    budget.save(update_fields=["published_pb", "published_sha256", "results"])
    winners = [int(pk) for pk in selected]
    Project.objects.filter(budget=budget).update(selected=False)
    Project.objects.filter(budget=budget, pk__in=winners).update(selected=True, followup="planned")
    return results
