"""Targets: the models of modules whose objects take contributions.

A module declares each such model once, in its ``module.py``, and registers it from its
``AppConfig.ready()``::

    IDEA = Target(
        model="ideas.Idea",
        module="ideas",
        actions={"comment": "comment", "support": "support", "report": "show",
                 "answer": "evaluate", "moderate": "moderate"},
        url=idea_url,
        statuses=(("accepted", _("Accepted")), ...),
    )
    targets.register(IDEA)

``actions`` maps each contribution action the object takes to the capability that
governs it on the object's module instance.  Participants' actions are answered by
``core.permissions.decide`` (the phase that is live, verifications, the module's limits);
``show`` means "visible and logged in", whatever the phase; staff capabilities
(``evaluate``, ``moderate``: those with roles) are answered by role at any time, since
moderation and answers must not wait for a phase.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTIONS: Mapping[str, Any] = {
    "comment": _("comment, reply, edit and delete one's own comments"),
    "support": _("support (one per participant)"),
    "oppose": _("react against (one reaction per participant)"),
    "report": _("report to the moderators"),
    "answer": _("give the official answer"),
    "moderate": _("hide, restore, block the author"),
}

DEFAULT_ACTIONS: Mapping[str, str] = {
    "comment": "comment",
    "support": "support",
    "report": "show",
    "answer": "evaluate",
    "moderate": "moderate",
}

COMMENT_LABEL = "contributions.comment"


class TargetError(ValueError):
    """A target declaration is wrong, or an object is not a declared target."""


@dataclass(frozen=True, kw_only=True)
class Target:
    """A model whose objects take contributions, and the rules that govern them.

    ``model`` is ``"app_label.ModelName"``; the model inherits
    :class:`parlons.contributions.models.ContributionTarget`.  ``url(obj)`` is the public
    path of an object (in the active language).  ``statuses`` lists the official answers
    an organiser may give (code, label); ``on_answered(obj=, answer=)`` lets the module
    follow an answer (change the object's status); ``on_counted(pks=)`` runs after the
    batch count has refreshed some objects (a support threshold).
    ``rules(action=, obj=, person=)`` returns a refusal message for an object-level rule
    (a withdrawn idea takes no support) or None.  ``comment_depth`` is the number of
    levels of a comment thread (3: comments, replies, replies to replies).
    """

    model: str
    module: str
    url: Callable[[Any], str]
    actions: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ACTIONS))
    title: Callable[[Any], str] = str
    author_field: str | None = "author"
    instance_field: str = "instance"
    statuses: tuple[tuple[str, Any], ...] = ()
    comment_depth: int = 3
    alignment: bool = True
    rules: Callable[..., Any] | None = None
    on_answered: Callable[..., None] | None = None
    on_counted: Callable[..., None] | None = None

    @property
    def label(self) -> str:
        """The name stored in ``target_type`` columns: ``"ideas.idea"``."""
        return self.model.lower()

    def model_class(self) -> type:
        return apps.get_model(self.model)

    def instance_of(self, obj: Any) -> Any:
        return getattr(obj, self.instance_field)

    def author_of(self, obj: Any) -> Any:
        return getattr(obj, self.author_field) if self.author_field else None

    def status_label(self, code: str) -> Any:
        return dict(self.statuses).get(code, code)


def _comment_url(comment: Any) -> str:
    from parlons.contributions.selectors import target_object

    parent = target_object(comment)
    return f"{targets.of(parent).url(parent)}#comment-{comment.pk}"


def comment_target(parent: Target) -> Target:
    """Comments are targets too (supported, reported, hidden), ruled by their parent:
    reacting to a comment needs the capability that governs commenting on the parent."""
    commenting = parent.actions.get("comment")
    actions = {"support": commenting, "oppose": commenting}
    for action in ("report", "moderate"):
        if action in parent.actions:
            actions[action] = parent.actions[action]
    return Target(
        model="contributions.Comment",
        module=parent.module,
        url=_comment_url,
        actions={k: v for k, v in actions.items() if v},
        title=lambda comment: " ".join((comment.body or "").split())[:80],
        author_field="author",
    )


class TargetRegistry:
    """The declared targets.  Build a fresh one in tests; the app uses ``targets``."""

    def __init__(self) -> None:
        self._targets: dict[str, Target] = {}

    def register(self, target: Target) -> Target:
        """Add a target; a duplicate or a malformed declaration raises TargetError."""
        if target.label in self._targets or target.label == COMMENT_LABEL:
            raise TargetError(f"target {target.model!r} is already registered")
        unknown = set(target.actions) - set(ACTIONS)
        if unknown:
            raise TargetError(f"{target.model}: unknown actions {sorted(unknown)}")
        if "answer" in target.actions and not target.statuses:
            raise TargetError(f"{target.model}: the answer action needs statuses")
        if target.comment_depth < 2:
            raise TargetError(f"{target.model}: comment_depth must be at least 2")
        self._targets[target.label] = target
        return target

    def get(self, label: str) -> Target:
        """The target stored as ``label`` (``"ideas.idea"``); TargetError if unknown."""
        try:
            return self._targets[label.lower()]
        except KeyError:
            raise TargetError(f"no target {label!r}") from None

    def of(self, obj: Any) -> Target:
        """The target declaration of an object (a comment gets its parent's rules)."""
        label = obj._meta.label_lower
        if label == COMMENT_LABEL:
            return comment_target(self.get(obj.target_type))
        return self.get(label)

    def __contains__(self, label: object) -> bool:
        return isinstance(label, str) and label.lower() in self._targets

    def __iter__(self) -> Iterator[Target]:
        return iter(sorted(self._targets.values(), key=lambda t: t.label))

    def for_module(self, module: str) -> list[Target]:
        return [target for target in self if target.module == module]


targets = TargetRegistry()
