"""Reads of budgets and projects; ``access_*`` raise the same 404 for missing and hidden."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from parlons.core.processes.models import ModuleInstance
from parlons.modules.budgets.models import Budget, Project, Status

LISTED = (Status.SUBMITTED, Status.FEASIBLE, Status.INFEASIBLE, Status.MERGED)


def access_budget(*, instance: ModuleInstance, slug: str) -> Budget:
    """A budget of ``instance`` (already checked visible to the person), or 404.

    ``instance`` was read in the organisation's scope: its budgets are the organisation's,
    so the query does not join up to the organisation again."""
    found = (
        Budget._base_manager.filter(instance_id=instance.pk, slug=slug)
        .select_related("area")
        .first()
    )
    if found is None:
        raise Http404("No such budget")
    found.instance = instance
    return found


def projects_visible_to(*, person: Any, budget: Budget) -> QuerySet[Project]:
    """The projects of a budget anyone may read (moderation-hidden ones left out)."""
    return (
        Project.objects.filter(budget=budget, status__in=LISTED, hidden_at__isnull=True)
        .select_related("area", "merged_into")
        .order_by("status", "pk")
    )


def access_project(*, person: Any, instance: ModuleInstance, pk: int) -> Project:
    """One project of ``instance``, or 404 (hidden by moderation counts as missing)."""
    found = (
        Project.objects.filter(instance=instance, pk=pk, hidden_at__isnull=True)
        .select_related("budget", "area", "merged_into")
        .first()
    )
    if found is None:
        raise Http404("No such project")
    found.instance = instance
    found.budget.instance = instance
    return found


def funded_projects(*, instance: ModuleInstance) -> QuerySet[Project]:
    """The projects the votes funded, with their milestones (for the follow-up page)."""
    return (
        Project.objects.filter(instance=instance, selected=True)
        .select_related("budget", "area")
        .prefetch_related("milestones")
        .order_by("budget__position", "budget__pk", "pk")
    )
