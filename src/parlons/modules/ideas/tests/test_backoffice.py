"""Organisers' pages: evaluators' list with filters and bulk status changes, settings,
categories, the moderation queue."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from parlons.contributions.models import Answer
from parlons.contributions.panels import backoffice_url
from parlons.contributions.services import do_report, do_support
from parlons.core.audit.models import AuditEntry
from parlons.modules.ideas.models import Category

pytestmark = pytest.mark.django_db


def _kw(box):
    return {
        "organisation_slug": box.organisation.slug,
        "process_slug": box.process.slug,
        "instance_slug": box.instance.slug,
    }


@pytest.fixture
def admin(idea_box, make_member):
    from allauth.mfa.totp.internal.auth import TOTP

    person = make_member(idea_box.organisation, "admin")
    TOTP.activate(person, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return person


def test_evaluators_filter_and_change_statuses_in_bulk(
    client,
    idea_box,
    make_idea,
    make_participant,
    make_member,
    make_category,
    django_capture_on_commit_callbacks,
):
    green = make_category(idea_box, "vert")
    ideas = [make_idea(idea_box, category=green) for _ in range(3)]
    make_idea(idea_box, title="Hors catégorie")
    supporter = make_participant(language="de")
    do_support(person=supporter, obj=ideas[0])
    evaluator = make_member(idea_box.organisation, "evaluator")
    client.force_login(evaluator)
    url = reverse("bo_ideas:index", kwargs=_kw(idea_box))

    listed = client.get(url, {"category": green.pk})
    assert {i.pk for i in listed.context["ideas"]} == {i.pk for i in ideas}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "ideas": [ideas[0].pk, ideas[1].pk],
                "status": "accepted",
                "explanation_fr": "Retenues pour le budget 2027.",
            },
        )
    assert response.status_code == 302
    assert sorted(Answer.objects.values_list("target_id", "status")) == sorted(
        [(ideas[0].pk, "accepted"), (ideas[1].pk, "accepted")]
    )
    statuses = {i.pk: i.status for i in type(ideas[0]).objects.filter(pk__in=[i.pk for i in ideas])}
    assert statuses == {ideas[0].pk: "accepted", ideas[1].pk: "accepted", ideas[2].pk: "published"}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([ideas[0].author.email, ideas[1].author.email, supporter.email])
    assert client.get(url, {"status": "accepted"}).context["page"].paginator.count == 2


def test_an_empty_bulk_change_says_so_and_changes_nothing(client, idea_box, make_idea, make_member):
    make_idea(idea_box)
    client.force_login(make_member(idea_box.organisation, "evaluator"))
    response = client.post(reverse("bo_ideas:index", kwargs=_kw(idea_box)), {"status": "rejected"})
    assert "Cochez au moins une idée." in response.content.decode()
    assert Answer.objects.count() == 0


def test_moderators_and_analysts_read_the_list_but_cannot_answer(
    client, idea_box, make_idea, make_member
):
    idea = make_idea(idea_box)
    url = reverse("bo_ideas:index", kwargs=_kw(idea_box))
    for role in ("moderator", "analyst"):
        client.force_login(make_member(idea_box.organisation, role))
        assert client.get(url).status_code == 200
        assert client.post(url, {"ideas": [idea.pk], "status": "rejected"}).status_code == 404
    assert Answer.objects.count() == 0


def test_participants_do_not_reach_the_back_office(client, idea_box, make_participant):
    client.force_login(make_participant())
    assert client.get(reverse("bo_ideas:index", kwargs=_kw(idea_box))).status_code == 404


def test_the_answer_page_publishes_and_goes_back(client, idea_box, make_idea, make_member):
    idea = make_idea(idea_box)
    client.force_login(make_member(idea_box.organisation, "evaluator"))
    url = backoffice_url("answer", instance=idea_box.instance, target="ideas.idea", pk=idea.pk)
    back = reverse("bo_ideas:index", kwargs=_kw(idea_box))
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"status": "rejected", "explanation_fr": "Hors compétence.", "next": back}
    )
    assert response["Location"] == back
    assert Answer.objects.get().explanation == {"fr": "Hors compétence."}
    evil = client.post(url, {"status": "rejected", "next": "https://evil.example/"})
    assert evil["Location"].startswith("/")


def test_administrators_change_the_settings(client, idea_box, admin):
    client.force_login(admin)
    url = reverse("bo_ideas:settings", kwargs=_kw(idea_box))
    assert client.get(url).status_code == 200
    refused = client.post(url, {"map_tile_url": "http://tiles.example/{z}/{x}.png"})
    assert refused.status_code == 200
    assert "Indiquez une adresse https contenant {z}, {x} et {y}." in refused.content.decode()
    response = client.post(
        url,
        {
            "max_supports_per_participant": "5",
            "support_threshold": "100",
            "default_order": "newest",
            "map_tile_url": "https://tile.example.org/{z}/{x}/{y}.png",
        },
    )
    assert response.status_code == 302
    idea_box.instance.refresh_from_db()
    assert idea_box.instance.settings["max_supports_per_participant"] == 5
    assert idea_box.instance.settings["default_order"] == "newest"
    assert idea_box.instance.settings["hide_after_reports"] == 3
    assert AuditEntry.objects.filter(code="ideas.settings.updated").count() == 1


def test_administrators_add_and_delete_categories(client, idea_box, admin):
    client.force_login(admin)
    url = reverse("bo_ideas:categories", kwargs=_kw(idea_box))
    client.post(url, {"name_fr": "Mobilité douce", "name_en": "Soft mobility"})
    category = Category.objects.get()
    assert (category.code, category.name) == (
        "mobilite-douce",
        {"fr": "Mobilité douce", "en": "Soft mobility"},
    )
    client.post(url, {"delete": category.pk})
    assert Category.objects.count() == 0


def test_the_moderation_queue_lists_reports_and_hides(
    client, idea_box, make_idea, make_participant, make_member
):
    idea = make_idea(idea_box, title="Une idée signalée")
    do_report(person=make_participant(), obj=idea, reason="offensive", details="Injurieux")
    client.force_login(make_member(idea_box.organisation, "moderator"))
    url = backoffice_url("moderation", instance=idea_box.instance)
    page = client.get(url).content.decode()
    assert "Une idée signalée" in page and "Injurieux" in page
    client.post(url, {"action": "hide", "target": "ideas.idea", "pk": idea.pk, "note": "Non."})
    idea.refresh_from_db()
    assert idea.hidden_at is not None
    assert "Une idée signalée" in client.get(url, {"show": "hidden"}).content.decode()
    assert (
        client.post(url, {"action": "explode", "target": "ideas.idea", "pk": idea.pk}).status_code
        == 404
    )
