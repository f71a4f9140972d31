"""A campaign's set-up: its directory, introduction, message template and proposals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.processes.models import ModuleInstance
from parlons.modules.interpellations.models import Campaign, Directory, Proposal

TEMPLATE_LENGTH = 20000


def _texts(value: dict[str, str], *, max_length: int, label: str) -> dict[str, str]:
    texts = {}
    for code, text in (value or {}).items():
        if (text or "").strip():
            try:
                texts[code] = clean_text(text, max_length=max_length, min_length=1)
            except ValidationError as error:
                raise ValidationError({label: error.messages}) from None
    return texts


@transaction.atomic
def do_save_campaign(
    *,
    actor: Any,
    instance: ModuleInstance,
    directory: Directory | None,
    introduction: dict[str, str],
    subject: dict[str, str],
    template: dict[str, str],
) -> Campaign:
    """Set the campaign's directory, introduction and message template (per language)."""
    organisation = instance.process.organisation
    if directory is not None and directory.organisation_id != organisation.pk:
        raise ValidationError({"directory": _("This directory belongs to another organisation.")})
    campaign, _created = Campaign.objects.get_or_create(instance=instance)
    campaign.directory = directory
    campaign.introduction = _texts(introduction, max_length=TEMPLATE_LENGTH, label="introduction")
    campaign.subject = _texts(subject, max_length=200, label="subject")
    campaign.template = _texts(template, max_length=TEMPLATE_LENGTH, label="template")
    campaign.save()
    log_action(actor=actor, code="interpellations.campaign.saved", target=instance)
    return campaign


@transaction.atomic
def do_save_proposal(
    *,
    actor: Any,
    instance: ModuleInstance,
    title: dict[str, str],
    text: dict[str, str],
    proposal: Proposal | None = None,
) -> Proposal:
    """Add a proposal at the end of the list, or change one."""
    titles = _texts(title, max_length=200, label="title")
    if not titles:
        raise ValidationError({"title": _("Give the proposal a title.")})
    if proposal is None:
        position = Proposal.objects.filter(instance=instance).count()
        proposal = Proposal(instance=instance, position=position)
    elif proposal.instance_id != instance.pk:
        raise ValidationError(_("This proposal belongs to another campaign."))
    proposal.title = titles
    proposal.text = _texts(text, max_length=TEMPLATE_LENGTH, label="text")
    proposal.save()
    log_action(actor=actor, code="interpellations.proposal.saved", target=proposal)
    return proposal


@transaction.atomic
def do_delete_proposal(*, actor: Any, proposal: Proposal) -> None:
    """Delete a proposal and the stances taken on it."""
    log_action(actor=actor, code="interpellations.proposal.deleted", target=proposal)
    proposal.delete()
