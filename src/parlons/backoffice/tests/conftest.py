"""Organisers for the back-office tests: accounts that log in like real ones."""

from __future__ import annotations

import time

import pytest
from django.utils import translation

TOTP_SECRET = "JBSWY3DPEHPK3PXPTESTSECRET2FA222"


def totp_code(secret: str = TOTP_SECRET) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def city(make_organisation):
    return make_organisation(slug="lyon", name="Lyon")


@pytest.fixture
def make_organiser(make_member):
    """A member with a confirmed e-mail address and, unless told otherwise, two factors."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    def make(organisation, role="admin", *, two_factor=True):
        person = make_member(organisation, role)
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        if two_factor:
            TOTP.activate(person, TOTP_SECRET)
        return person

    return make


@pytest.fixture
def admin_client(client, city, make_organiser):
    """A client logged in as an administrator of ``city`` who set up two factors."""
    client.force_login(make_organiser(city))
    return client
