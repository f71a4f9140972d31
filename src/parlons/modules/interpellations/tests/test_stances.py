"""Stances: staff record them from a reply (source and date), representatives give them
through their personal link; the public scoreboard and each representative's page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parlons.core.permissions import Refused
from parlons.modules.interpellations import services
from parlons.modules.interpellations.models import Message, Stance
from parlons.modules.interpellations.tests.conftest import link_path, rep, url

pytestmark = pytest.mark.django_db


def _bo(setup, name: str, **kwargs) -> str:
    return reverse(
        f"bo_interpellations:{name}",
        kwargs={
            "organisation_slug": setup.organisation.slug,
            "process_slug": setup.process.slug,
            "instance_slug": setup.instance.slug,
            **kwargs,
        },
    )


def test_staff_record_a_stance_from_a_reply_and_the_scoreboard_shows_it(campaign, staff, client):
    client.force_login(staff)
    martin = rep(campaign, "PA2")
    first, second, _third = campaign.proposals

    response = client.post(
        _bo(campaign, "record", pk=martin.pk),
        {
            f"proposal-{first.pk}": "supports",
            f"proposal-{second.pk}": "opposes",
            "source": "https://example.org/reponse-anne-martin",
            "stated_on": "2026-11-20",
        },
    )

    assert response.status_code == 302
    stances = {s.proposal_id: s for s in Stance.objects.filter(representative=martin)}
    assert {k: s.position for k, s in stances.items()} == {
        first.pk: "supports",
        second.pk: "opposes",
    }
    assert stances[first.pk].stated_on == date(2026, 11, 20)
    assert stances[first.pk].recorded_by == staff and not stances[first.pk].by_representative
    board = client.get(url(campaign, "scoreboard"))
    row = next(cells for r, cells in board.context["rows"] if r.pk == martin.pk)
    assert [c.position if c else None for c in row] == ["supports", "opposes", None]
    page = client.get(url(campaign, "representative", pk=martin.pk)).content.decode()
    assert "Supports" in page and "https://example.org/reponse-anne-martin" in page


def test_a_stance_without_source_or_date_or_by_a_participant_is_refused(
    campaign, staff, make_participant
):
    martin, first = rep(campaign, "PA2"), campaign.proposals[0]
    values = {"instance": campaign.instance, "representative": martin,
              "positions": {first.pk: "supports"}}  # fmt: skip
    with pytest.raises(ValidationError) as missing:
        services.do_record_stances(person=staff, source="", stated_on=None, **values)
    assert set(missing.value.message_dict) == {"source", "stated_on"}
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.do_record_stances(
            person=staff, source="courrier", stated_on=date.today() + timedelta(days=2), **values
        )
    with pytest.raises(ValidationError, match="Choose a stance"):
        services.do_record_stances(
            person=staff, source="courrier", stated_on=date.today(),
            **{**values, "positions": {first.pk: "maybe"}},
        )  # fmt: skip
    with pytest.raises(Refused):
        services.do_record_stances(
            person=make_participant(), source="courrier", stated_on=date.today(), **values
        )
    assert Stance.objects.count() == 0


def test_the_representative_states_their_stances_through_the_personal_link(
    campaign, client, make_participant, django_capture_on_commit_callbacks
):
    from django.core import mail

    breton = rep(campaign, "PA1")
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send_messages(
            person=make_participant(), instance=campaign.instance, representatives=[breton.pk],
            postcode="01000", subject="Cinq propositions", body="Je vous demande de soutenir.",
        )  # fmt: skip
    link = link_path(mail.outbox[0].body, "/stance/")
    first, second, third = campaign.proposals

    page = client.get(link)
    assert page.status_code == 200
    response = client.post(
        link,
        {
            f"proposal-{first.pk}": "supports",
            f"proposal-{second.pk}": "undecided",
            f"proposal-{third.pk}": "supports",
            "comment": "Je soutiens la démarche.",
        },
    )

    assert response.status_code == 302
    stances = Stance.objects.filter(representative=breton).order_by("proposal_id")
    assert [(s.position, s.by_representative) for s in stances] == [
        ("supports", True),
        ("undecided", True),
        ("supports", True),
    ]
    board = client.get(url(campaign, "scoreboard"), {"group": "Droite Républicaine"})
    assert [(r.name, r.received) for r, _cells in board.context["rows"]] == [("Xavier Breton", 1)]
    forged = link.replace("/stance/", "/stance/x")
    assert client.post(forged, {f"proposal-{first.pk}": "opposes"}).status_code == 404
    assert Stance.objects.get(representative=breton, proposal=first).position == "supports"


def test_a_personal_link_of_another_campaign_is_refused(make_campaign, client):
    one, other = make_campaign(), make_campaign()
    token = services.stance_link_token(instance=one.instance, representative=rep(one, "PA1"))
    assert client.get(url(other, "stance_link", token=token)).status_code == 404


def test_scoreboard_filters_and_constant_queries(campaign, client, staff):
    for external_id in ("PA1", "PA2", "PA3"):
        services.do_record_stances(
            person=staff, instance=campaign.instance, representative=rep(campaign, external_id),
            positions={p.pk: "supports" for p in campaign.proposals},
            source="courrier", stated_on=date.today(),
        )  # fmt: skip
    client.get(url(campaign, "scoreboard"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(url(campaign, "scoreboard"))
    by_area = client.get(url(campaign, "scoreboard"), {"area": "01002"})
    assert [r.name for r, _ in by_area.context["rows"]] == ["Luc Durand"]
    by_name = client.get(url(campaign, "scoreboard"), {"q": "mart"})
    assert [r.name for r, _ in by_name.context["rows"]] == ["Anne Martin"]
    more = make_more_representatives(campaign, 40)
    with CaptureQueriesContext(connection) as many:
        client.get(url(campaign, "scoreboard"))
    assert more == 40 and len(many) == len(few)


def make_more_representatives(setup, count: int) -> int:
    from parlons.modules.interpellations.models import Constituency, Representative

    area = Constituency.objects.get(directory=setup.directory, code="01001")
    for n in range(count):
        added = Representative.objects.create(
            directory=setup.directory, external_id=f"X{n}", name=f"Député {n}", group="G"
        )
        added.constituencies.add(area)
        Message.objects.create(
            instance=setup.instance, representative=added, sender_key=f"s{n}@example.org",
            sender_name="S", sender_email=f"s{n}@example.org", subject="s", body="b",
        )  # fmt: skip
    return count


def test_staff_send_the_personal_link(campaign, staff, client, django_capture_on_commit_callbacks):
    from django.core import mail

    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _bo(campaign, "record", pk=rep(campaign, "PA3").pk), {"send_link": "1"}
        )
    assert response.status_code == 302
    assert [e.to for e in mail.outbox] == [["luc.durand@an.example"]]
    assert "/stance/" in mail.outbox[0].body
