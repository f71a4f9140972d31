"""Many ideas and comments at once (bulk inserts), for the query-count tests and the bench."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from parlons.contributions.models import Comment, Support
from parlons.modules.ideas.models import Idea


def fill(instance, *, ideas: int, comments_per_idea: int, author=None, supporter=None) -> list[int]:
    """Create ``ideas`` ideas with ``comments_per_idea`` comments each (every third one a
    reply), with counts set as the batch count would; returns the idea pks."""
    now = timezone.now()
    created = Idea.objects.bulk_create(
        [
            Idea(
                instance=instance,
                author=author,
                title=f"Idée {n} : aménager la rue {n % 97}",
                body=f"Proposition numéro {n}, pour le quartier {n % 7}.",
                created_at=now - timedelta(minutes=n),
                support_count=n % 13,
                comment_count=comments_per_idea,
            )
            for n in range(ideas)
        ],
        batch_size=2000,
    )
    pks = [idea.pk for idea in created]
    if comments_per_idea:
        tops = Comment.objects.bulk_create(
            [
                Comment(
                    instance=instance,
                    target_type="ideas.idea",
                    target_id=pk,
                    author=author,
                    body=f"Commentaire {k} sur l'idée {pk}.",
                    created_at=now - timedelta(seconds=k),
                )
                for pk in pks
                for k in range(comments_per_idea - comments_per_idea // 3)
            ],
            batch_size=5000,
        )
        by_idea: dict[int, Comment] = {}
        for comment in tops:
            by_idea.setdefault(comment.target_id, comment)
        Comment.objects.bulk_create(
            [
                Comment(
                    instance=instance,
                    target_type="ideas.idea",
                    target_id=pk,
                    parent=by_idea[pk],
                    root=by_idea[pk],
                    depth=1,
                    author=author,
                    body=f"Réponse {k}.",
                    created_at=now,
                )
                for pk in pks
                for k in range(comments_per_idea // 3)
            ],
            batch_size=5000,
        )
    if supporter is not None:
        Support.objects.bulk_create(
            [
                Support(
                    instance=instance, target_type="ideas.idea", target_id=pk, participant=supporter
                )
                for pk in pks[::5]
            ],
            batch_size=5000,
        )
    return pks
