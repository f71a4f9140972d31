"""Import a Pabulib ``.pb`` file as a past budget: its projects, its ballots (as
anonymous ballots) and its outcome computed with the rule the file names (greedy, the
rule most past budgets used, when it names none we know)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.core.audit.services import log_action
from parlons.core.processes.models import ModuleInstance
from parlons.engine.budgets.rules import RULES
from parlons.formats import pabulib
from parlons.modules.budgets.models import Ballot, BallotType, Budget, Project, Status
from parlons.modules.budgets.results import outcome_of

BALLOT_TYPES = {
    "approval": BallotType.APPROVAL,
    "choose-1": BallotType.APPROVAL,
    "cumulative": BallotType.CUMULATIVE,
    "scoring": BallotType.CUMULATIVE,
    "ordinal": BallotType.RANKING,
}
PABULIB_RULES = {
    "greedy": "greedy",
    "equalshares": "mes",
    "equalshares/add1": "mes-add1-integral",  # "Add1" as the cities ran it, without fill
}


def _rule(meta: dict[str, str], vote_type: str) -> str:
    named = (meta.get("rule") or "").strip()
    rule = named if named in RULES else PABULIB_RULES.get(named, "greedy")
    if vote_type not in ("approval", "choose-1") and rule in ("phragmen", "mes-add1-integral"):
        return "mes"
    return rule


def _integer(value: Any, line: str) -> int:
    if value != int(value):
        raise ValidationError(
            _("Costs and the budget must be whole amounts (%(what)s).") % {"what": line}
        )
    return int(value)


@transaction.atomic
def do_import_pb(
    *, actor: Any, instance: ModuleInstance, text: str, slug: str, title: dict[str, str]
) -> Budget:
    """Create a closed, past budget from the text of a ``.pb`` file (malformed files are
    refused with the line and the reason)."""
    try:
        election = pabulib.parse(text=text)
    except pabulib.PabulibError as error:
        raise ValidationError(
            _("This is not a valid Pabulib file: %(reason)s") % {"reason": str(error)}
        ) from None
    if Budget.objects.filter(instance=instance, slug=slug).exists():
        raise ValidationError(
            {"slug": _("A budget of this participatory budget has this address.")}
        )
    inst = election.instance
    meta = {k.strip(): v.strip() for k, v in inst.meta.items()}
    rule = _rule(meta, inst.vote_type)
    # equalshares.net "Add1" (Assen, Wieliczka...) fills nothing after equal shares.
    fill = not (rule == "mes-add1-integral" and meta.get("rule") == "equalshares/add1")
    results = outcome_of(election=election, rule=rule, fill=fill)
    budget = Budget.objects.create(
        instance=instance,
        slug=slug,
        title=title,
        amount=_integer(inst.budget, "budget"),
        currency=(inst.meta.get("currency") or "EUR")[:8],
        ballot_type=BALLOT_TYPES[inst.vote_type],
        min_choices=0,
        rule=rule,
        past=True,
        closed_at=timezone.now(),
        results={**results, "paper": 0},
        published_pb=text,
        published_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    _store(budget, instance, election, results)
    log_action(actor=actor, code="budgets.budget.imported", target=budget)
    return budget


def _store(budget: Budget, instance: ModuleInstance, election, results: dict) -> None:
    inst, profile = election.instance, election.profile
    winners = set(results["winners"])
    created = Project.objects.bulk_create(
        [
            Project(
                instance=instance,
                budget=budget,
                title=(p.fields.get("name") or p.id)[:150],
                body=p.fields.get("description") or (p.fields.get("name") or p.id),
                cost=_integer(p.cost, p.id),
                category=(p.fields.get("category") or "")[:80],
                status=Status.FEASIBLE,
                external_id=p.id[:64],
                selected=p.id in winners,
            )
            for p in inst.projects
        ]
    )
    by_position = [p.pk for p in created]
    ids = {p.id: str(pk) for p, pk in zip(inst.projects, by_position, strict=True)}
    budget.results = _renamed(results, ids)
    budget.save(update_fields=["results"])
    points = profile.points
    rows = []
    for v in range(profile.num_voters):
        start, end = int(profile.indptr[v]), int(profile.indptr[v + 1])
        choices = [
            [by_position[int(profile.indices[k])], int(points[k]) if points is not None else 1]
            for k in range(start, end)
        ]
        if budget.ballot_type == BallotType.RANKING:
            choices = [[pk, rank] for rank, (pk, _one) in enumerate(choices, start=1)]
        rows.append(Ballot(budget=budget, choices=choices, receipt_hash=""))
    Ballot.objects.bulk_create(rows, batch_size=2000)


def _renamed(results: dict, ids: dict[str, str]) -> dict:
    """The results keyed by the new projects' ids (the file's ids stay in the projects)."""
    return {
        **results,
        "winners": [ids[p] for p in results["winners"]],
        "greedy": {**results["greedy"], "winners": [ids[p] for p in results["greedy"]["winners"]]},
        "votes": {ids[p]: n for p, n in results["votes"].items()},
        "scores": {ids[p]: n for p, n in results["scores"].items()},
        "steps": {ids[p]: s for p, s in results["steps"].items()},
        "english": {ids[p]: s for p, s in results["english"].items()},
    }
