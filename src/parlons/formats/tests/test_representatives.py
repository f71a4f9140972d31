"""Representatives formats on the real public files in ``shared/data/representatives``.

Expected values are worked out independently from the CSV files with pandas, then also
pinned as literals so that a silent change in either side shows up.
"""

import dataclasses
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from parlons.formats.representatives import (
    Area,
    Directory,
    Representative,
    RepresentativesFormatError,
    UnknownPostcode,
    diff_records,
    parse_popolo,
    read_french_deputies,
    read_meps,
    read_popolo,
    read_representatives_csv,
    read_uk_mps,
)

DATA = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "representatives"
FR = DATA / "fr"
POPOLO = DATA / "popolo" / "nigeria_house_of_representatives_ep-popolo-v1.0.json"
PARIS_CONSTITUENCIES = tuple(f"750{n:02d}" for n in range(1, 19))


@pytest.fixture(scope="module")
def data() -> Path:
    if not DATA.exists():
        pytest.skip(f"real representatives data not found at {DATA} (shared/data beside the repo)")
    return DATA


@pytest.fixture(scope="module")
def deputies(data: Path) -> Directory:
    return read_french_deputies(
        deputies=FR / "deputes_actifs_datan.csv",
        communes=FR / "circo_composition_insee.csv",
        postcodes=FR / "laposte_hexasmal.csv",
    )


def _independent_constituencies_for(postcode: str) -> set[str]:
    """Postcode → communes (La Poste) → constituencies (INSEE), straight from the CSVs."""
    laposte = pd.read_csv(FR / "laposte_hexasmal.csv", sep=";", dtype=str)
    insee = pd.read_csv(
        FR / "circo_composition_insee.csv", sep=";", dtype=str, encoding="utf-8-sig"
    )
    communes = set(laposte.loc[laposte["Code_postal"] == postcode, "Code_commune_INSEE"])
    # Paris arrondissements (751xx) are listed by INSEE under the commune of Paris, 75056.
    communes = {"75056" if c.startswith("751") else c for c in communes}
    return set(insee.loc[insee["COMMUNE_RESID"].isin(communes), "circo"])


def test_counts_of_the_real_files(deputies: Directory, data: Path) -> None:
    uk = read_uk_mps(source=data / "uk" / "mp_lookup.csv")
    meps = read_meps(source=data / "eu" / "meps.csv", regions=data / "eu" / "mep_regions.csv")
    popolo = read_popolo(source=POPOLO)

    assert (len(deputies.representatives), len(deputies.areas)) == (577, 577)
    assert (len(uk.representatives), len(uk.areas)) == (650, 650)
    assert len(meps.representatives) == 718
    assert (len(popolo.representatives), len(popolo.areas)) == (370, 358)
    assert all(r.email for r in deputies.representatives + meps.representatives)
    # Four MPs have the placeholder "No email found": left empty, with a warning each.
    table = pd.read_csv(data / "uk" / "mp_lookup.csv", dtype=str)
    placeholders = table.index[~table["member_email"].str.contains("@")]
    assert sum(1 for r in uk.representatives if r.email) == 650 - len(placeholders) == 646
    assert uk.warnings == tuple(
        f"line {i + 2}: 'No email found' is not an e-mail address; left empty" for i in placeholders
    )


def test_postcode_75011_finds_the_paris_constituencies_and_deputies(deputies: Directory) -> None:
    match = deputies.postcodes.find(postcode="75011")

    assert [(c.code, c.name) for c in match.communes] == [("75111", "PARIS 11")]
    assert set(match.area_ids) == _independent_constituencies_for("75011")
    # INSEE lists Paris as one commune split between its 18 constituencies, so from this
    # data alone the participant must pick among them (11e: 6th and 7th constituencies).
    assert match.area_ids == PARIS_CONSTITUENCIES
    assert match.needs_choice and match.communes[0].split
    found = deputies.in_areas(area_ids=match.area_ids)
    table = pd.read_csv(FR / "deputes_actifs_datan.csv", dtype=str)
    assert {r.id for r in found} == set(table.loc[table["departementCode"] == "75", "id"])
    by_area = {r.area_ids[0]: r.name for r in found}
    assert by_area["75006"] == "Sophia Chikirou"
    assert by_area["75007"] == "Emmanuel Grégoire"


