"""The pabutools reference outcomes our rules are checked against (tests and ``bench/``).

Needs the ``reference`` extra (``pabutools``); imported lazily so the engine never does.
Each rule name of :mod:`parlons.engine.budgets.rules` maps to the pabutools call that
defines it, with pabutools' defaults (exact fractions, lexicographic tie-breaking).
``mes-add1-integral`` has no pabutools counterpart.
"""

from __future__ import annotations

from pathlib import Path

SAT_BY_VOTE_TYPE = {
    "approval": "Cost_Sat",
    "choose-1": "Cost_Sat",
    "cumulative": "Additive_Cardinal_Sat",
    "scoring": "Additive_Cardinal_Sat",
    "ordinal": "Additive_Borda_Sat",
}
PULP_NAMES = (
    "LpProblem",
    "LpMaximize",
    "LpMinimize",
    "LpVariable",
    "LpBinary",
    "lpSum",
    "PULP_CBC_CMD",
    "LpStatusOptimal",
    "LpStatusNotSolved",
    "value",
)
REFERENCE_RULES = ("greedy", "mes", "mes+greedy", "mes-add1", "mes-add1+greedy", "phragmen")


def _import_pabutools() -> None:
    """pabutools 1.2.3 imports names PuLP 4 removed (``PULP_CBC_CMD``, ``LpStatusOptimal``);
    the rules used here never solve an ILP, so placeholders let the import succeed."""
    import pulp

    for name in PULP_NAMES:
        if not hasattr(pulp, name):
            setattr(pulp, name, None)


def parse_reference(*, path: str | Path):
    """``(instance, profile)`` parsed by pabutools."""
    _import_pabutools()
    from pabutools.election import parse_pabulib

    return parse_pabulib(str(path))


def parse_reference_text(*, text: str):
    """``(instance, profile)`` parsed by pabutools from the text of a ``.pb`` file."""
    _import_pabutools()
    from pabutools.election.pabulib import parse_pabulib_from_string

    return parse_pabulib_from_string(text)


def reference_outcome(
    *, instance, profile, rule: str, cache: dict | None = None
) -> list[str] | None:
    """Project ids chosen by pabutools for ``rule`` (selection order; sorted for Phragmén).

    Returns None where pabutools does not define the rule for this profile (Phragmén on
    non-approval ballots). ``cache`` keeps MES outcomes so that ``+greedy`` reuses them.
    """
    _import_pabutools()
    from pabutools import election, rules
    from pabutools.election import AbstractApprovalProfile

    vote_type = instance.meta["vote_type"]
    sat = getattr(election, SAT_BY_VOTE_TYPE[vote_type])
    if rule == "phragmen":
        if not isinstance(profile, AbstractApprovalProfile):
            return None
        return [p.name for p in rules.sequential_phragmen(instance, profile)]
    if rule == "greedy":
        out = rules.greedy_utilitarian_welfare(instance, profile, sat_class=sat)
        return [p.name for p in out]
    base = rule.removesuffix("+greedy")
    cache = {} if cache is None else cache
    if base not in cache:
        increment = 1 if base == "mes-add1" else None
        cache[base] = rules.method_of_equal_shares(
            instance, profile, sat_class=sat, voter_budget_increment=increment
        )
    out = cache[base]
    if rule.endswith("+greedy"):
        out = rules.greedy_utilitarian_welfare(
            instance, profile, sat_class=sat, initial_budget_allocation=out
        )
    return [p.name for p in out]
