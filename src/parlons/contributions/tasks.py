"""Tasks: the batch count (periodic) and the e-mails that follow an official answer."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import translation

from parlons.core.registry import Periodic
from parlons.core.tenancy import scopes_disabled

COUNT_EVERY = timedelta(seconds=5)


def counts_periodic(module: str) -> Periodic:
    """The ``Periodic`` a module lists in its declaration so that counts stay fresh.

    Every module that uses contributions lists one; the task recounts all pending
    objects whoever wrote them, and several runs at once are harmless (one waits).
    """
    return Periodic(
        key=f"{module}.contributions.count",
        every=COUNT_EVERY,
        task="parlons.contributions.tasks.refresh_counts",
    )


@task()
def refresh_counts() -> int:
    """Recount the objects whose supports or comments changed since the last run."""
    from parlons.contributions.services.counts import do_refresh_counts

    with scopes_disabled():
        return do_refresh_counts()


def _recipients(answer, obj, target):
    from django.contrib.auth import get_user_model

    from parlons.contributions.models import Support

    author = target.author_of(obj)
    supporters = Support.objects.filter(
        target_type=answer.target_type, target_id=answer.target_id, value=1
    ).values_list("participant", flat=True)
    people = get_user_model().objects.filter(
        pk__in=supporters, is_active=True, erased_at__isnull=True
    )
    seen = set()
    if author is not None and author.is_active and not author.erased_at:
        seen.add(author.pk)
        yield author, True
    for person in people.iterator(chunk_size=1000):
        if person.pk not in seen:
            seen.add(person.pk)
            yield person, False


@task()
def notify_answer(*, answer_id: int) -> int:
    """E-mail the official answer to the object's author and its supporters, each in
    their own language.  Returns the number of e-mails queued."""
    from parlons.contributions.models import Answer
    from parlons.contributions.selectors import target_object
    from parlons.core.notifications.services import Recipient, queue_bulk_email

    with scopes_disabled():
        answer = Answer.objects.select_related("instance__process__organisation").get(pk=answer_id)
        obj = target_object(answer)
        from parlons.contributions.targets import targets

        target = targets.of(obj)
        urls: dict[str, str] = {}

        def url(language: str) -> str:
            if language not in urls:
                with translation.override(language):
                    urls[language] = settings.SITE_URL.rstrip("/") + target.url(obj)
            return urls[language]

        recipients = (
            Recipient(
                email=person.email,
                language=person.language,
                context={"url": url(person.language), "is_author": is_author},
            )
            for person, is_author in _recipients(answer, obj, target)
        )
        return queue_bulk_email(
            recipients=recipients,
            template="contributions/email/answer",
            context={
                "title": target.title(obj),
                "status": target.status_label(answer.status),
                "explanation": answer.explanation,
                "organisation": answer.instance.process.organisation.name,
            },
        )
