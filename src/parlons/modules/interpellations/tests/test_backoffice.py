"""Organisers set up a campaign: its directory and texts, its proposals; exports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parlons.modules.interpellations.models import Campaign, Proposal

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


def test_set_up_the_campaign_and_its_proposals(campaign, staff, client):
    client.force_login(staff)

    saved = client.post(
        _bo(campaign, "index"),
        {
            "directory": campaign.directory.pk,
            "introduction_fr": "Nouvelle introduction.",
            "subject_fr": "Un nouvel objet",
            "subject_de": "Ein neuer Betreff",
            "template_fr": "Un nouveau modèle de message.",
        },
    )
    added = client.post(
        _bo(campaign, "proposals"), {"title_fr": "Proposition 4", "text_fr": "**Texte**"}
    )
    first = campaign.proposals[0]
    changed = client.post(
        _bo(campaign, "proposals") + f"?edit={first.pk}", {"title_fr": "Proposition 1 bis"}
    )
    deleted = client.post(_bo(campaign, "proposals"), {"delete": campaign.proposals[2].pk})
    empty = client.post(_bo(campaign, "proposals"), {"title_fr": ""})

    assert [r.status_code for r in (saved, added, changed, deleted)] == [302] * 4
    assert empty.status_code == 400
    stored = Campaign.objects.get(instance=campaign.instance)
    assert stored.subject == {"fr": "Un nouvel objet", "de": "Ein neuer Betreff"}
    assert list(Proposal.objects.filter(instance=campaign.instance).values_list("title__fr", flat=True)) == [
        "Proposition 1 bis", "Proposition 2", "Proposition 4"
    ]  # fmt: skip
    page = client.get(_bo(campaign, "index"))
    assert page.status_code == 200 and len(page.context["exporters"]) == 2
    export = client.get(page.context["exporters"][0][1])
    assert export.status_code == 200
    assert b"".join(export.streaming_content).decode("utf-8-sig").count("\n") == 1 + 3 * 3


def test_non_members_and_participants_do_not_reach_the_backoffice(
    campaign, client, make_participant
):
    assert client.get(_bo(campaign, "index")).status_code == 302  # to the login page
    client.force_login(make_participant())
    assert client.get(_bo(campaign, "index")).status_code == 404
    assert client.get(_bo(campaign, "stances")).status_code == 404
