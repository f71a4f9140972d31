"""Bearer authentication with a personal API token."""

from __future__ import annotations

from typing import Any

from ninja.security import HttpBearer

from parlons.api.services import get_token_participant


class TokenAuth(HttpBearer):
    """``Authorization: Bearer parlons_…``; the participant becomes ``request.auth``."""

    def authenticate(self, request, token: str) -> Any | None:
        participant = get_token_participant(secret=token)
        if participant is not None:
            request.user = participant
        return participant
