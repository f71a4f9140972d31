"""The engine's explanation steps (``results.steps``) as sentences in the reader's
language: why each project was funded or not."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parlons.modules.budgets.models import Budget


def _money(amount: float, budget: Budget) -> str:
    return f"{number_format(round(amount), force_grouping=True)} {budget.currency}"


def _sentence(step: dict[str, Any], budget: Budget) -> str:
    kind = step["kind"]
    if kind == "mes":
        return ngettext(
            "Funded by equal shares: its %(count)d supporter paid %(paid)s; "
            "%(exhausted)d spent all they had left.",
            "Funded by equal shares: its %(count)d supporters paid %(paid)s together; "
            "%(exhausted)d of them spent all they had left.",
            step["supporters"],
        ) % {
            "count": step["supporters"],
            "paid": _money(step["paid"], budget),
            "exhausted": step["exhausted"],
        }
    if kind == "phragmen":
        return _("Funded by Phragmén's method: its supporters' load reached %(load)s.") % {
            "load": f"{step['load']:.6g}"
        }
    if kind == "greedy_selected":
        return _("Funded in the order of votes; %(left)s of the budget remained afterwards.") % {
            "left": _money(step["left"], budget)
        }
    if kind == "greedy_skipped":
        return _(
            "Not funded: it costs %(cost)s but only %(left)s of the budget was left when its "
            "turn came."
        ) % {"cost": _money(step["cost"], budget), "left": _money(step["left"], budget)}
    if kind == "unaffordable":
        return _(
            "Not funded by equal shares: what its supporters had left of their shares could "
            "not pay for it."
        )
    if kind == "completion":
        return _("Funded when the money left was shared out, by number of votes.")
    if kind == "free":
        return _("Funded at no cost.")
    return ""


def explain(*, steps: list[dict[str, Any]], budget: Budget) -> list[str]:
    """Plain-words sentences for the steps of one project (empty: it was not examined)."""
    return [text for text in (_sentence(step, budget) for step in steps) if text]
