"""The API router and the exports (open data: stances, messages received)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from parlons.modules.interpellations import exports, services
from parlons.modules.interpellations.models import Message
from parlons.modules.interpellations.tests.conftest import rep

pytestmark = pytest.mark.django_db


def _api(setup, path: str) -> str:
    return f"/api/v1/interpellations/{setup.organisation.slug}/{setup.process.slug}/{setup.instance.slug}{path}"


def _stance(setup, staff, external_id: str, position: str):
    return services.do_record_stances(
        person=staff, instance=setup.instance, representative=rep(setup, external_id),
        positions={setup.proposals[0].pk: position}, source="lettre", stated_on=date(2026, 11, 2),
    )  # fmt: skip


def _message(setup, external_id: str, n: int):
    from django.utils import timezone

    Message.objects.create(
        instance=setup.instance, representative=rep(setup, external_id),
        sender_key=f"s{n}@example.org", sender_name="S", sender_email=f"s{n}@example.org",
        subject="s", body="b", sent_at=timezone.now(),
    )  # fmt: skip


def test_scoreboard_proposals_and_postcodes_by_api(campaign, staff, client):
    _stance(campaign, staff, "PA2", "supports")
    _message(campaign, "PA2", 1)
    _message(campaign, "PA2", 2)

    proposals = client.get(_api(campaign, "/proposals")).json()
    board = client.get(_api(campaign, "/scoreboard")).json()
    postcode = client.get(_api(campaign, "/postcodes/01000")).json()
    unknown = client.get(_api(campaign, "/postcodes/99999"), HTTP_ACCEPT_LANGUAGE="en")

    assert [p["number"] for p in proposals] == [1, 2, 3]
    assert board["count"] == 3
    martin = next(r for r in board["items"] if r["id"] == "PA2")
    assert martin["messages"] == 2 and martin["constituencies"] == ["01004"]
    assert martin["stances"] == [{"proposal": proposals[0]["id"], "stance": "supports",
                                  "source": "lettre", "stated_on": "2026-11-02",
                                  "by_representative": False}]  # fmt: skip
    assert [r["name"] for r in postcode["representatives"]] == ["Xavier Breton", "Anne Martin"]
    assert unknown.status_code == 422 and "is unknown" in unknown.json()["error"]["message"]
    filtered = client.get(_api(campaign, "/scoreboard"), {"group": "Écologiste et Social"}).json()
    assert [r["id"] for r in filtered["items"]] == ["PA2"]
    assert "sender" not in str(board)  # no sender ever appears


def test_exports_list_every_representative_and_proposal(campaign, staff):
    _stance(campaign, staff, "PA1", "opposes")
    _message(campaign, "PA1", 1)

    stances = list(
        csv.reader(
            io.StringIO(
                b"".join(exports.stances_csv(instance=campaign.instance)).decode("utf-8-sig")
            )
        )
    )
    counts = list(
        csv.reader(
            io.StringIO(
                b"".join(exports.counts_csv(instance=campaign.instance)).decode("utf-8-sig")
            )
        )
    )

    assert stances[0] == list(exports.STANCE_HEADER)
    assert len(stances) == 1 + 3 * 3
    assert stances[1][:3] + stances[1][6:9] == ["PA1", "Xavier Breton", "Droite Républicaine",
                                                "opposes", "lettre", "2026-11-02"]  # fmt: skip
    assert [row[6] for row in stances[2:4]] == ["no_answer", "no_answer"]
    assert {row[0]: row[4] for row in counts[1:]} == {"PA1": "1", "PA2": "0", "PA3": "0"}
