"""Similar ideas while typing a title: the best matches, as JSON and in the preview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parlons.modules.ideas.selectors import similar_ideas

pytestmark = pytest.mark.django_db


def test_the_best_matches_come_first(idea_box, make_idea):
    bikes = make_idea(idea_box, title="Une piste cyclable le long du lac")
    parking = make_idea(idea_box, title="Un parking à vélos près de la gare")
    lane = make_idea(idea_box, title="Piste cyclable rue de la Gare")
    make_idea(idea_box, title="Des fontaines dans les parcs")
    make_idea(idea_box, title="Piste cyclable retirée", status="withdrawn")
    found = similar_ideas(instance=idea_box.instance, title="piste cyclable vers la gare")
    assert [i.pk for i in found] == [lane.pk, bikes.pk, parking.pk]
    assert similar_ideas(instance=idea_box.instance, title="les des une") == []
    assert similar_ideas(instance=idea_box.instance, title="Pistes Cyclables") == []
    accents = similar_ideas(instance=idea_box.instance, title="vélos")
    assert [i.pk for i in accents] == [parking.pk]


def test_the_hint_answers_json(client, idea_box, make_idea):
    make_idea(idea_box, title="Des bancs sur la promenade")
    url = reverse(
        "ideas:similar",
        kwargs={
            "organisation_slug": idea_box.organisation.slug,
            "process_slug": idea_box.process.slug,
            "instance_slug": idea_box.instance.slug,
        },
    )
    body = client.get(url, {"title": "bancs promenade"}).json()
    assert [i["title"] for i in body["ideas"]] == ["Des bancs sur la promenade"]
    assert body["ideas"][0]["url"].startswith("/fr/")
    assert client.get(url, {"title": "x" * 5000}).status_code == 200
