"""Structured explanations of budget outcomes, and plain-language sentences from them.

The data stays structured (project ids, exact numbers) so the web layer can translate;
:func:`describe` gives English sentences for the command line and for tests. MES rounds
follow the quantities equalshares.net publishes (Peters & Skowron, "Proportionality and
the limits of welfarism", EC 2020; https://equalshares.net/explanation): the price ρ per
unit of satisfaction and what each voter (group) has left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np


@dataclass
class GreedyStep:
    """One project examined by greedy: ``selected`` or skipped for lack of budget.

    Amounts are exact: ``Fraction``, or ``int`` when every cost and the budget are whole.
    """

    project: str
    cost: Fraction | int
    selected: bool
    budget_left: Fraction | int  # after the step when selected, at the time when skipped
    scaled_total: int  # the project's total satisfaction times ``scale``
    scale: int = 1

    @property
    def total(self) -> Fraction:
        """The project's total satisfaction."""
        return Fraction(self.scaled_total, self.scale)

    @property
    def score(self) -> Fraction | None:
        """Satisfaction per unit of cost; None means infinite (free, with support)."""
        if self.cost == 0 and self.scaled_total > 0:
            return None
        if self.scaled_total <= 0 or self.cost == 0:
            return Fraction(0)
        return self.total / self.cost


@dataclass
class MesRound:
    """One round of MES: ``project`` bought at price ``rho`` per unit of satisfaction.

    ``paid`` is what its supporters paid in total; ``exhausted`` how many of them spent
    all they had left; ``remaining`` (only when asked for) each voter group's budget
    after the round, aligned with ``BudgetProblem.mult``.
    """

    project: str
    rho: Fraction
    paid: Fraction
    supporters: int
    exhausted: int
    remaining: np.ndarray | None = None


@dataclass
class PhragmenRound:
    """One round of sequential Phragmén: ``project`` raised every supporter's load."""

    project: str
    load: Fraction


@dataclass
class Explanation:
    """Everything a rule can say about its outcome, phase by phase.

    ``phases`` names what produced each winner (``mes``, ``greedy``, ``free``...);
    ``share`` is the initial per-voter budget of the final MES run (when one ran) and
    ``unaffordable`` the projects MES dropped because their supporters could not pay.
    """

    rule: str
    budget: Fraction
    phases: dict[str, str] = field(default_factory=dict)
    greedy: list[GreedyStep] = field(default_factory=list)
    mes: list[MesRound] = field(default_factory=list)
    phragmen: list[PhragmenRound] = field(default_factory=list)
    share: Fraction | None = None
    unaffordable: list[str] = field(default_factory=list)


def _money(x: Fraction) -> str:
    return f"{float(x):,.2f}"


def describe(*, explanation: Explanation, winners: list[str]) -> dict[str, list[str]]:
    """Plain English sentences per project id explaining why it won or lost."""
    out: dict[str, list[str]] = {}
    for r in explanation.mes:
        out.setdefault(r.project, []).append(
            f"Funded by equal shares: its {r.supporters} supporters paid "
            f"{_money(r.paid)} at {float(r.rho):.6g} per unit of satisfaction; "
            f"{r.exhausted} of them spent all they had left."
        )
    for r in explanation.phragmen:
        out.setdefault(r.project, []).append(
            f"Funded by Phragmén's method when its supporters' load reached {float(r.load):.6g}."
        )
    for s in explanation.greedy:
        if s.selected:
            text = f"Funded by the greedy pass; {_money(s.budget_left)} remained afterwards."
        else:
            text = (
                f"Not funded: it costs {_money(s.cost)} but only {_money(s.budget_left)} "
                "of the budget was left when its turn came."
            )
        out.setdefault(s.project, []).append(text)
    for pid in explanation.unaffordable:
        if pid not in winners:
            out.setdefault(pid, []).append(
                "Not funded by equal shares: its supporters' remaining shares could not cover its cost."
            )
    for pid, phase in explanation.phases.items():
        if phase == "free":
            out.setdefault(pid, []).append("Funded at no cost.")
    return out
