"""The list of ideas: search, filters, orders (random with a stable seed), pages, and a
constant number of queries whatever the number of ideas and comments."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parlons.modules.ideas.tests.bulk import fill

pytestmark = pytest.mark.django_db


def _list(box, language="fr"):
    return reverse(
        "ideas:detail",
        kwargs={
            "organisation_slug": box.organisation.slug,
            "process_slug": box.process.slug,
            "instance_slug": box.instance.slug,
        },
    )


def _titles(response) -> list[str]:
    return [idea.title for idea in response.context["ideas"]]


def test_search_filters_and_orders(client, idea_box, make_idea, make_category):
    from parlons.core.processes.models import Area

    mobility, nature = make_category(idea_box, "mobilite"), make_category(idea_box, "nature")
    north = Area.objects.create(organisation=idea_box.organisation, code="nord", name={"fr": "N"})
    bikes = make_idea(idea_box, title="Une piste cyclable", category=mobility, support_count=9)
    trees = make_idea(
        idea_box, title="Des arbres rue Haute", category=nature, area=north, support_count=1
    )
    bus = make_idea(
        idea_box, title="Un bus de nuit", category=mobility, status="accepted", comment_count=4
    )
    make_idea(idea_box, title="Retirée", status="withdrawn")
    url = _list(idea_box)

    assert sorted(_titles(client.get(url))) == sorted([bikes.title, trees.title, bus.title])
    assert _titles(client.get(url, {"q": "arbres"})) == [trees.title]
    assert _titles(client.get(url, {"q": "CYCLABLE"})) == [bikes.title]
    assert _titles(client.get(url, {"category": "nature"})) == [trees.title]
    assert _titles(client.get(url, {"area": "nord"})) == [trees.title]
    assert _titles(client.get(url, {"status": "accepted"})) == [bus.title]
    assert _titles(client.get(url, {"order": "supported"}))[:2] == [bikes.title, trees.title]
    assert _titles(client.get(url, {"order": "commented"}))[0] == bus.title
    assert _titles(client.get(url, {"order": "newest"})) == [bus.title, trees.title, bikes.title]
    assert _titles(client.get(url, {"order": "oldest"})) == [bikes.title, trees.title, bus.title]


def test_an_unknown_category_in_the_filters_says_so(client, idea_box, make_idea):
    make_idea(idea_box)
    response = client.get(_list(idea_box), {"category": "licornes"})
    assert response.status_code == 200
    assert "« licornes » ne fait pas partie des choix." in response.content.decode()


def test_the_random_order_is_stable_for_a_seed_and_differs_between_seeds(client, idea_box):
    fill(idea_box.instance, ideas=60, comments_per_idea=0)
    url = _list(idea_box)
    first = client.get(url, {"order": "random", "seed": "12345"})
    again = client.get(url, {"order": "random", "seed": "12345"})
    other = client.get(url, {"order": "random", "seed": "987654"})
    assert _titles(first) == _titles(again)
    assert _titles(first) != _titles(other)
    page_two = client.get(url, {"order": "random", "seed": "12345", "page": "2"})
    assert not set(_titles(first)) & set(_titles(page_two))
    assert "seed=12345" in page_two.content.decode()  # the links keep the visitor's seed


def test_a_logged_in_visitor_keeps_their_seed_in_the_session(client, idea_box, make_participant):
    fill(idea_box.instance, ideas=30, comments_per_idea=0)
    client.force_login(make_participant())
    first = client.get(_list(idea_box))
    assert first.context["filters"].order == "random"
    assert _titles(client.get(_list(idea_box))) == _titles(first)


def test_pages_of_twenty(client, idea_box):
    fill(idea_box.instance, ideas=45, comments_per_idea=0)
    url = _list(idea_box)
    pages = [client.get(url, {"order": "newest", "page": n}) for n in (1, 2, 3)]
    assert [len(_titles(p)) for p in pages] == [20, 20, 5]
    assert pages[0].context["page"].paginator.count == 45
    assert "45 idées" in pages[0].content.decode()


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_list_and_an_idea_page_run_a_constant_number_of_queries(
    client,
    make_idea_box,
    make_participant,
    django_assert_num_queries,
    logged_in,
):
    person = make_participant()
    small, large = make_idea_box(), make_idea_box()
    small_ids = fill(small.instance, ideas=5, comments_per_idea=3, author=person, supporter=person)
    large_ids = fill(
        large.instance, ideas=600, comments_per_idea=9, author=person, supporter=person
    )
    if logged_in:
        client.force_login(person)
    for order in ("random", "newest", "supported"):
        client.get(_list(small), {"order": order})  # warm the caches (content types, sessions)
        expected = _count(client, _list(small), order=order)
        with django_assert_num_queries(expected):
            client.get(_list(large), {"order": order})
    small_idea = reverse("ideas:idea", kwargs={**_kw(small), "pk": small_ids[0]})
    large_idea = reverse("ideas:idea", kwargs={**_kw(large), "pk": large_ids[0]})
    expected = _count(client, small_idea)
    with django_assert_num_queries(expected):
        client.get(large_idea)


def _kw(box):
    return {
        "organisation_slug": box.organisation.slug,
        "process_slug": box.process.slug,
        "instance_slug": box.instance.slug,
    }
