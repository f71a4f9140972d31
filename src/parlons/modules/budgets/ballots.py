"""What a valid ballot is, for each ballot type: checked on the server, every time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parlons.modules.budgets.models import BallotType, Budget, Project


@dataclass(frozen=True)
class Choice:
    project: int
    points: int = 1


def _money(budget: Budget, amount: int) -> str:
    return f"{amount:,} {budget.currency}".replace(",", "\u202f")


def parse_choices(*, budget: Budget, data: dict[str, Iterable[str]] | None) -> list[Choice]:
    """Read the ballot form: ``project`` (ids ticked, for approval and knapsack),
    ``points-<id>`` (cumulative) or ``rank-<id>`` (ranking: 1 is the favourite)."""
    data = data or {}
    if budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        ids = [value for value in data.get("project", []) if value]
        return [Choice(_integer(value)) for value in ids]
    prefix = "points-" if budget.ballot_type == BallotType.CUMULATIVE else "rank-"
    found = []
    for key, values in data.items():
        if not key.startswith(prefix):
            continue
        value = (list(values) or [""])[-1].strip()
        if value in ("", "0") and prefix == "points-":
            continue
        if value == "":
            continue
        found.append(Choice(_integer(key.removeprefix(prefix)), _integer(value)))
    if prefix == "rank-":
        found.sort(key=lambda choice: choice.points)
    return found


def _integer(value: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("Give whole numbers only."), code="number") from None
    if number < 0:
        raise ValidationError(_("Give whole numbers only."), code="number")
    return number


def check_choices(
    *, budget: Budget, choices: list[Choice], projects: dict[int, Project]
) -> list[Choice]:
    """The ballot's choices if they keep every limit of ``budget``; else a ValidationError
    that says which limit and by how much."""
    ids = [choice.project for choice in choices]
    if any(pk not in projects for pk in ids):
        raise ValidationError(_("This ballot names a project that is not on it."), code="unknown")
    if len(set(ids)) != len(ids):
        raise ValidationError(_("A project appears twice on this ballot."), code="twice")
    checker = {
        BallotType.APPROVAL: _approval,
        BallotType.KNAPSACK: _knapsack,
        BallotType.CUMULATIVE: _cumulative,
        BallotType.RANKING: _ranking,
    }[budget.ballot_type]
    checker(budget, choices, projects)
    return choices


def _count(budget: Budget, choices: list[Choice]) -> None:
    low, high = budget.min_choices, budget.max_choices
    if len(choices) < low:
        raise ValidationError(
            ngettext(
                "Choose at least %(count)d project.", "Choose at least %(count)d projects.", low
            )
            % {"count": low},
            code="too_few",
        )
    if high and len(choices) > high:
        raise ValidationError(
            ngettext(
                "Choose at most %(count)d project (you chose %(chosen)d).",
                "Choose at most %(count)d projects (you chose %(chosen)d).",
                high,
            )
            % {"count": high, "chosen": len(choices)},
            code="too_many",
        )


def _total(choices: list[Choice], projects: dict[int, Project]) -> int:
    return sum(projects[choice.project].final_cost for choice in choices)


def _approval(budget: Budget, choices: list[Choice], projects: dict[int, Project]) -> None:
    _count(budget, choices)
    total = _total(choices, projects)
    if budget.max_cost and total > budget.max_cost:
        raise ValidationError(
            _("Your projects cost %(total)s in all: the ballot allows %(limit)s at most.")
            % {"total": _money(budget, total), "limit": _money(budget, budget.max_cost)},
            code="too_expensive",
        )


def _knapsack(budget: Budget, choices: list[Choice], projects: dict[int, Project]) -> None:
    _count(budget, choices)
    total = _total(choices, projects)
    if total > budget.amount:
        raise ValidationError(
            _("Your projects cost %(total)s in all, more than the budget of %(limit)s.")
            % {"total": _money(budget, total), "limit": _money(budget, budget.amount)},
            code="over_budget",
        )


def _cumulative(budget: Budget, choices: list[Choice], projects: dict[int, Project]) -> None:
    _count(budget, choices)
    given = sum(choice.points for choice in choices)
    if given > budget.points:
        raise ValidationError(
            _("You gave %(given)d points: you have %(points)d to share.")
            % {"given": given, "points": budget.points},
            code="too_many_points",
        )
    most = budget.max_points_per_project
    if most and any(choice.points > most for choice in choices):
        raise ValidationError(
            ngettext(
                "Give at most %(count)d point to one project.",
                "Give at most %(count)d points to one project.",
                most,
            )
            % {"count": most},
            code="too_many_on_one",
        )


def _ranking(budget: Budget, choices: list[Choice], projects: dict[int, Project]) -> None:
    _count(budget, choices)
    ranks = [choice.points for choice in choices]
    if ranks != list(range(1, len(ranks) + 1)):
        raise ValidationError(
            _("Number your favourite projects 1, 2, 3… without gaps or repeats."), code="ranks"
        )


def total_cost(*, choices: list[Choice], projects: dict[int, Project]) -> int:
    """What the chosen projects cost together (shown on the ballot and the receipt)."""
    return _total(choices, projects)