def test_postcode_spanning_communes_and_constituencies_offers_a_commune_choice(
    deputies: Directory,
) -> None:
    match = deputies.postcodes.find(postcode="01000")

    assert set(match.area_ids) == _independent_constituencies_for("01000") == {"01001", "01004"}
    assert [(c.code, c.name, c.area_ids, c.split) for c in match.communes] == [
        ("01053", "Bourg-en-Bresse", ("01001", "01004"), True),  # itself split
        ("01344", "Saint-Denis-lès-Bourg", ("01001",), False),
    ]
    chosen = match.for_commune(code="01344")
    assert [r.name for r in deputies.in_areas(area_ids=chosen.area_ids)] == ["Xavier Breton"]


def test_finer_commune_rows_take_precedence_over_the_whole_commune() -> None:
    """An arrondissement-level row (as INSEE publishes separately) narrows the answer."""
    deputies = io.StringIO(
        "id,nom,prenom,groupe,groupeAbrev,departementCode,departementNom,circo,mail,website\n"
        "PA1,Un,A,G,G,75,Paris,6,a@an.fr,\nPA2,Deux,B,G,G,75,Paris,7,b@an.fr,\n"
        "PA3,Trois,C,G,G,75,Paris,8,c@an.fr,\n"
    )
    communes = io.StringIO(
        "DEP;COMMUNE_RESID;circo\n75;75056;75006\n75;75056;75007\n75;75056;75008\n"
        "75;75111;75006\n75;75111;75007\n"
    )
    postcodes = io.StringIO(
        "Code_commune_INSEE;Nom_commune;Code_postal\r\n75111;PARIS 11;75011\r\n"
    )

    directory = read_french_deputies(deputies=deputies, communes=communes, postcodes=postcodes)

    match = directory.postcodes.find(postcode="75011")
    assert match.area_ids == ("75006", "75007")
    assert [r.id for r in directory.in_areas(area_ids=match.area_ids)] == ["PA1", "PA2"]


def test_merged_commune_falls_back_to_its_department(deputies: Directory) -> None:
    match = deputies.postcodes.find(postcode="54790")  # Mancieulles, merged after 2020

    assert [(c.code, c.exact) for c in match.communes] == [("54342", False)]
    assert match.area_ids == tuple(f"5400{n}" for n in range(1, 7))


def test_bad_postcodes_are_clear_errors(deputies: Directory) -> None:
    with pytest.raises(UnknownPostcode, match="not a French postcode"):
        deputies.postcodes.find(postcode="75O11")
    with pytest.raises(UnknownPostcode, match="00001 is not in the La Poste table"):
        deputies.postcodes.find(postcode="00001")
    with pytest.raises(UnknownPostcode, match="not served by postcode 75011"):
        deputies.postcodes.find(postcode="75011").for_commune(code="01053")


def test_deputy_fields_and_constituency_codes(deputies: Directory) -> None:
    by_id = {r.id: r for r in deputies.representatives}
    areas = {a.id for a in deputies.areas}

    assert by_id["PA841853"] == Representative(
        id="PA841853",
        name="Céline Hervieu",
        given_name="Céline",
        family_name="Hervieu",
        group="Socialistes et apparentés",
        group_abbreviation="SOC",
        area_ids=("75011",),
        email=by_id["PA841853"].email,
        website=by_id["PA841853"].website,
    )
    assert {"2A001", "97101", "09901", "98801"} <= areas
    names = {a.id: a.name for a in deputies.areas}
    assert names["75001"] == "Paris, 1re circonscription"
    assert names["75011"] == "Paris, 11e circonscription"
    # Every constituency INSEE knows has a sitting deputy.
    insee = pd.read_csv(
        FR / "circo_composition_insee.csv", sep=";", dtype=str, encoding="utf-8-sig"
    )
    assert set(insee["circo"].dropna()) <= areas


