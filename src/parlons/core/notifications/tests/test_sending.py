"""E-mails leave by a task after commit, in the recipient's language, through a real mailer."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.db import transaction

from parlons.core.notifications.models import Delivery
from parlons.core.notifications.services import Recipient, queue_bulk_email, queue_email
from parlons.core.notifications.tasks import send_email

pytestmark = pytest.mark.django_db

SITE = {"name": "Parlons", "domain": "parlons.example"}


@pytest.mark.django_db(transaction=True)
def test_an_email_reaches_a_real_smtp_server_in_the_recipients_language(
    smtp_inbox, make_participant
):
    anna = make_participant("anna@example.de", language="de")
    with transaction.atomic():
        email = queue_email(
            to=anna.email,
            template="account/email/login_code",
            context={"code": "7QF2KD", "current_site": SITE},
            language=anna.language,
            reply_to=["kontakt@parlons.example"],
            headers={"List-Unsubscribe": "<https://parlons.example/unsubscribe/abc>"},
        )
        assert smtp_inbox.envelopes == []  # not before the commit

    assert len(smtp_inbox.envelopes) == 1
    envelope = smtp_inbox.envelopes[0]
    assert envelope.rcpt_tos == ["anna@example.de"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["Subject"] == "Anmeldecode"
    assert received["To"] == "anna@example.de"
    assert received["Reply-To"] == "kontakt@parlons.example"
    assert received["List-Unsubscribe"] == "<https://parlons.example/unsubscribe/abc>"
    assert received["Message-ID"] == email["headers"]["Message-ID"]
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert "Ihr Anmeldecode steht unten." in text
    assert "7QF2KD" in text
    assert text.startswith("Guten Tag,") and "Das Parlons-Team" in text
    assert list(Delivery.objects.values_list("message_id", flat=True)) == [
        email["headers"]["Message-ID"]
    ]

    # A retry of the same task (a worker that died after sending) sends nothing again.
    assert send_email.call(email=email) == 0
    assert len(smtp_inbox.envelopes) == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(smtp_inbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to="nobody@example.org", subject="Never", body="Never sent.")
        raise RuntimeError("the change failed")

    assert smtp_inbox.envelopes == []
    assert Delivery.objects.count() == 0


def test_a_body_and_a_subject_are_sent_as_given_with_an_html_part(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue_email(
            to=["a@example.org", "b@example.org"],
            subject="Update\non the petition",
            body="Thank you.\nSee https://parlons.example/p/1",
            html_body="<p>Thank you.</p>",
            language="en",
        )

    assert len(callbacks) == 1
    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (
        ["a@example.org", "b@example.org"],
        "Update on the petition",
        "Thank you.\nSee https://parlons.example/p/1\n",
    )
    assert sent.alternatives[0].content == "<p>Thank you.</p>"
    assert sent.alternatives[0].mimetype == "text/html"


def test_a_template_or_a_body_is_required():
    with pytest.raises(ValueError, match="either a template or a body"):
        queue_email(to="a@example.org", subject="Nothing")
    with pytest.raises(ValueError, match="either a template or a body"):
        queue_email(to="a@example.org", template="account/email/login_code", body="Both")


def test_bulk_email_is_sent_in_chunks_each_in_its_recipients_language(
    django_capture_on_commit_callbacks,
):
    languages = ["fr", "de", "en", "de", "fr"]
    recipients = [
        Recipient(
            email=f"signer{n}@example.org",
            language=language,
            context={"code": f"CODE{n}"},
            headers={"List-Unsubscribe": f"<https://parlons.example/unsubscribe/{n}>"},
        )
        for n, language in enumerate(languages)
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = queue_bulk_email(
            recipients=recipients,
            template="account/email/login_code",
            context={"current_site": SITE},
            headers={"Precedence": "bulk"},
            chunk_size=2,
        )

    assert (queued, len(callbacks), len(mail.outbox)) == (5, 3, 5)
    subjects = {"fr": "Code de connexion", "de": "Anmeldecode", "en": "Sign-In Code"}
    for n, (sent, language) in enumerate(zip(mail.outbox, languages, strict=True)):
        assert sent.to == [f"signer{n}@example.org"]
        assert sent.subject == subjects[language]
        assert f"CODE{n}" in sent.body
        assert (
            sent.extra_headers["List-Unsubscribe"] == f"<https://parlons.example/unsubscribe/{n}>"
        )
        assert sent.extra_headers["Precedence"] == "bulk"
    assert Delivery.objects.count() == 5
