"""The demo city's campaign loads once: five proposals, three deputies, a first stance;
its pages answer in every language."""

from __future__ import annotations

import pytest

from parlons.core.operations.demo import load_demo
from parlons.modules.interpellations.models import Proposal, Representative, Stance

pytestmark = pytest.mark.django_db

BASE = "/{}/villeneuve/interpellez-vos-deputes/interpellations/cinq-propositions/"


def test_the_demo_campaign_is_complete_and_loads_once(client):
    load_demo()
    load_demo()

    assert Proposal.objects.count() == 5
    assert Representative.objects.count() == 3
    assert sorted(Stance.objects.values_list("position", flat=True)) == ["supports"] * 4 + [
        "undecided"
    ]
    for language in ("fr", "en", "de"):
        for path in ("", "scoreboard/", "write/?postcode=38100"):
            assert client.get(BASE.format(language) + path).status_code == 200
    page = client.get(BASE.format("en") + "write/?postcode=38200").content.decode()
    assert "Villeneuve-sur-Lac" in page and "Les Rives" in page  # a postcode of two communes
    board = client.get(BASE.format("de") + "scoreboard/").content.decode()
    assert "Hélène Garnier" in board and "Dafür" in board
