"""allauth's e-mails go through the task queue, in the language of the page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from parlons.core.notifications.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "[Parlons] Please Confirm Your Email Address"),
        ("fr", "[Parlons] Confirmez votre adresse e-mail"),
    ],
)
def test_signup_sends_its_confirmation_by_the_task(
    client, django_capture_on_commit_callbacks, language, subject
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/{language}/accounts/signup/",
            {
                "email": "camille@example.org",
                "password1": "a long pass phrase 42",
                "password2": "a long pass phrase 42",
            },
        )

    assert response.status_code == 302
    assert len(callbacks) == 1  # the confirmation waited for the commit
    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["camille@example.org"], subject)
    key = re.search(rf"/{language}/accounts/confirm-email/([^/\s]+)/", sent.body)
    assert key is not None
    assert Delivery.objects.filter(message_id=sent.extra_headers["Message-ID"]).count() == 1


def test_a_login_code_is_sent_by_the_task(
    client, make_participant, django_capture_on_commit_callbacks
):
    make_participant("dominique@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/login/code/", {"email": "dominique@example.org"})

    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["dominique@example.org"], "[Parlons] Sign-In Code")
    assert Delivery.objects.count() == 1
