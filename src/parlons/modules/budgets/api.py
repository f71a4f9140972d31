"""The participatory budget's API router (``/api/v1/budgets/``): budgets with their rule
and results, projects with their evaluation and follow-up, as open data."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from parlons.core.organisations.models import Organisation
from parlons.core.processes.selectors import access_instance
from parlons.core.tenancy import scope
from parlons.modules.budgets.models import Budget, Project
from parlons.modules.budgets.selectors import LISTED

router = Router(tags=["budgets"])
BASE = "/{organisation}/{process}/{instance}"


class BudgetOut(Schema):
    slug: str
    title: dict[str, str]
    amount: int
    currency: str
    ballot_type: str
    rule: str
    closed: bool
    winners: list[str]
    total_cost: int | None
    voters: int | None
    pb_sha256: str


class ProjectOut(Schema):
    id: int
    budget: str
    title: str
    body: str
    category: str
    area: str | None
    cost: int
    revised_cost: int | None
    status: str
    justification: str
    merged_into: int | None
    funded: bool
    followup: str
    progress: int
    spent: int


def _instance(request, organisation: str, process: str, instance: str):
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    return org, access_instance(
        person=request.user, process_slug=process, instance_slug=instance, module="budgets"
    )


@router.get(BASE + "/budgets", response=list[BudgetOut])
def list_budgets(request, organisation: str, process: str, instance: str):
    """The budgets, their published rule and, once closed, their outcome."""
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    with scope(organisation=org):
        _org, found = _instance(request, organisation, process, instance)
        return [
            {
                "slug": b.slug,
                "title": b.title,
                "amount": b.amount,
                "currency": b.currency,
                "ballot_type": b.ballot_type,
                "rule": b.rule,
                "closed": b.closed_at is not None,
                "winners": (b.results or {}).get("winners", []),
                "total_cost": (b.results or {}).get("total_cost"),
                "voters": (b.results or {}).get("voters"),
                "pb_sha256": b.published_sha256,
            }
            for b in Budget.objects.filter(instance=found)
        ]


@router.get(BASE + "/projects", response=list[ProjectOut])
def list_projects(request, organisation: str, process: str, instance: str):
    """Every listed project (moderation-hidden ones left out), authors not named."""
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    with scope(organisation=org):
        _org, found = _instance(request, organisation, process, instance)
        projects = Project.objects.filter(
            instance=found, status__in=LISTED, hidden_at__isnull=True
        ).select_related("budget", "area")
        return [
            {
                "id": p.pk,
                "budget": p.budget.slug,
                "title": p.title,
                "body": p.body,
                "category": p.category,
                "area": p.area.code if p.area else None,
                "cost": p.cost,
                "revised_cost": p.revised_cost,
                "status": p.status,
                "justification": p.justification,
                "merged_into": p.merged_into_id,
                "funded": p.selected,
                "followup": p.followup,
                "progress": p.progress,
                "spent": p.spent,
            }
            for p in projects.order_by("budget__position", "pk")
        ]
