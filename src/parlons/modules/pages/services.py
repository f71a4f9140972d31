"""Every change to pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from parlons.core.audit.services import log_action
from parlons.core.processes.models import ModuleInstance
from parlons.modules.pages.models import Page


@transaction.atomic
def do_edit_page(*, instance: ModuleInstance, body: dict[str, str], actor: Any) -> Page:
    """Replace the page text of ``instance`` (one text per language)."""
    page, _created = Page.objects.get_or_create(instance=instance)
    page.body = {code: text for code, text in body.items() if text}
    page.save()
    log_action(actor=actor, code="pages.page.edited", target=instance)
    return page
