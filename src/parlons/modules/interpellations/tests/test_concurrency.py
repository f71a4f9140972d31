"""PostgreSQL: parallel repeats of one message (and of one stance) keep exactly one row."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from parlons.core.tenancy import scope
from parlons.modules.interpellations import services
from parlons.modules.interpellations.models import Message, Stance
from parlons.modules.interpellations.tests.conftest import rep
from parlons.testing.concurrency import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_repeats_of_one_message_keep_one(make_campaign, make_participant):
    setup = make_campaign(settings={"messages_per_hour": 1000, "messages_per_hour_per_ip": 1000})
    people = [make_participant(f"p{n}@example.org") for n in range(10)]
    martin = rep(setup, "PA2").pk

    def send(person):
        with scope(organisation=setup.organisation):  # as a request under its address
            messages, _pending = services.do_send_messages(
                person=person, instance=setup.instance, representatives=[martin],
                postcode="01000", subject="Cinq propositions",
                body="Je vous demande de soutenir ces propositions.",
            )  # fmt: skip
        return len(messages)

    results = in_parallel(send, [p for p in people for _ in range(4)], threads=16)

    assert results.count(1) == 10
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 30
    assert all(
        set(r.message_dict) == {"representatives"} and "Anne Martin" in str(r) for r in refused
    )
    assert Message.objects.filter(instance=setup.instance).count() == 10
    assert Message.objects.values("sender_key").distinct().count() == 10


def test_parallel_stances_on_one_proposal_keep_one(make_campaign, make_member):
    setup = make_campaign()
    staff = make_member(setup.organisation, "evaluator")
    breton, first = rep(setup, "PA1"), setup.proposals[0]

    def record(position):
        with scope(organisation=setup.organisation):
            return services.do_record_stances(
                person=staff, instance=setup.instance, representative=breton,
                positions={first.pk: position}, source="lettre", stated_on=date(2026, 11, 1),
            )  # fmt: skip

    results = in_parallel(record, ["supports", "opposes"] * 8, threads=16)

    assert not [r for r in results if isinstance(r, Exception)]
    assert Stance.objects.filter(representative=breton, proposal=first).count() == 1
