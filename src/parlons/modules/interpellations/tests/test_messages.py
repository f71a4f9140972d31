"""Writing to representatives: one message per sender, representative and campaign; the
e-mails (Reply-To the participant, a copy to them); guests confirm first; bad input
changes nothing; rate limits; the follow-up two weeks later."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from parlons.core.audit.models import AuditEntry
from parlons.core.permissions import Refused
from parlons.modules.interpellations import services
from parlons.modules.interpellations.models import Message
from parlons.modules.interpellations.tests.conftest import link_path, rep, url

pytestmark = pytest.mark.django_db

BODY = "Madame la députée, je vous demande de soutenir les cinq propositions de la campagne."


def _post(client, setup, *, reps, postcode="01000", area="01053:01004", **fields):
    data = {
        "postcode": postcode,
        "area": area,
        "subject": "Cinq propositions",
        "body": BODY,
        "representatives": [r.pk for r in reps],
        **fields,
    }
    return client.post(url(setup, "write"), data)


def test_a_participant_writes_to_their_deputy(
    campaign, client, make_participant, django_capture_on_commit_callbacks
):
    person = make_participant("karim@example.org", display_name="Karim B.")
    client.force_login(person)
    breton = rep(campaign, "PA1")
    page = client.get(url(campaign, "write"), {"postcode": "01000", "area": "01344:01001"})
    assert [r.pk for r in page.context["representatives"]] == [breton.pk]
    assert page.context["form"]["body"].initial.startswith("Madame, Monsieur")  # the template

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, campaign, reps=[breton], area="01344:01001")

    assert response.status_code == 302 and response["Location"] == url(campaign, "sent")
    sent = Message.objects.get(instance=campaign.instance)
    assert (sent.representative_id, sent.sender_key, sent.postcode) == (
        breton.pk, "karim@example.org", "01000"
    )  # fmt: skip
    assert sent.sent_at and sent.confirmed_at
    to_rep, copy = mail.outbox
    assert (to_rep.to, to_rep.reply_to) == (["xavier.breton@an.example"], ["karim@example.org"])
    assert to_rep.subject == "Cinq propositions" and BODY in to_rep.body
    assert "/stance/" in to_rep.body  # the representative's personal link
    assert copy.to == ["karim@example.org"] and "Xavier Breton" in copy.body and BODY in copy.body
    assert AuditEntry.objects.filter(code="interpellations.message.written").count() == 1


def test_a_second_message_to_the_same_representative_is_refused_and_changes_nothing(
    campaign, client, make_participant, django_capture_on_commit_callbacks
):
    client.force_login(make_participant("karim@example.org"))
    martin = rep(campaign, "PA2")
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, campaign, reps=[martin])
    sent_before = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        again = _post(client, campaign, reps=[martin], body=BODY + " Encore.")

    assert again.status_code == 400
    assert again.context["form"].representative_errors == [
        "You have already written to Anne Martin in this campaign: one message per representative."
    ]
    assert "You have already written to Anne Martin" in again.content.decode()
    assert Message.objects.filter(instance=campaign.instance).count() == 1
    assert len(mail.outbox) == sent_before


def test_the_unique_constraint_holds_below_the_check(campaign, make_participant):
    person = make_participant("karim@example.org")
    martin = rep(campaign, "PA2")
    Message.objects.create(
        instance=campaign.instance,
        representative=martin,
        sender_key="karim@example.org",
        sender_name="K",
        sender_email="karim@example.org",
        subject="s",
        body="b",
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            instance=campaign.instance,
            representative=martin,
            participant=person,
            sender_key="karim@example.org",
            sender_name="K",
            sender_email="karim@example.org",
            subject="s",
            body="b",
        )


def test_an_oversized_message_is_refused_and_changes_nothing(campaign, client, make_participant):
    client.force_login(make_participant())
    response = _post(client, campaign, reps=[rep(campaign, "PA2")], body="x" * 5001)

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == [
        "5000 characters at most (this text has 5001)."
    ]
    assert Message.objects.count() == 0 and mail.outbox == []


def test_unknown_postcode_and_foreign_representatives_are_refused(campaign, make_participant):
    person = make_participant()
    values = {"subject": "Cinq propositions", "body": BODY}
    with pytest.raises(Exception, match="99999 is unknown"):
        services.do_send_messages(
            person=person, instance=campaign.instance, representatives=[rep(campaign, "PA2").pk],
            postcode="99999", **values,
        )  # fmt: skip
    with pytest.raises(Exception, match="only to the representatives of your constituency"):
        services.do_send_messages(
            person=person, instance=campaign.instance, representatives=[rep(campaign, "PA3").pk],
            postcode="01000", **values,
        )  # fmt: skip
    assert Message.objects.count() == 0


def test_a_guest_confirms_by_the_link_in_the_email_then_the_message_leaves(
    campaign, client, django_capture_on_commit_callbacks
):
    martin = rep(campaign, "PA2")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client, campaign, reps=[martin], name="Inès Moreau", email="Ines@Example.org"
        )

    assert response["Location"] == url(campaign, "sent") + "?pending=1"
    message = Message.objects.get()
    assert (message.sender_key, message.sent_at) == ("ines@example.org", None)
    assert [e.to for e in mail.outbox] == [["Ines@Example.org"]]  # only the confirmation
    link = link_path(mail.outbox[0].body, "/guest/")

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(link)

    assert page.status_code == 200 and page.context["count"] == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert [e.to for e in mail.outbox[1:]] == [["anne.martin@an.example"], ["Ines@Example.org"]]
    assert mail.outbox[1].reply_to == ["Ines@Example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link)
    assert len(mail.outbox) == 3  # following the link again sends nothing more


def test_guests_need_the_setting_and_a_valid_address(make_campaign, client):
    closed = make_campaign(settings={"allow_guests": False})
    refused = _post(client, closed, reps=[rep(closed, "PA2")], name="X Y", email="x@example.org")
    assert refused.status_code == 302 and "/accounts/login/" in refused["Location"]

    setup = make_campaign()
    bad = _post(client, setup, reps=[rep(setup, "PA2")], name="X Y", email="not-an-address")
    assert bad.status_code == 400 and "email" in bad.context["form"].errors
    assert Message.objects.count() == 0


def test_outside_the_phase_writing_is_refused(make_campaign, make_participant):
    setup = make_campaign(when="after")
    with pytest.raises(Refused):
        services.do_send_messages(
            person=make_participant(), instance=setup.instance,
            representatives=[rep(setup, "PA2").pk], postcode="01000",
            subject="Cinq propositions", body=BODY,
        )  # fmt: skip
    assert Message.objects.count() == 0


def test_rate_limit_per_sender(make_campaign, make_participant):
    setup = make_campaign(settings={"messages_per_hour": 1})
    person = make_participant()
    values = {"subject": "Cinq propositions", "body": BODY, "postcode": "01000"}
    services.do_send_messages(
        person=person, instance=setup.instance, representatives=[rep(setup, "PA1").pk], **values
    )
    with pytest.raises(Exception, match="Too many messages"):
        services.do_send_messages(
            person=person, instance=setup.instance, representatives=[rep(setup, "PA2").pk],
            **values,
        )  # fmt: skip
    assert Message.objects.count() == 1


def test_the_followup_asks_two_weeks_later_once_and_records_the_answer(
    campaign, client, make_participant, django_capture_on_commit_callbacks
):
    person = make_participant("karim@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send_messages(
            person=person, instance=campaign.instance,
            representatives=[rep(campaign, "PA1").pk, rep(campaign, "PA2").pk],
            postcode="01000", subject="Cinq propositions", body=BODY,
        )  # fmt: skip
    mail.outbox.clear()
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.do_send_followups(now=now + timedelta(days=13)) == 0
        assert services.do_send_followups(now=now + timedelta(days=14, minutes=1)) == 1
        assert services.do_send_followups(now=now + timedelta(days=15)) == 0

    assert [e.to for e in mail.outbox] == [["karim@example.org"]]
    assert "Did they reply?" in mail.outbox[0].subject
    assert "Xavier Breton" in mail.outbox[0].body and "Anne Martin" in mail.outbox[0].body
    link = link_path(mail.outbox[0].body, "/reply/")
    page = client.get(link)
    assert page.status_code == 200 and len(page.context["written"]) == 2
    martin = rep(campaign, "PA2")
    answered = client.post(link, {"representative": martin.pk, "replied": "yes", "text": "Oui."})
    assert answered.status_code == 302
    assert Message.objects.get(representative=martin).replied == "yes"
    assert client.get(link.replace("/reply/", "/reply/x")).status_code == 404


def test_without_postcodes_the_participant_picks_the_constituency(
    make_campaign, client, make_participant
):
    from parlons.formats.representatives import read_meps

    meps = io.StringIO(
        "epid,country,first_name,last_name,email,eugroup,party\n"
        "1,it,Lucia,Bianchi,lucia@ep.example,S&D,PD\n2,it,Marco,Rossi,marco@ep.example,EPP,FI\n"
    )
    regions = io.StringIO("country,region,mepid\nit,Sud,1\nit,Nord-Ovest,2\n")
    setup = make_campaign(parsed=read_meps(source=meps, regions=regions))
    client.force_login(make_participant())

    page = client.get(url(setup, "detail"))
    assert [c.code for c in page.context["constituencies"]] == ["IT", "IT:Nord-Ovest", "IT:Sud"]
    south = client.get(url(setup, "write"), {"area": "IT:Sud"})
    assert [r.name for r in south.context["representatives"]] == ["Lucia Bianchi"]
    missing = client.get(url(setup, "write"), {"area": "IT:Centro"})
    assert (
        missing.status_code == 400
        and missing.context["state"]["error"] == "Choose your constituency."
    )
    sent = _post(client, setup, reps=south.context["representatives"], postcode="", area="IT:Sud")
    assert sent.status_code == 302 and Message.objects.get().representative.name == "Lucia Bianchi"


def test_rate_limit_per_network_address_on_redis(make_campaign, make_participant, redis_cache):
    setup = make_campaign(settings={"messages_per_hour_per_ip": 2})
    values = {"subject": "Cinq propositions", "body": BODY, "postcode": "01000", "ip": "192.0.2.7"}
    for external_id in ("PA1", "PA2"):
        services.do_send_messages(
            person=make_participant(), instance=setup.instance,
            representatives=[rep(setup, external_id).pk], **values,
        )  # fmt: skip
    with pytest.raises(Exception, match="Too many messages"):
        services.do_send_messages(
            person=make_participant(), instance=setup.instance,
            representatives=[rep(setup, "PA1").pk], **values,
        )  # fmt: skip
    other = {**values, "ip": "192.0.2.8"}
    services.do_send_messages(
        person=make_participant(), instance=setup.instance,
        representatives=[rep(setup, "PA1").pk], **other,
    )  # fmt: skip
    assert Message.objects.count() == 3
