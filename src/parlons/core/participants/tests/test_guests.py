"""Guests confirm by a link; following it twice counts once; bad links change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parlons.core.participants.guests import do_confirm_guest, do_open_guest
from parlons.core.participants.models import Guest

pytestmark = pytest.mark.django_db


def test_a_guest_confirms_once(make_process):
    process = make_process()
    guest, path = do_open_guest(
        organisation=process.organisation,
        process=process,
        email=" Ana@Example.org ",
        language="de",
        module="pages",
    )
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert guest.email == "ana@example.org"
    assert token not in guest.token_hash  # only the hash is kept
    confirmed, first = do_confirm_guest(token=token)
    assert (confirmed.pk, first) == (guest.pk, True)
    again, first = do_confirm_guest(token=token)
    assert (again.pk, first) == (guest.pk, False)


def test_an_expired_or_unknown_link_is_refused(make_process):
    process = make_process()
    guest, path = do_open_guest(
        organisation=process.organisation,
        process=process,
        email="a@b.org",
        language="fr",
        module="pages",
    )
    Guest.objects.filter(pk=guest.pk).update(created_at=timezone.now() - timedelta(days=8))
    token = path.rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(ValidationError):
        do_confirm_guest(token=token)
    with pytest.raises(ValidationError):
        do_confirm_guest(token="nonsense")
    guest.refresh_from_db()
    assert guest.confirmed_at is None


def test_the_link_page_confirms_and_says_so_in_the_language(client, make_process):
    process = make_process()
    _guest, path = do_open_guest(
        organisation=process.organisation,
        process=process,
        email="a@b.org",
        language="fr",
        module="pages",
    )
    response = client.get(path)
    assert response.status_code == 200
    assert "Merci" in response.content.decode()
    assert client.get("/de/guest/nonsense/").status_code == 404
    assert "nicht gültig" in client.get("/de/guest/nonsense/").content.decode()
