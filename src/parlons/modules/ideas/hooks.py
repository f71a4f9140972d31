"""What the kernel and the toolkit call back: addresses, limits, rules, answers, counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parlons.contributions.models import Support
from parlons.contributions.permissions import blocked_message
from parlons.modules.ideas.models import ANSWERS, Idea, Status
from parlons.modules.ideas.settings import setting


def instance_kwargs(instance: Any) -> dict[str, str]:
    process = instance.process
    return {
        "organisation_slug": process.organisation.slug,
        "process_slug": process.slug,
        "instance_slug": instance.slug,
    }


def idea_url(idea: Idea) -> str:
    """The public page of an idea, in the active language."""
    return reverse("ideas:idea", kwargs={**instance_kwargs(idea.instance), "pk": idea.pk})


def idea_title(idea: Idea) -> str:
    return idea.title


def idea_rules(*, action: str, obj: Idea, person: Any) -> str | None:
    """Object-level rules: a withdrawn idea takes no more support nor comment."""
    if obj.status == Status.WITHDRAWN and action in ("support", "comment", "report"):
        return _("This idea was withdrawn by its author.")
    return None


def limits(*, instance: Any, person: Any, capability: str) -> str | None:
    """The idea box's limits per participant (and blocks, for every capability)."""
    message = blocked_message(instance=instance, person=person, capability=capability)
    if message:
        return message
    if capability == "submit":
        most = int(setting(instance, "max_ideas_per_participant"))
        if most and Idea.objects.filter(instance=instance, author=person).count() >= most:
            return ngettext(
                "This idea box takes %(count)d idea per participant.",
                "This idea box takes %(count)d ideas per participant.",
                most,
            ) % {"count": most}
    if capability == "support":
        most = int(setting(instance, "max_supports_per_participant"))
        given = Support.objects.filter(instance=instance, participant=person, value=1)
        if most and given.count() >= most:
            return ngettext(
                "You have given your %(count)d support: withdraw one to support another idea.",
                "You have given your %(count)d supports: withdraw one to support another idea.",
                most,
            ) % {"count": most}
    return None


def idea_answered(*, obj: Idea, answer: Any) -> None:
    """The official answer sets the idea's status (filterable in lists)."""
    if answer.status in ANSWERS:
        obj.status = answer.status
        Idea.objects.filter(pk=obj.pk).update(status=answer.status)


def ideas_counted(*, pks: list[int]) -> None:
    """Move ideas across their instance's support threshold, both ways (batch count)."""
    by_instance: dict[int, Any] = {}
    for idea in Idea._base_manager.filter(pk__in=pks).select_related("instance"):
        by_instance.setdefault(idea.instance_id, idea.instance)
    for instance in by_instance.values():
        threshold = int(setting(instance, "support_threshold"))
        if not threshold:
            continue
        mine = Idea._base_manager.filter(pk__in=pks, instance=instance)
        mine.filter(status=Status.PUBLISHED, support_count__gte=threshold).update(
            status=Status.THRESHOLD_REACHED
        )
        mine.filter(Q(status=Status.THRESHOLD_REACHED) & Q(support_count__lt=threshold)).update(
            status=Status.PUBLISHED
        )
