"""Who may write (phase × account or guest × setting × verification) and who may record
stances (roles); every refusal changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from parlons.core.permissions import Refused
from parlons.modules.interpellations import services
from parlons.modules.interpellations.models import Message, Stance
from parlons.modules.interpellations.tests.conftest import rep

pytestmark = pytest.mark.django_db

BODY = "Je vous demande de soutenir les propositions de la campagne."


@pytest.mark.parametrize("when", ["before", "during", "after"])
@pytest.mark.parametrize("who", ["participant", "guest", "guest_not_allowed", "unverified"])
def test_who_may_write_when(make_campaign, make_participant, make_verification, when, who):
    settings = {"allow_guests": who != "guest_not_allowed"}
    required = {"postcode": {}} if who == "unverified" else {}
    setup = make_campaign(when=when, settings=settings, required_verifications=required)
    person = make_participant() if who in ("participant", "unverified") else AnonymousUser()
    allowed = when == "during" and who in ("participant", "guest")

    def send():
        return services.do_send_messages(
            person=person, instance=setup.instance, representatives=[rep(setup, "PA2").pk],
            postcode="01000", name="Inès Moreau", email="ines@example.org",
            subject="Cinq propositions", body=BODY,
        )  # fmt: skip

    if allowed:
        messages, pending = send()
        assert len(messages) == 1 and pending == (who == "guest")
    else:
        with pytest.raises(Refused) as refused:
            send()
        expected = {"before": "phase_closed", "after": "phase_closed"}.get(
            when,
            {"guest_not_allowed": "login_required", "unverified": "verification_required"}.get(who),
        )
        assert refused.value.decision.reason == expected
        assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("evaluator", True), ("moderator", False), ("analyst", False), (None, False)],
)
def test_who_may_record_stances(campaign, make_member, make_participant, role, allowed):
    person = make_member(campaign.organisation, role) if role else make_participant()
    record = {
        "person": person, "instance": campaign.instance, "representative": rep(campaign, "PA1"),
        "positions": {campaign.proposals[0].pk: "supports"}, "source": "lettre",
        "stated_on": date(2026, 11, 1),
    }  # fmt: skip
    if allowed:
        assert len(services.do_record_stances(**record)) == 1
    else:
        with pytest.raises(Refused):
            services.do_record_stances(**record)
        assert Stance.objects.count() == 0


def test_a_representative_of_another_directory_is_refused(make_campaign, make_member):
    one, other = make_campaign(), make_campaign()
    staff = make_member(one.organisation, "admin")
    with pytest.raises(ValidationError, match="not part of the campaign"):
        services.do_record_stances(
            person=staff, instance=one.instance, representative=rep(other, "PA1"),
            positions={one.proposals[0].pk: "supports"}, source="lettre",
            stated_on=date(2026, 11, 1),
        )  # fmt: skip
    assert Stance.objects.count() == 0
