"""Audit codes of contribution actions, namespaced by the module whose object it was.

A module adds ``contribution_audit_actions("ideas")`` to its declaration's
``audit_actions`` so that the back-office log says each entry as a sentence.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

SENTENCES: dict[str, Any] = {
    "comment.created": _("%(actor)s wrote a comment (%(target)s)"),
    "comment.edited": _("%(actor)s edited a comment (%(target)s)"),
    "comment.deleted": _("%(actor)s deleted a comment (%(target)s)"),
    "support.given": _("%(actor)s supported %(target)s"),
    "support.withdrawn": _("%(actor)s withdrew a support of %(target)s"),
    "report.created": _("%(actor)s reported %(target)s"),
    "contribution.flagged": _("The filter sent %(target)s to the moderators"),
    "contribution.hidden": _("%(actor)s hid %(target)s"),
    "contribution.restored": _("%(actor)s restored %(target)s"),
    "reports.dismissed": _("%(actor)s dismissed the reports on %(target)s"),
    "participant.blocked": _("%(actor)s blocked a participant (%(target)s)"),
    "participant.unblocked": _("%(actor)s lifted the block of a participant (%(target)s)"),
    "answer.given": _("%(actor)s answered %(target)s"),
    "attachment.added": _("%(actor)s attached a file to %(target)s"),
    "attachment.removed": _("%(actor)s removed a file (%(target)s)"),
    "location.set": _("%(actor)s set the location of %(target)s"),
    "words.updated": _("%(actor)s changed the word filter"),
}


def code(module: str, action: str) -> str:
    """The audit code of a contribution action on an object of ``module``."""
    return f"{module}.{action}"


def contribution_audit_actions(module: str) -> dict[str, Any]:
    """Every contribution audit code of ``module`` with its sentence."""
    return {code(module, action): sentence for action, sentence in SENTENCES.items()}