def test_uk_mps_by_constituency(data: Path) -> None:
    uk = read_uk_mps(source=data / "uk" / "mp_lookup.csv")

    aldershot = uk.in_areas(area_ids=["E14001063"])
    assert [(r.id, r.name, r.group, r.email) for r in aldershot] == [
        ("5173", "Alex Baker", "Labour", "alex.baker.mp@parliament.uk")
    ]
    assert Area("E14001063", "Aldershot") in uk.areas


def test_meps_by_country_and_region(data: Path) -> None:
    meps = read_meps(source=data / "eu" / "meps.csv", regions=data / "eu" / "mep_regions.csv")
    table = pd.read_csv(data / "eu" / "meps.csv", dtype=str)
    regions = pd.read_csv(data / "eu" / "mep_regions.csv", dtype=str)

    assert len(meps.in_areas(area_ids=["FR"])) == (table["country"] == "fr").sum() == 81
    with_region = [r for r in meps.representatives if len(r.area_ids) == 2]
    # The regions file predates the 2024 term: only sitting MEPs listed in it get a region.
    assert len(with_region) == regions["mepid"].isin(table["epid"]).sum() == 40
    dublin = meps.in_areas(area_ids=["IE:Dublin"])
    assert {r.area_ids[0] for r in dublin} == {"IE"}
    assert (
        len(dublin)
        == ((regions["region"] == "Dublin") & regions["mepid"].isin(table["epid"])).sum()
    )


def test_popolo_persons_memberships_and_areas(data: Path) -> None:
    popolo = read_popolo(source=POPOLO)
    person = {r.id: r for r in popolo.representatives}["007d807d-2f2d-4a2e-829f-1fd5109bb7de"]

    assert person.name == "TIJJANI ABDUL KADIR"
    assert person.group == "All Progressives Congress"
    assert person.area_ids == ("dawakin-tofa/tofa/rimin_gado,_kano_state",)
    assert ("wikidata", "Q35536093") in person.identifiers
    document = json.loads(POPOLO.read_text())
    with_email = [
        p
        for p in document["persons"]
        if p.get("email") or any(c["type"] == "email" for c in p.get("contact_details", []))
    ]
    assert sum(1 for r in popolo.representatives if r.email) == len(with_email) == 67


def test_generic_csv_mapping_reads_the_uk_file(data: Path) -> None:
    directory = read_representatives_csv(
        source=data / "uk" / "mp_lookup.csv",
        mapping={"id": "pcon_code", "name": "display_as", "area_id": "pcon_code"},
    )

    assert len(directory.representatives) == 650
    assert (
        directory.representatives[0].id == directory.representatives[0].area_ids[0] == "E14001063"
    )


def test_missing_mapped_column_is_a_clear_error(data: Path) -> None:
    with pytest.raises(RepresentativesFormatError, match=r"\['constituency'\] not found"):
        read_representatives_csv(
            source=data / "uk" / "mp_lookup.csv",
            mapping={"id": "member_id", "name": "display_as", "area_id": "constituency"},
        )


