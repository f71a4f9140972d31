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
