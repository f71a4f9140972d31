"""Private processes: administrators invite accounts, who then see and join the process."""

from __future__ import annotations

import pytest
from django.test import Client

from parlons.core.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/en/backoffice/lyon/processes/quartier/invitations/"


@pytest.fixture
def private(city, make_process):
    return make_process(
        organisation=city, slug="quartier", visibility="private", title={"en": "Our street"}
    )


def test_an_invited_account_is_told_and_sees_the_private_process(
    admin_client, private, make_participant, mailoutbox, django_capture_on_commit_callbacks
):
    ana = make_participant("ana@example.org", language="fr")
    stranger = Client()
    stranger.force_login(make_participant())
    guest = Client()
    guest.force_login(ana)
    assert guest.get("/fr/lyon/quartier/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(URL, {"email": "ANA@example.org"}, follow=True)

    assert "The invitation was sent." in response.content.decode()
    assert list(private.invited.all()) == [ana]
    [sent] = mailoutbox
    assert sent.to == ["ana@example.org"]
    assert sent.subject == "Vous êtes invité·e à participer : Our street"
    assert "http://127.0.0.1:8000/fr/lyon/quartier/" in sent.body
    assert guest.get("/fr/lyon/quartier/").status_code == 200
    assert stranger.get("/fr/lyon/quartier/").status_code == 404
    assert AuditEntry.objects.filter(code="processes.invitation.added").count() == 1
    page = admin_client.get("/en/backoffice/lyon/processes/quartier/").content.decode()
    assert "ana@example.org" in page and "This process is private" in page


def test_an_invitation_is_withdrawn(admin_client, private, make_participant):
    ana = make_participant("ana@example.org")
    private.invited.add(ana)
    response = admin_client.post(URL, {"withdraw": ana.pk}, follow=True)
    assert "The invitation was withdrawn." in response.content.decode()
    assert not private.invited.exists()
    assert AuditEntry.objects.filter(code="processes.invitation.removed").count() == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", "No account uses this e-mail address."),
        ("not an address", "Enter a valid email address."),
    ],
)
def test_a_bad_invitation_says_why_and_changes_nothing(admin_client, private, email, message):
    response = admin_client.post(URL, {"email": email}, follow=True)
    assert message in response.content.decode()
    assert not private.invited.exists()
    assert not AuditEntry.objects.filter(code="processes.invitation.added").exists()


def test_inviting_twice_is_refused(admin_client, private, make_participant):
    ana = make_participant("ana@example.org")
    private.invited.add(ana)
    response = admin_client.post(URL, {"email": "ana@example.org"}, follow=True)
    assert "This person is already invited." in response.content.decode()


def test_only_administrators_invite(client, city, private, make_organiser, make_participant):
    client.force_login(make_organiser(city, "moderator"))
    make_participant("ana@example.org")
    assert client.post(URL, {"email": "ana@example.org"}).status_code == 404
    assert not private.invited.exists()
