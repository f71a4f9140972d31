"""What the kernel and the toolkit call back: addresses, titles, limits, rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from parlons.contributions.permissions import blocked_message


def instance_kwargs(instance: Any) -> dict[str, str]:
    process = instance.process
    return {
        "organisation_slug": process.organisation.slug,
        "process_slug": process.slug,
        "instance_slug": instance.slug,
    }


def _url(name: str, obj: Any) -> str:
    return reverse(f"debates:{name}", kwargs={**instance_kwargs(obj.instance), "pk": obj.pk})


def article_url(article: Any) -> str:
    """The public page of an article, in the active language."""
    return _url("article", article)


def amendment_url(amendment: Any) -> str:
    return _url("amendment", amendment)


def question_url(question: Any) -> str:
    return _url("question", question)


def statement_url(statement: Any) -> str:
    return reverse("debates:detail", kwargs=instance_kwargs(statement.instance))


def article_title(article: Any) -> str:
    return article.title


def amendment_title(amendment: Any) -> str:
    return _("Amendment %(number)d of “%(title)s”") % {
        "number": amendment.pk,
        "title": amendment.article.title,
    }


def question_title(question: Any) -> str:
    return question.title


def statement_title(statement: Any) -> str:
    return statement.body[:80]


def statement_rules(*, action: str, obj: Any, person: Any) -> str | None:
    """A rejected or waiting statement takes no report (it is not shown)."""
    if obj.status != "accepted" and action == "report":
        return _("This statement is not shown.")
    return None


def limits(*, instance: Any, person: Any, capability: str) -> str | None:
    """Blocks, for every participant capability of the module."""
    return blocked_message(instance=instance, person=person, capability=capability)
