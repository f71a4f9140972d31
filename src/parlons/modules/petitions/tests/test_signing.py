"""Signing as a guest: double opt-in, one signature per e-mail, limits, suspicion, bad input."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail

from parlons.modules.petitions.models import Signature
from parlons.modules.petitions.tests.conftest import count, link_in, send_mails, sign_data, urls

pytestmark = pytest.mark.django_db


def path_of(link: str) -> str:
    return urlsplit(link).path


def test_a_guest_signs_confirms_by_the_emailed_link_and_counts_after_the_batch(client, petition):
    response = client.post(urls(petition, "sign"), sign_data(1))
    assert response.status_code == 200
    assert (
        "check your e-mail" in response.content.decode().lower()
        or "e-mail" in response.content.decode()
    )
    signature = Signature.objects.get()
    assert signature.confirmed_at is None and signature.email == "signer1@example.org"
    assert mail.outbox == []  # sent by the batch, not in the request
    assert send_mails() == 1
    assert mail.outbox[0].to == ["signer1@example.org"]
    link = link_in(mail.outbox[0])
    count()
    petition.refresh_from_db()
    assert petition.signature_count == 0  # not confirmed yet
    assert client.get(path_of(link)).status_code == 200
    assert petition.signature_count == 0  # the request never increments the count
    count()
    petition.refresh_from_db()
    assert petition.signature_count == 1
    assert petition.counts_by_area == {"": 1}


def test_a_repeat_signer_sees_the_same_page_and_is_told_by_email(client, petition):
    first = client.post(urls(petition, "sign"), sign_data(1))
    send_mails()
    client.get(path_of(link_in(mail.outbox[0])))
    again = client.post(urls(petition, "sign"), sign_data(1, email="Signer1+again@Example.org"))
    assert again.status_code == first.status_code == 200
    assert again.content.decode().count("<h1>") == first.content.decode().count("<h1>")
    assert Signature.objects.count() == 1
    assert send_mails() == 1
    assert "already" in mail.outbox[1].subject.lower()
    assert "/confirm/" not in mail.outbox[1].body


def test_an_unconfirmed_repeat_signer_gets_a_fresh_link(client, petition):
    client.post(urls(petition, "sign"), sign_data(1))
    client.post(urls(petition, "sign"), sign_data(1))
    assert send_mails() == 1  # both requests owe the same single e-mail
    assert Signature.objects.count() == 1
    client.get(path_of(link_in(mail.outbox[0])))
    count()
    petition.refresh_from_db()
    assert petition.signature_count == 1


def test_gmail_dots_and_tags_are_one_mailbox(client, petition):
    client.post(urls(petition, "sign"), sign_data(1, email="Jean.Dupont@gmail.com"))
    client.post(urls(petition, "sign"), sign_data(2, email="jeandupont+p@googlemail.com"))
    assert list(Signature.objects.values_list("email", flat=True)) == ["jeandupont@gmail.com"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", "valid e-mail"),
        ("email", "a@" + "b" * 260 + ".org", "valid e-mail"),
        ("name", "", "Give your name"),
        ("name", "x" * 101, "too long"),
        ("postcode", "", "postcode"),
        ("postcode", "<script>", "postcode"),
        ("comment", "x" * 501, "too long"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    client, petition, field, value, message
):
    response = client.post(
        urls(petition, "sign") + "?", sign_data(1, **{field: value}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Signature.objects.count() == 0


def test_bad_input_is_translated(client, petition):
    process = petition.instance.process
    response = client.post(urls(petition, "sign", language="de"), sign_data(1, email="kaputt"))
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in response.content.decode(), process


def test_a_closed_petition_takes_no_signature(client, make_petition):
    from datetime import timedelta

    from django.utils import timezone

    petition = make_petition(deadline=timezone.now() - timedelta(minutes=1))
    response = client.post(urls(petition, "sign"), sign_data(1))
    assert response.status_code == 400
    assert "closed" in response.content.decode() or "close" in response.content.decode()
    assert Signature.objects.count() == 0


def test_a_phase_that_does_not_open_signing_refuses(client, make_petition):
    petition = make_petition(phase="after")
    response = client.post(urls(petition, "sign"), sign_data(1))
    assert response.status_code == 400
    assert Signature.objects.count() == 0


def test_an_expired_link_is_refused_and_changes_nothing(client, petition):
    import time

    from django.core import signing

    from parlons.modules.petitions.signing import CONFIRM_SALT

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    client.post(urls(petition, "sign"), sign_data(1))
    signature = Signature.objects.get()
    old = EightDaysAgo(salt=CONFIRM_SALT).sign(str(signature.pk))
    response = client.get(urls(petition, "confirm", token=old), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()
    signature.refresh_from_db()
    assert signature.confirmed_at is None


def test_a_reused_link_is_refused_and_changes_nothing(client, petition):
    client.post(urls(petition, "sign"), sign_data(1))
    send_mails()
    link = path_of(link_in(mail.outbox[0]))
    assert client.get(link).status_code == 200
    confirmed = Signature.objects.get().confirmed_at
    again = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert "already confirmed" in again.content.decode()
    assert Signature.objects.get().confirmed_at == confirmed


def test_a_forged_link_is_refused(client, petition):
    client.post(urls(petition, "sign"), sign_data(1))
    response = client.get(urls(petition, "confirm", token="1:forged:token"))
    assert response.status_code == 400
    assert Signature.objects.get().confirmed_at is None


def test_rate_limit_per_connection(client, make_petition):
    petition = make_petition(settings={"signatures_per_ip_per_hour": 2})
    for n in range(2):
        assert client.post(urls(petition, "sign"), sign_data(n)).status_code == 200
    third = client.post(urls(petition, "sign"), sign_data(3), HTTP_ACCEPT_LANGUAGE="en")
    assert third.status_code == 429
    assert "Too many signatures came from your connection" in third.content.decode()
    assert Signature.objects.count() == 2
    other = client.post(urls(petition, "sign"), sign_data(4), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_rate_limit_per_petition(client, make_petition):
    petition = make_petition(settings={"signatures_per_petition_per_minute": 1})
    assert client.post(urls(petition, "sign"), sign_data(1)).status_code == 200
    assert (
        client.post(urls(petition, "sign"), sign_data(2), REMOTE_ADDR="203.0.113.9").status_code
        == 429
    )
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"website": "http://spam.example"}, "honeypot"),
        ({"email": "bot@mailinator.com"}, "disposable-domain"),
        ({"name": "Buy at https://spam.example"}, "address-in-name"),
    ],
)
def test_suspicious_signatures_are_kept_silently_and_not_counted(client, petition, extra, reason):
    honest = client.post(urls(petition, "sign"), sign_data(1))
    suspect = client.post(urls(petition, "sign"), sign_data(2, **extra))
    assert suspect.status_code == honest.status_code == 200
    send_mails()
    for message in mail.outbox:
        client.get(path_of(link_in(message)))
    count()
    petition.refresh_from_db()
    assert petition.signature_count == 1
    assert Signature.objects.get(suspicious=reason).confirmed_at is not None


def test_an_account_holder_signing_with_their_own_address_counts_at_once(
    client, petition, make_participant
):
    person = make_participant("marie@example.org")
    client.force_login(person)
    page = client.get(urls(petition))
    token = (
        page.cookies["csrftoken"].value
        if "csrftoken" in page.cookies
        else client.cookies["csrftoken"].value
    )
    response = client.post(
        urls(petition, "sign"),
        {**sign_data(1, email="marie@example.org"), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    signature = Signature.objects.get()
    assert signature.participant == person and signature.confirmed_at is not None
    assert send_mails() == 0


def test_without_csrf_an_account_holder_signs_as_a_guest(client, petition, make_participant):
    from django.test import Client

    person = make_participant("marie@example.org")
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(person)
    forged.post(urls(petition, "sign"), sign_data(1, email="marie@example.org"))
    signature = Signature.objects.get()
    assert signature.participant is None and signature.confirmed_at is None
