"""The idea box's API: open data, paginated, filtered, pseudonymised, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parlons.contributions.exports import pseudonym
from parlons.contributions.services import do_comment, do_support
from parlons.modules.ideas.tests.bulk import fill

pytestmark = pytest.mark.django_db


def _base(box) -> str:
    return f"/api/v1/ideas/{box.organisation.slug}/{box.process.slug}/{box.instance.slug}"


def test_ideas_are_listed_with_filters_and_pages(client, idea_box, make_idea, make_category):
    green = make_category(idea_box, "vert")
    first = make_idea(idea_box, title="Un jardin", category=green)
    second = make_idea(idea_box, title="Une fontaine", status="accepted")
    make_idea(idea_box, title="Cachée", hidden_at=timezone.now())
    make_idea(idea_box, title="Retirée", status="withdrawn")
    body = client.get(f"{_base(idea_box)}/ideas?order=oldest&limit=1").json()
    assert body["count"] == 2
    assert [i["title"] for i in body["items"]] == ["Un jardin"]
    item = body["items"][0]
    assert (item["id"], item["category"], item["status"]) == (first.pk, "vert", "published")
    assert item["author"] == pseudonym(
        instance_id=idea_box.instance.pk, participant_id=first.author_id
    )
    assert "@" not in str(body)
    assert [
        i["id"] for i in client.get(f"{_base(idea_box)}/ideas?category=vert").json()["items"]
    ] == [first.pk]
    assert [
        i["id"] for i in client.get(f"{_base(idea_box)}/ideas?status=accepted").json()["items"]
    ] == [second.pk]
    assert [i["id"] for i in client.get(f"{_base(idea_box)}/ideas?q=fontaine").json()["items"]] == [
        second.pk
    ]
    unknown = client.get(f"{_base(idea_box)}/ideas?category=nope")
    assert (unknown.status_code, unknown.json()["error"]["message"]) == (422, "Unknown category.")
    assert client.get(f"{_base(idea_box)}/ideas?limit=1000").status_code == 422
    assert client.get(f"{_base(idea_box)}/ideas/{second.pk}").json()["title"] == "Une fontaine"
    hidden = make_idea(idea_box, hidden_at=timezone.now())
    assert client.get(f"{_base(idea_box)}/ideas/{hidden.pk}").status_code == 404


def test_comments_and_supports_are_open_data_without_names(
    client, idea_box, make_idea, make_participant
):
    idea = make_idea(idea_box)
    person = make_participant(display_name="Zoé Secret")
    comment = do_comment(person=person, obj=idea, body="Je soutiens.")
    do_support(person=person, obj=idea)
    comments = client.get(f"{_base(idea_box)}/comments?idea={idea.pk}").json()
    supports = client.get(f"{_base(idea_box)}/supports").json()
    code = pseudonym(instance_id=idea_box.instance.pk, participant_id=person.pk)
    assert [(c["id"], c["author"], c["body"]) for c in comments["items"]] == [
        (comment.pk, code, "Je soutiens.")
    ]
    assert [(s["idea"], s["participant"]) for s in supports["items"]] == [(idea.pk, code)]
    assert "Zoé" not in str(comments) + str(supports)


def test_private_processes_and_other_addresses_are_not_found(client, make_idea_box):
    box = make_idea_box()
    box.process.visibility = "private"
    box.process.save()
    assert client.get(f"{_base(box)}/ideas").status_code == 404
    assert client.get(f"/api/v1/ideas/{box.organisation.slug}/nope/x/ideas").status_code == 404
    assert client.get("/api/v1/ideas/bad%00slug/p/i/ideas").status_code == 404


def test_the_api_list_runs_a_constant_number_of_queries(client, make_idea_box, make_participant):
    person = make_participant()
    small, large = make_idea_box(), make_idea_box()
    fill(small.instance, ideas=5, comments_per_idea=2, author=person)
    fill(large.instance, ideas=500, comments_per_idea=6, author=person)
    counts = []
    for box in (small, large):
        for path in ("ideas", "comments", "supports"):
            client.get(f"{_base(box)}/{path}")
            with CaptureQueriesContext(connection) as queries:
                client.get(f"{_base(box)}/{path}?limit=50")
            counts.append((path, len(queries)))
    assert counts[:3] == counts[3:]