@pytest.mark.parametrize(
    ("text", "mapping", "message"),
    [
        ("a,b\n1,x\n", {"id": "a"}, "'id' and 'name'"),
        ("a,b\n1,x\n", {"id": "a", "name": "b", "colour": "b"}, r"unknown field\(s\) \['colour'\]"),
        ("a,b\n1,x\n1,y\n", {"id": "a", "name": "b"}, "id '1' appears twice"),
        ("a,b\n,x\n", {"id": "a", "name": "b"}, "line 2: empty id in 'a'"),
        ("a,b\n1, \n", {"id": "a", "name": "b"}, "line 2: empty name in 'b'"),
        ("a,b\n1,x,extra\n", {"id": "a", "name": "b"}, "line 2: 3 cells, expected 2"),
        ("a,b\n1\n", {"id": "a", "name": "b"}, "line 2: 1 cells, expected 2"),
    ],
)
def test_malformed_csv_is_a_clear_error(text: str, mapping: dict, message: str) -> None:
    with pytest.raises(RepresentativesFormatError, match=message):
        read_representatives_csv(source=io.StringIO(text), mapping=mapping)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[]", "needs a 'persons' list"),
        ('{"persons": [{"name": "x"}]}', r"persons\[0\] has no 'id'"),
        ('{"persons": [{"id": "p"}], "memberships": [{"person_id": "q"}]}', "unknown person 'q'"),
        ('{"persons": [', "not valid JSON"),
    ],
)
def test_malformed_popolo_is_a_clear_error(document: str, message: str) -> None:
    with pytest.raises(RepresentativesFormatError, match=message):
        read_popolo(source=io.StringIO(document))


def test_diff_reports_added_removed_and_changed_fields(deputies: Directory) -> None:
    old = deputies.representatives
    moved = dataclasses.replace(old[0], group="Non inscrit", email="new@assemblee-nationale.fr")
    newcomer = Representative(id="PA999999", name="Nouvelle Députée", area_ids=("75006",))
    new = (moved, *old[1:-1], newcomer)

    diff = diff_records(old=old, new=new)

    assert [r.id for r in diff.added] == ["PA999999"]
    assert [r.id for r in diff.removed] == [old[-1].id]
    assert [(c.id, c.fields) for c in diff.changed] == [(old[0].id, ("group", "email"))]
    assert diff.changed[0].before.group == old[0].group
    assert diff.unchanged == 575
    assert diff_records(old=old, new=old).is_empty


def test_diff_refuses_duplicate_ids() -> None:
    twice = [Representative(id="a", name="A"), Representative(id="a", name="B")]

    with pytest.raises(RepresentativesFormatError, match="'a' appears twice in new"):
        diff_records(old=[], new=twice)


def test_popolo_round_trip_of_a_minimal_document() -> None:
    document = {
        "persons": [{"id": "p1", "name": "Ada", "email": "ada@example.org"}],
        "organizations": [{"id": "g", "name": "Greens"}],
        "areas": [{"id": "a1", "name": "North", "type": "constituency"}],
        "memberships": [{"person_id": "p1", "on_behalf_of_id": "g", "area_id": "a1"}],
    }

    directory = parse_popolo(data=json.loads(json.dumps(document)))

    assert directory.representatives == (
        Representative(
            id="p1", name="Ada", group="Greens", area_ids=("a1",), email="ada@example.org"
        ),
    )
    assert directory.areas == (Area("a1", "North"),)


def test_popolo_posts_party_memberships_and_legislative_periods() -> None:
    document = {
        "persons": [{"id": "p1", "name": "Ada"}, {"id": "p2", "name": "Bo"}],
        "organizations": [
            {"id": "house", "classification": "legislature"},
            {"id": "reds", "name": "Reds", "classification": "party"},
        ],
        "posts": [{"id": "seat-9", "area_id": "a9"}],
        "memberships": [
            {"person_id": "p1", "organization_id": "house", "post_id": "seat-9",
             "legislative_period_id": "term/2"},
            {"person_id": "p1", "organization_id": "reds"},
            {"person_id": "p2", "organization_id": "house", "area_id": "a1",
             "legislative_period_id": "term/1"},
        ],
    }  # fmt: skip

    current = parse_popolo(data=document, legislative_period_id="term/2")

    ada, bo = current.representatives
    assert (ada.area_ids, ada.group) == (("a9",), "Reds")
    assert bo.area_ids == ()
    assert parse_popolo(data=document).representatives[1].area_ids == ("a1",)
