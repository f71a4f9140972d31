"""A participant's messages in their data export; erasure blanks them, counts stay."""

from __future__ import annotations

import pytest

from parlons.modules.interpellations import personal_data, selectors, services
from parlons.modules.interpellations.models import Message
from parlons.modules.interpellations.tests.conftest import rep

pytestmark = pytest.mark.django_db


def test_export_then_erase(campaign, make_participant):
    person = make_participant("karim@example.org")
    martin = rep(campaign, "PA2")
    services.do_send_messages(
        person=person, instance=campaign.instance, representatives=[martin.pk],
        postcode="01000", subject="Cinq propositions", body="Je vous demande de soutenir.",
    )  # fmt: skip

    exported = personal_data.export(participant=person)
    personal_data.erase(participant=person)

    assert [(m["representative"], m["postcode"]) for m in exported["messages"]] == [
        ("Anne Martin", "01000")
    ]
    message = Message.objects.get()
    assert (message.participant, message.sender_email, message.body) == (None, "erased@invalid", "")
    assert selectors.messages_received(instance=campaign.instance, representative=martin) == 1
    assert personal_data.export(participant=person) == {"messages": []}
