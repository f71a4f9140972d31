"""Fixtures for the API tests: an organisation, its admin and the admin's token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


@dataclass(frozen=True)
class Admin:
    organisation: Any
    person: Any
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


@pytest.fixture
def admin(make_organisation, make_member) -> Admin:
    from parlons.api.services import do_create_token

    organisation = make_organisation(slug="lakeside", languages=["fr", "en"])
    person = make_member(organisation, role="admin")
    _token, secret = do_create_token(participant=person, name="script")
    return Admin(organisation=organisation, person=person, secret=secret)
