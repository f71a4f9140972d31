"""Organisers: the guided editor with its gentle checks, publishing, moderation of
proposals, bulk invalidation, and what personal data petitions export and erase."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parlons.modules.petitions.models import Petition, Signature, Status

pytestmark = pytest.mark.django_db


def bo(instance, name="index", **extra):
    from django.utils import translation

    process = instance.process
    with translation.override("en"):
        return reverse(
            f"bo_petitions:{name}",
            kwargs={
                "organisation_slug": process.organisation.slug,
                "process_slug": process.slug,
                "instance_slug": instance.slug,
                **extra,
            },
        )


@pytest.fixture
def moderator_client(client, petition, make_member):
    person = make_member(petition.instance.process.organisation, role="moderator")
    client.force_login(person)
    return client


def test_a_moderator_writes_a_petition_sees_the_gentle_checks_and_publishes(
    moderator_client, petition
):
    instance = petition.instance
    response = moderator_client.post(
        bo(instance, "new"),
        {"title": "Des arbres", "ask": "Planter 100 arbres.", "goal": "", "thresholds": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    created = Petition.objects.get(title="Des arbres")
    assert response.status_code == 302 and created.status == Status.DRAFT
    review = moderator_client.get(bo(instance, "review", pk=created.pk)).content.decode()
    assert "Name the decision-maker" in review and "Choose a deadline" in review
    moderator_client.post(bo(instance, "review", pk=created.pk), {"action": "publish"})
    created.refresh_from_db()
    assert created.status == Status.PUBLISHED and created.published_at is not None
    listing = moderator_client.get(bo(instance)).content.decode()
    assert "Des arbres" in listing


def test_bad_thresholds_and_a_past_deadline_are_refused(moderator_client, petition):
    response = moderator_client.post(
        bo(petition.instance, "new"),
        {"title": "X", "ask": "Y", "thresholds": "beaucoup: rien", "deadline": "2001-01-01T10:00"},
    )
    assert response.status_code == 200
    assert Petition.objects.filter(title="X").count() == 0
    page = response.content.decode()
    assert "Line 1" in page or "Ligne 1" in page


def test_a_proposal_waits_for_moderation_and_can_be_rejected(
    client, make_petition, make_participant, make_member
):
    from parlons.modules.petitions.services import do_propose_petition, do_reject_petition

    petition = make_petition(settings={"participants_propose": True})
    person = make_participant()
    proposal = do_propose_petition(
        instance=petition.instance, person=person, fields={"title": "Banc", "ask": "Un banc."}
    )
    assert proposal.status == Status.PENDING and proposal.owner == person
    from parlons.modules.petitions.tests.conftest import urls

    assert client.get(urls(proposal)).status_code == 404  # not public before moderation
    moderator = make_member(petition.instance.process.organisation, role="moderator")
    do_reject_petition(petition=proposal, actor=moderator)
    assert Petition.objects.get(pk=proposal.pk).status == Status.REJECTED


def test_proposals_are_refused_where_the_setting_is_off(make_petition, make_participant):
    from django.core.exceptions import ValidationError

    from parlons.modules.petitions.services import do_propose_petition

    petition = make_petition()
    with pytest.raises(ValidationError):
        do_propose_petition(
            instance=petition.instance, person=make_participant(), fields={"title": "B", "ask": "C"}
        )
    assert Petition.objects.count() == 1


def test_the_invalidation_page_sets_aside_and_lists(moderator_client, petition):
    Signature.objects.create(petition=petition, email="a@spam.example", name="A", postcode="1")
    response = moderator_client.post(
        bo(petition.instance, "invalidate", pk=petition.pk),
        {"domain": "spam.example", "reason": "ferme à clics"},
    )
    assert response.status_code == 302
    assert Signature.objects.get().invalidated_at is not None
    page = moderator_client.get(bo(petition.instance, "invalidate", pk=petition.pk))
    assert "ferme à clics" in page.content.decode()


def test_participants_do_not_reach_the_backoffice(client, petition, make_participant):
    client.force_login(make_participant())
    assert client.get(bo(petition.instance)).status_code == 404


def test_personal_data_export_and_erase(petition, make_participant):
    from parlons.modules.petitions.personal_data import erase, export

    person = make_participant("paul@example.org")
    Signature.objects.create(
        petition=petition, email="paul@example.org", name="Paul", postcode="75011", comment="Oui"
    )
    data = export(participant=person)
    assert [s["name"] for s in data["signatures"]] == ["Paul"]
    erase(participant=person)
    kept = Signature.objects.get()
    assert (kept.email, kept.name, kept.comment, kept.postcode) == (None, "", "", "75011")
