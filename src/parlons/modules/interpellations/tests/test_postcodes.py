"""Postcode → communes → constituencies → deputies, from the real tables (75011, 01000)."""

from __future__ import annotations

import pandas as pd
import pytest

from parlons.modules.interpellations import selectors
from parlons.modules.interpellations.models import PostcodeCommune, Representative
from parlons.modules.interpellations.tests.conftest import url
from parlons.testing.data import shared_data

pytestmark = pytest.mark.django_db


def _expected(postcode: str) -> tuple[set[str], set[str]]:
    """Constituencies and deputies of a postcode, computed from the files with pandas."""
    fr = shared_data("representatives", "fr")
    laposte = pd.read_csv(fr / "laposte_hexasmal.csv", sep=";", dtype=str)
    insee = pd.read_csv(fr / "circo_composition_insee.csv", sep=";", dtype=str,
                        encoding="utf-8-sig")  # fmt: skip
    deputies = pd.read_csv(fr / "deputes_actifs_datan.csv", dtype=str)
    communes = set(laposte.loc[laposte["Code_postal"] == postcode, "Code_commune_INSEE"])
    communes = {"75056" if c.startswith("751") else c for c in communes}  # Paris' arrondissements
    areas = set(insee.loc[insee["COMMUNE_RESID"].isin(communes), "circo"])
    codes = deputies["departementCode"] + deputies["circo"].astype(int).map("{:03d}".format)
    return areas, set(deputies.loc[codes.isin(areas), "id"])


def test_75011_finds_the_paris_constituencies_and_their_deputies(
    make_campaign, french_deputies, client
):
    setup = make_campaign(parsed=french_deputies)
    areas, deputies = _expected("75011")

    match = selectors.find_postcode(directory=setup.directory, postcode="75011")
    found = selectors.representatives_in(directory=setup.directory, area_codes=match.area_ids)

    assert [(c.code, c.name) for c in match.communes] == [("75111", "PARIS 11")]
    assert set(match.area_ids) == areas and len(areas) == 18
    assert {r.external_id for r in found} == deputies and len(deputies) == 18
    assert match.needs_choice  # INSEE lists Paris as one commune over 18 constituencies
    # The page asks which constituency, then lists its deputy.
    asked = client.get(url(setup, "write"), {"postcode": "75011"})
    assert asked.status_code == 200
    assert [c.value for c in asked.context["state"]["choices"]] == [
        f"75111:{code}" for code in sorted(areas)
    ]
    chosen = client.get(url(setup, "write"), {"postcode": "75011", "area": "75111:75006"})
    assert [r.name for r in chosen.context["representatives"]] == ["Sophia Chikirou"]
    assert "Sophia Chikirou" in chosen.content.decode()


def test_the_real_import_stores_every_postcode_and_deputy(make_campaign, french_deputies):
    setup = make_campaign(parsed=french_deputies)

    assert Representative.objects.filter(directory=setup.directory).count() == 577
    stored = PostcodeCommune.objects.filter(directory=setup.directory)
    assert stored.values("postcode").distinct().count() == len(
        french_deputies.postcodes.communes_by_postcode
    )
    areas, deputies = _expected("01000")
    match = selectors.find_postcode(directory=setup.directory, postcode="01000")
    assert set(match.area_ids) == areas == {"01001", "01004"}
    assert [(c.code, c.area_ids) for c in match.communes] == [
        ("01053", ("01001", "01004")),
        ("01344", ("01001",)),
    ]
    found = selectors.representatives_in(directory=setup.directory, area_codes=match.area_ids)
    assert {r.external_id for r in found} == deputies


def test_a_postcode_spanning_communes_offers_communes(campaign, client):
    page = client.get(url(campaign, "write"), {"postcode": "01000"})

    assert [(c.value, c.label) for c in page.context["state"]["choices"]] == [
        ("01053:01001", "Bourg-en-Bresse — Ain, 1re circonscription"),
        ("01053:01004", "Bourg-en-Bresse — Ain, 4e circonscription"),
        ("01344:01001", "Saint-Denis-lès-Bourg"),
    ]
    chosen = client.get(url(campaign, "write"), {"postcode": "01000", "area": "01344:01001"})
    assert [r.name for r in chosen.context["representatives"]] == ["Xavier Breton"]
    single = client.get(url(campaign, "write"), {"postcode": "01500"})
    assert [r.name for r in single.context["representatives"]] == ["Luc Durand"]


@pytest.mark.parametrize("postcode", ["99999", "75O11", "", "123"])
def test_unknown_or_malformed_postcode_is_a_clear_error(campaign, client, postcode):
    page = client.get(url(campaign, "write"), {"postcode": postcode})

    assert page.status_code == 400
    error = page.context["state"]["error"]
    assert ("is unknown" in error) if postcode == "99999" else ("is not a postcode" in error)
    assert "representatives" not in page.context


def test_the_error_speaks_the_page_language(campaign, client):
    english = url(campaign, "write")  # before any request activates another language
    french = client.get(english.replace("/en/", "/fr/", 1), {"postcode": "99999"})
    german = client.get(english.replace("/en/", "/de/", 1), {"postcode": "99999"})

    assert french.context["state"]["error"] == (
        "Le code postal 99999 est inconnu. Vérifiez-le et réessayez."
    )
    assert german.context["state"]["error"] == (
        "Die Postleitzahl 99999 ist unbekannt. Prüfen Sie sie und versuchen Sie es erneut."
    )
