"""A participatory budget with a budget per ballot type, and the people who use it."""

from __future__ import annotations

import pytest

__all__ = ["_english", "make_budget", "pb", "voter"]


@pytest.fixture
def pb(db, make_organisation, make_process, make_instance, make_member):
    """A module instance of ``budgets`` with one admin, one evaluator and one mediator."""
    from parlons.core.processes.models import Area

    organisation = make_organisation()
    process = make_process(organisation=organisation, languages=["fr", "en", "de"])
    instance = make_instance(process=process, module="budgets")
    area = Area.objects.create(organisation=organisation, code="nord", name={"fr": "Nord"})

    class PB:
        pass

    pb = PB()
    pb.organisation, pb.process, pb.instance, pb.area = organisation, process, instance, area
    pb.admin = make_member(organisation, "admin")
    pb.evaluator = make_member(organisation, "evaluator")
    pb.mediator = make_member(organisation, "mediator")
    return pb


@pytest.fixture
def make_budget(db):
    """A budget with feasible projects of the given costs (ids in creation order)."""
    from parlons.modules.budgets.models import Budget, Project, Status

    def make(pb, *, costs=(400, 300, 200, 100), slug=None, **fields):
        fields.setdefault("amount", 600)
        fields.setdefault("title", {"fr": "Budget", "en": "Budget"})
        budget = Budget.objects.create(
            instance=pb.instance, slug=slug or f"b{Budget.objects.count() + 1}", **fields
        )
        budget.made = [
            Project.objects.create(
                instance=pb.instance,
                budget=budget,
                title=f"Projet numéro {n}",
                body="Une description assez longue du projet.",
                cost=cost,
                status=Status.FEASIBLE,
            )
            for n, cost in enumerate(costs, start=1)
        ]
        return budget

    return make


@pytest.fixture
def voter(make_participant):
    return make_participant


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the pages under /en/ choose it themselves)."""
    from django.utils import translation

    with translation.override("en"):
        yield
