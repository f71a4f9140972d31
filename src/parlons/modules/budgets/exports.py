"""Exports: projects with their evaluation, and the results per project (the anonymised
ballots are the public ``.pb`` file of each budget)."""

from __future__ import annotations

import csv
from typing import Any

from parlons.modules.budgets.models import Budget, Project


def write_projects_csv(*, instance: Any, stream: Any) -> None:
    """One row per project: budget, cost, review, follow-up (no author's identity)."""
    writer = csv.writer(stream)
    writer.writerow(
        [
            "id",
            "budget",
            "title",
            "category",
            "area",
            "cost",
            "revised_cost",
            "status",
            "justification",
            "merged_into",
            "funded",
            "followup",
            "progress",
            "spent",
        ]
    )
    projects = Project.objects.filter(instance=instance).select_related("budget", "area")
    for p in projects.order_by("budget__position", "pk"):
        writer.writerow(
            [
                p.pk,
                p.budget.slug,
                p.title,
                p.category,
                p.area.code if p.area else "",
                p.cost,
                "" if p.revised_cost is None else p.revised_cost,
                p.status,
                p.justification,
                p.merged_into_id or "",
                int(p.selected),
                p.followup,
                p.progress,
                p.spent,
            ]
        )


def write_results_csv(*, instance: Any, stream: Any) -> None:
    """One row per project of each closed budget: votes, funded, what greedy would do."""
    writer = csv.writer(stream)
    writer.writerow(["budget", "rule", "project_id", "title", "cost", "votes", "funded", "greedy"])
    titles = dict(Project.objects.filter(instance=instance).values_list("pk", "title"))
    costs = {p.pk: p.final_cost for p in Project.objects.filter(instance=instance)}
    for budget in Budget.objects.filter(instance=instance).exclude(results={}):
        data = budget.results
        for pid, votes in data["votes"].items():
            writer.writerow(
                [
                    budget.slug,
                    budget.rule,
                    pid,
                    titles.get(int(pid), ""),
                    costs.get(int(pid), ""),
                    votes,
                    int(pid in data["winners"]),
                    int(pid in data["greedy"]["winners"]),
                ]
            )


def write_ballots_csv(*, instance: Any, stream: Any) -> None:
    """The anonymised ballots of every closed budget, as published in its ``.pb`` file
    (random voter ids, receipt hashes); open votes are not exported."""
    from parlons.formats import pabulib

    writer = csv.writer(stream)
    writer.writerow(["budget", "voter_id", "vote", "points", "voting_method", "receipt_hash"])
    for budget in Budget.objects.filter(instance=instance, closed_at__isnull=False):
        if not budget.published_pb:
            continue
        columns = pabulib.parse(text=budget.published_pb).profile.columns
        empty = [""] * len(columns["vote"])
        for row in zip(
            columns.get("voter_id", empty),
            columns["vote"],
            columns.get("points", empty),
            columns.get("voting_method", empty),
            columns.get("receipt_hash", empty),
            strict=True,
        ):
            writer.writerow([budget.slug, *row])
