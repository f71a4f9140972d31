"""Audit entries said as sentences, for the back-office log."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from parlons.core.audit.models import AuditEntry
from parlons.core.registry import registry
from parlons.lib.i18n import pick

KERNEL_ACTIONS = {
    "participants.email.verified": _("%(actor)s confirmed their e-mail address"),
    "participants.profile.updated": _("%(actor)s changed their profile"),
    "participants.demographics.saved": _("%(actor)s saved their answers about themselves"),
    "participants.demographics.withdrawn": _("%(actor)s withdrew their answers about themselves"),
    "participants.verification.granted": _("%(actor)s was verified"),
    "participants.verification.revoked": _("%(actor)s revoked a verification of %(target)s"),
    "participants.verification.conflicted": _(
        "%(actor)s claimed an identity already verified for another account"
    ),
    "participants.census.imported": _("%(actor)s loaded a census or voter list"),
    "participants.codes.generated": _("%(actor)s generated a batch of codes"),
    "participants.data.exported": _("%(actor)s downloaded the data of %(target)s"),
    "participants.account.erased": _("%(actor)s erased the account %(target)s"),
    "api.token.created": _("%(actor)s created an API token"),
    "api.token.revoked": _("%(actor)s revoked an API token"),
    "organisations.branding.updated": _("%(actor)s changed the organisation's branding"),
    "organisations.member.added": _("%(actor)s gave a role to %(target)s"),
    "organisations.member.removed": _("%(actor)s took a role from %(target)s"),
    "processes.process.created": _("%(actor)s created the process %(target)s"),
    "processes.process.updated": _("%(actor)s changed the process %(target)s"),
    "processes.phase.created": _("%(actor)s added a phase (%(target)s)"),
    "processes.phase.updated": _("%(actor)s changed a phase (%(target)s)"),
    "processes.phase.deleted": _("%(actor)s deleted a phase (%(target)s)"),
    "processes.instance.created": _("%(actor)s added the module instance %(target)s"),
    "processes.instance.updated": _("%(actor)s changed the module instance %(target)s"),
    "processes.area.created": _("%(actor)s added an area and its postcodes"),
    "processes.area.updated": _("%(actor)s changed an area or its postcodes"),
    "processes.invitation.added": _("%(actor)s invited someone to the process %(target)s"),
    "processes.invitation.removed": _("%(actor)s withdrew an invitation to %(target)s"),
}


def _target(entry: AuditEntry) -> str:
    if not entry.target_id:
        return ""
    label = pick(entry.target_label) if entry.target_label else ""
    if label:
        return f"« {label} »" if translation.get_language() == "fr" else f"“{label}”"
    kind = _meta_name(entry.target_type)
    return f"{kind} #{entry.target_id}"


def _meta_name(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def describe(entry: AuditEntry) -> str:
    """One sentence for one entry; unknown codes fall back to the code itself."""
    template = KERNEL_ACTIONS.get(entry.code) or registry.audit_sentence(entry.code)
    actor = entry.actor.public_name if entry.actor_id and entry.actor else _("someone")
    target = _target(entry)
    if template is None:
        return f"{entry.code} ({actor}, {target})"
    return str(template) % {"actor": actor, "target": target}
