"""The target registry rejects bad declarations loudly; the system check sees the rest."""

from __future__ import annotations

import pytest

from parlons.contributions.checks import check_targets
from parlons.contributions.targets import Target, TargetError, TargetRegistry, targets
from parlons.core.registry import ModuleDeclaration, ModuleRegistry


def _target(**fields):
    fields.setdefault("model", "ideas.Idea")
    fields.setdefault("module", "ideas")
    fields.setdefault("url", lambda obj: "/")
    fields.setdefault("statuses", (("accepted", "Accepted"),))
    return Target(**fields)


def test_a_duplicate_or_malformed_target_is_refused():
    fresh = TargetRegistry()
    fresh.register(_target())
    with pytest.raises(TargetError, match="already registered"):
        fresh.register(_target())
    with pytest.raises(TargetError, match="unknown actions"):
        TargetRegistry().register(_target(actions={"like": "support"}))
    with pytest.raises(TargetError, match="needs statuses"):
        TargetRegistry().register(_target(statuses=()))
    with pytest.raises(TargetError, match="at least 2"):
        TargetRegistry().register(_target(comment_depth=1))
    with pytest.raises(TargetError, match="already registered"):
        TargetRegistry().register(_target(model="contributions.Comment"))


def test_the_check_finds_unknown_modules_capabilities_models_and_fields():
    modules = ModuleRegistry()
    modules.register(ModuleDeclaration(key="ideas", name="Ideas", capabilities=("show", "comment")))
    declared = TargetRegistry()
    declared.register(_target(actions={"comment": "comment", "support": "support"}))
    declared.register(_target(model="pages.Page", module="nowhere"))
    declared.register(_target(model="ideas.Missing", actions={"comment": "comment"}))
    declared.register(_target(model="processes.Area", actions={}, instance_field="instance"))
    ids = sorted(error.id for error in check_targets(declared=declared, modules=modules))
    assert ids == [
        "contributions.E001",
        "contributions.E002",
        "contributions.E003",
        "contributions.E003",
        "contributions.E004",
        "contributions.E004",
    ]


def test_the_idea_box_declaration_passes_the_check():
    assert check_targets() == []
    assert targets.get("ideas.idea").module == "ideas"
    assert [t.label for t in targets.for_module("ideas")] == ["ideas.idea"]
