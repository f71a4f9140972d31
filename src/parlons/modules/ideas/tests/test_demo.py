"""The demo city's idea box loads once, with counts, answers and places."""

from __future__ import annotations

import pytest

from parlons.contributions.models import Answer, Location
from parlons.core.operations.demo import load_demo
from parlons.modules.ideas.models import Category, Idea

pytestmark = pytest.mark.django_db


def test_the_demo_idea_box_is_complete_and_loads_once(client):
    load_demo()
    load_demo()
    assert Idea.objects.count() == 8
    assert Category.objects.count() == 4
    assert Answer.objects.count() == 3
    assert Location.objects.count() == 5
    bikes = Idea.objects.get(title="Une piste cyclable continue le long du lac")
    assert (bikes.support_count, bikes.comment_count, bikes.status) == (5, 3, "threshold_reached")
    assert set(Category.objects.values_list("name__de", flat=True)) == {
        "Mobilität",
        "Natur in der Stadt",
        "Kultur und Sport",
        "Zusammenleben",
    }
    for language in ("fr", "en", "de"):
        page = client.get(f"/{language}/villeneuve/villeneuve-demain/ideas/idees/")
        assert page.status_code == 200
    assert (
        "The idea box"
        in client.get("/en/villeneuve/villeneuve-demain/ideas/idees/").content.decode()
    )
