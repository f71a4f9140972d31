"""The dependency rule of DESIGN.md, enforced on the source text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(folder: str, forbidden: tuple[str, ...], *, root: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted((root / folder).rglob("*.py")):
        if "tests" in path.relative_to(root).parts:
            continue
        for name in sorted(imports_of(path)):
            if name.split(".")[0] in forbidden or name.startswith(forbidden):
                found.append(f"{path.relative_to(root)} imports {name}")
    return found


def test_the_rule_detects_a_violation(tmp_path):
    """The checker itself can fail: a planted import is reported."""
    (tmp_path / "engine").mkdir()
    (tmp_path / "engine" / "bad.py").write_text("from django.db import models\n")
    assert offenders("engine", ("django",), root=tmp_path) == ["engine/bad.py imports django.db"]


@pytest.mark.parametrize("folder", ["engine", "formats"])
def test_engine_and_formats_import_no_django_and_nothing_else_of_parlons(folder):
    forbidden = (
        "django",
        "ninja",
        "allauth",
        "parlons.core",
        "parlons.modules",
        "parlons.contributions",
        "parlons.portal",
        "parlons.backoffice",
        "parlons.api",
        "parlons.insights",
    )
    if folder == "engine":
        forbidden += ("parlons.formats",)
    assert offenders(folder, forbidden) == []


def test_core_imports_no_module_and_no_contribution():
    assert (
        offenders(
            "core",
            (
                "parlons.modules",
                "parlons.contributions",
                "parlons.portal",
                "parlons.backoffice",
                "parlons.api",
            ),
        )
        == []
    )


def test_modules_do_not_import_the_shells():
    assert (
        offenders(
            "modules", ("parlons.portal", "parlons.backoffice", "parlons.api", "parlons.insights")
        )
        == []
    )


def test_shells_reach_modules_only_through_the_registry():
    for shell in ("portal", "backoffice", "api", "insights"):
        if (PACKAGE / shell).exists():
            assert offenders(shell, ("parlons.modules",)) == [], shell
