"""Every change to API tokens, and the one lookup that turns a secret into a person."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from parlons.api.models import ApiToken
from parlons.core.audit.services import log_action

SECRET_PREFIX = "parlons_"
PREFIX_LENGTH = len(SECRET_PREFIX) + 6
# Recording every use would write on every request; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def digest_of(secret: str) -> str:
    """The SHA-256 hex digest under which a secret is stored."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def do_create_token(*, participant: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``participant``; return it with its secret (shown only once)."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        participant=participant,
        name=name.strip(),
        prefix=secret[:PREFIX_LENGTH],
        digest=digest_of(secret),
    )
    log_action(actor=participant, code="api.token.created", target=token, data={"name": token.name})
    return token, secret


@transaction.atomic
def do_revoke_token(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke ``token`` for good; revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_action(actor=actor, code="api.token.revoked", target=token, data={"name": token.name})
    return token


def get_token_participant(*, secret: str) -> Any | None:
    """The active participant whose unrevoked token is ``secret``, or None.

    Notes when the token was used, at most once a minute.
    """
    if not secret.startswith(SECRET_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("participant")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, participant__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.participant
