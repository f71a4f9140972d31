"""The signers' e-mails over a real SMTP server: drafted bytes that read as Django's."""

from __future__ import annotations

import email.policy
import re
from email import message_from_bytes
from urllib.parse import urlsplit

import pytest
from django.core.mail import EmailMessage

from parlons.modules.petitions.models import Mail, Signature
from parlons.modules.petitions.tests.conftest import send_mails, urls

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r"/confirm/[^/\s]+/")


def _sign(petition, n, name, language="fr"):
    from django.contrib.auth.models import AnonymousUser

    from parlons.modules.petitions.signing import SignerInput, do_sign_petition

    do_sign_petition(
        petition=petition,
        person=AnonymousUser(),
        signer=SignerInput(
            name=name, email=f"signer{n}@example.org", postcode="75011", language=language
        ),
    )


def test_confirmations_reach_a_real_smtp_server_as_django_would_write_them(
    smtp_inbox, petition, client
):
    from parlons.core.notifications.services import render_email
    from parlons.modules.petitions.mailing import TEMPLATES, _recipient

    _sign(petition, 1, "Zoë & Marc <3>")
    _sign(petition, 2, "Jürgen Groß", language="de")
    _sign(petition, 3, "Anne")
    assert send_mails() == 3
    assert len(smtp_inbox.envelopes) == 3
    for envelope in smtp_inbox.envelopes:
        received = message_from_bytes(envelope.content, policy=email.policy.default)
        (address,) = envelope.rcpt_tos
        assert received["To"] == address
        signature = Signature.objects.get(email=address)
        recipient = _recipient(Mail.CONFIRM, signature)
        expected = render_email(
            to=address,
            template=TEMPLATES[Mail.CONFIRM],
            context=recipient.context,
            language=recipient.language,
        )
        reference = message_from_bytes(
            EmailMessage(
                subject=expected["subject"],
                body=expected["body"],
                from_email=expected["from_email"],
                to=[address],
            )
            .message(policy=email.policy.SMTP)
            .as_bytes(),
            policy=email.policy.default,
        )
        for header in ("Subject", "From", "Content-Type", "MIME-Version"):
            assert received[header] == reference[header], header
        assert received["Message-ID"].startswith("<") and received["Date"]
        body = received.get_content()
        assert TOKEN.sub("/confirm/T/", body) == TOKEN.sub("/confirm/T/", reference.get_content())
        # the link of the received bytes confirms the signature
        link = re.search(r"https?://\S+/confirm/\S+", body).group(0)
        assert client.get(urlsplit(link).path).status_code == 200
        signature.refresh_from_db()
        assert signature.confirmed_at is not None
    bodies = [message_from_bytes(e.content).get_payload(decode=True) for e in smtp_inbox.envelopes]
    assert any("Zoë &amp; Marc &lt;3&gt;".encode() in b for b in bodies)  # escaped as the kernel
    assert any("Jürgen Groß".encode() in b for b in bodies)
    assert len({e.content.split(b"Message-ID: ")[1][:60] for e in smtp_inbox.envelopes}) == 3
    assert urls(petition)  # the petition is still there to be confirmed on


def test_what_the_drafts_do_not_cover_is_built_by_django():
    from parlons.modules.petitions.mailing import DraftedEmail

    def drafted(**extra):
        fields = {"subject": "S", "body": "B\n", "from_email": "x@example.org"}
        return DraftedEmail(**{**fields, "to": ["a@example.org"], **extra}, drafts={})

    plain = drafted().message(policy=email.policy.SMTP)
    assert not isinstance(plain, email.message.Message)  # the drafted bytes
    assert b"To: a@example.org\r\n" in plain.as_bytes()
    for message in (
        drafted(to=["zoë@exämple.org"]),  # not ASCII
        drafted(cc=["b@example.org"]),
        drafted(reply_to=["c@example.org"]),
    ):
        assert isinstance(message.message(policy=email.policy.SMTP), email.message.Message)
    assert isinstance(drafted().message(), email.message.Message)  # another backend's call
