"""Personal API tokens: stored hashed, shown once, revocable, managed on the account page."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from parlons.api.models import ApiToken
from parlons.api.services import (
    do_create_token,
    do_revoke_token,
    get_token_participant,
)
from parlons.core.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_sha256_digest(make_participant):
    person = make_participant()
    token, secret = do_create_token(participant=person, name=" import script ")
    stored = ApiToken.objects.get()
    assert secret.startswith("parlons_") and len(secret) == 51
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:14]
    assert [secret in value for value in (stored.name, stored.prefix, stored.digest)] == [
        False,
        False,
        False,
    ]
    assert (stored.name, stored.participant, stored.revoked_at) == ("import script", person, None)
    assert list(AuditEntry.objects.values_list("code", "actor", "target_id", "data")) == [
        ("api.token.created", person.pk, str(token.pk), {"name": "import script"})
    ]


def test_the_secret_finds_its_participant_and_notes_the_use(make_participant):
    person = make_participant()
    token, secret = do_create_token(participant=person, name="a")
    assert get_token_participant(secret=secret) == person
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert get_token_participant(secret=secret + "x") is None
    assert get_token_participant(secret="Bearer") is None


def test_a_revoked_token_or_an_inactive_person_authenticates_nobody(make_participant):
    person = make_participant()
    token, secret = do_create_token(participant=person, name="a")
    other, other_secret = do_create_token(participant=make_participant(), name="b")
    other.participant.is_active = False
    other.participant.save()
    do_revoke_token(token=token, actor=person)
    do_revoke_token(token=token, actor=person)  # twice changes nothing more
    assert get_token_participant(secret=secret) is None
    assert get_token_participant(secret=other_secret) is None
    assert AuditEntry.objects.filter(code="api.token.revoked").count() == 1


def test_the_token_page_needs_a_login(client):
    response = client.get("/fr/account/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_create_shows_the_secret_once_then_only_the_prefix(client, make_participant):
    person = make_participant()
    client.force_login(person)
    response = client.post("/en/account/tokens/", {"name": "Import script"})
    assert response.status_code == 200
    token = ApiToken.objects.get(participant=person)
    secret = response.context["secret"]
    assert get_token_participant(secret=secret) == person
    assert secret in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    again = client.get("/en/account/tokens/").content.decode()
    assert secret not in again
    assert f"{token.prefix}…" in again
    assert "Import script" in again


def test_an_empty_name_is_refused(client, make_participant):
    client.force_login(make_participant())
    response = client.post("/en/account/tokens/", {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert ApiToken.objects.count() == 0


def test_revoke_own_token_but_not_someone_elses(client, make_participant):
    person, stranger = make_participant(), make_participant()
    mine, _secret = do_create_token(participant=person, name="mine")
    theirs, their_secret = do_create_token(participant=stranger, name="theirs")
    client.force_login(person)
    response = client.post(f"/en/account/tokens/{mine.pk}/revoke/")
    assert (response.status_code, response["Location"]) == (302, "/en/account/tokens/")
    assert client.post(f"/en/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.get(f"/en/account/tokens/{mine.pk}/revoke/").status_code == 405
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert get_token_participant(secret=their_secret) == stranger
    page = client.get("/en/account/tokens/").content.decode()
    assert "Revoked on" in page


def test_the_page_is_translated(client, make_participant):
    client.force_login(make_participant())
    page = client.get("/fr/account/tokens/").content.decode()
    assert "<h1>Jetons d'API</h1>" in page
    page = client.get("/de/account/tokens/").content.decode()
    assert "<h1>API-Tokens</h1>" in page
