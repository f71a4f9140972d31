"""Open data of contributions: rows of comments and supports, participants pseudonymised.

A pseudonym is stable inside one module instance (the same person has the same
pseudonym on every row of an export) and unlinkable across instances: an HMAC of the
instance and the participant under the site's secret key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from parlons.contributions.models import Comment, Support

COMMENT_HEADER = (
    "id",
    "object_type",
    "object_id",
    "parent_id",
    "depth",
    "author",
    "alignment",
    "body",
    "created_at",
    "edited_at",
    "deleted",
    "hidden",
    "agree",
    "disagree",
)
SUPPORT_HEADER = ("object_type", "object_id", "participant", "value", "created_at")


def pseudonym(*, instance_id: int, participant_id: int | None) -> str:
    """``p-`` and 12 hexadecimal digits, or "" for nobody (an erased or imported author)."""
    if participant_id is None:
        return ""
    message = f"parlons-pseudonym:{instance_id}:{participant_id}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"p-{digest[:12]}"


def comment_rows(*, instance: Any, target_type: str, public: bool = False) -> Iterator[tuple]:
    """Every comment on objects of ``target_type`` in ``instance``, oldest first.

    ``public`` leaves out the text of deleted and hidden comments (the API); organisers'
    exports keep it, marked.
    """
    comments = Comment.objects.filter(instance=instance, target_type=target_type).order_by("pk")
    for c in comments.iterator(chunk_size=2000):
        gone = c.deleted_at is not None or c.hidden_at is not None
        yield (
            c.pk,
            c.target_type,
            c.target_id,
            c.parent_id,
            c.depth,
            pseudonym(instance_id=instance.pk, participant_id=c.author_id),
            c.alignment,
            "" if public and gone else c.body,
            c.created_at,
            c.edited_at,
            c.deleted_at is not None,
            c.hidden_at is not None,
            c.support_count,
            c.oppose_count,
        )


def support_rows(*, instance: Any, target_type: str) -> Iterator[tuple]:
    """Every support (1) and reaction against (-1) of objects of ``target_type``."""
    supports = Support.objects.filter(instance=instance, target_type=target_type).order_by("pk")
    for s in supports.iterator(chunk_size=5000):
        yield (
            s.target_type,
            s.target_id,
            pseudonym(instance_id=instance.pk, participant_id=s.participant_id),
            s.value,
            s.created_at,
        )
