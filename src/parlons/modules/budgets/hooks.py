"""What the kernel and the toolkit call back: addresses, titles, limits, rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from parlons.contributions.permissions import blocked_message
from parlons.modules.budgets.models import Project, Status


def instance_kwargs(instance: Any) -> dict[str, str]:
    process = instance.process
    return {
        "organisation_slug": process.organisation.slug,
        "process_slug": process.slug,
        "instance_slug": instance.slug,
    }


def project_url(project: Project) -> str:
    """The public page of a project, in the active language."""
    return reverse(
        "budgets:project", kwargs={**instance_kwargs(project.instance), "pk": project.pk}
    )


def project_title(project: Project) -> str:
    return project.title


def project_rules(*, action: str, obj: Project, person: Any) -> str | None:
    """A withdrawn or merged project takes no more comments."""
    if obj.status in (Status.WITHDRAWN, Status.MERGED) and action in ("comment", "support"):
        return _("This project is no longer on the list.")
    return None


def limits(*, instance: Any, person: Any, capability: str) -> str | None:
    """A blocked participant takes no part (budget-level rules are in the services)."""
    return blocked_message(instance=instance, person=person, capability=capability)
