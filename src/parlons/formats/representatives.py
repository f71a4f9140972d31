"""Directories of representatives: Popolo JSON, mapped CSV and the bundled public files.

Parses into plain frozen dataclasses, with no Django import, so that the interpellation
module can import, diff and store them. Readers follow the Popolo specification
(https://www.popoloproject.com/specs/: persons, organizations, memberships, areas) and
the column layouts of the files described in ``shared/data/README.md``: French deputies
(Datan) with INSEE's commune → constituency table and La Poste's postcode → commune
table, UK MPs (mp-lookup), MEPs by country and region (TechToThePeople/mep).
"""

import csv
import io
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any, TextIO

type Source = str | os.PathLike[str] | TextIO


class RepresentativesFormatError(ValueError):
    """The file does not have the expected layout; the message says where and what."""


class UnknownPostcode(LookupError):
    """The postcode is well formed but not in the postcode table."""


@dataclass(frozen=True, slots=True)
class Area:
    """A constituency, region or country that representatives are elected for."""

    id: str
    name: str
    kind: str = "constituency"


@dataclass(frozen=True, slots=True)
class Representative:
    """One elected person; ``group`` is the parliamentary group (EP group for MEPs)."""

    id: str
    name: str
    given_name: str = ""
    family_name: str = ""
    group: str = ""
    group_abbreviation: str = ""
    party: str = ""
    area_ids: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    image: str = ""
    website: str = ""
    identifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class CommuneMatch:
    """A commune a postcode serves, with its constituencies.

    ``split`` means INSEE lists the commune in several constituencies (the participant
    must choose). ``exact`` is false when the commune code is not in the INSEE table
    (a commune merged since the postcode table was published): ``area_ids`` then lists
    every constituency of its département, for the participant to choose from.
    """

    code: str
    name: str
    area_ids: tuple[str, ...]
    split: bool
    exact: bool = True


@dataclass(frozen=True, slots=True)
class PostcodeMatch:
    """Everything a postcode can mean: one or more communes, one or more constituencies."""

    postcode: str
    communes: tuple[CommuneMatch, ...]

    @property
    def area_ids(self) -> tuple[str, ...]:
        return tuple(sorted({area for c in self.communes for area in c.area_ids}))

    @property
    def needs_choice(self) -> bool:
        """True when the participant must pick a commune or constituency."""
        return len(self.area_ids) > 1

    def for_commune(self, *, code: str) -> CommuneMatch:
        """The match for one commune the participant picked among ``communes``."""
        for commune in self.communes:
            if commune.code == code:
                return commune
        raise UnknownPostcode(f"commune {code} is not served by postcode {self.postcode}")


@dataclass(frozen=True, slots=True)
class PostcodeLookup:
    """Postcode → communes → constituencies, built once from the two tables."""

    communes_by_postcode: Mapping[str, tuple[tuple[str, str], ...]]
    areas_by_commune: Mapping[str, tuple[str, ...]]
    areas_by_department: Mapping[str, tuple[str, ...]]

    def find(self, *, postcode: str) -> PostcodeMatch:
        """Communes and constituencies for a French postcode (``"75011"``, ``"1000"``)."""
        code = _normalise_french_postcode(postcode)
        communes = self.communes_by_postcode.get(code)
        if not communes:
            raise UnknownPostcode(f"postcode {code} is not in the La Poste table")
        return PostcodeMatch(code, tuple(self._commune(c, n) for c, n in communes))

    def _commune(self, code: str, name: str) -> CommuneMatch:
        areas = self.areas_by_commune.get(code) or self.areas_by_commune.get(
            _parent_commune(code), ()
        )
        if areas:
            return CommuneMatch(code, name, areas, split=len(areas) > 1)
        fallback = self.areas_by_department.get(_department_of(code), ())
        return CommuneMatch(code, name, fallback, split=len(fallback) > 1, exact=False)


@dataclass(frozen=True, slots=True)
class Directory:
    """Representatives and their areas, with a postcode lookup where the source has one."""

    representatives: tuple[Representative, ...]
    areas: tuple[Area, ...]
    postcodes: PostcodeLookup | None = field(default=None, compare=False, repr=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def in_areas(self, *, area_ids: Iterable[str]) -> tuple[Representative, ...]:
        """Representatives elected for any of ``area_ids``, in directory order."""
        wanted = set(area_ids)
        return tuple(r for r in self.representatives if wanted.intersection(r.area_ids))


@dataclass(frozen=True, slots=True)
class Change:
    """A record present in both lists whose ``fields`` differ."""

    id: str
    fields: tuple[str, ...]
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class DirectoryDiff:
    """What a re-import changes, matching records by ``id``."""

    added: tuple[Any, ...]
    removed: tuple[Any, ...]
    changed: tuple[Change, ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_records(*, old: Iterable[Any], new: Iterable[Any]) -> DirectoryDiff:
    """Compare two lists of :class:`Representative` (or :class:`Area`) by ``id``."""
    before, after = _by_id(old, "old"), _by_id(new, "new")
    changed = []
    for key in after.keys() & before.keys():
        names = tuple(
            f.name
            for f in fields(after[key])
            if getattr(before[key], f.name) != getattr(after[key], f.name)
        )
        if names:
            changed.append(Change(key, names, before[key], after[key]))
    return DirectoryDiff(
        added=tuple(after[k] for k in after if k not in before),
        removed=tuple(before[k] for k in before if k not in after),
        changed=tuple(sorted(changed, key=lambda c: c.id)),
        unchanged=len(after.keys() & before.keys()) - len(changed),
    )


# Popolo -----------------------------------------------------------------------------


def read_popolo(*, source: Source, legislative_period_id: str | None = None) -> Directory:
    """Read a Popolo JSON export (e.g. EveryPolitician's ``ep-popolo-v1.0.json``)."""
    with _open_text(source) as stream:
        try:
            data = json.load(stream)
        except json.JSONDecodeError as error:
            raise RepresentativesFormatError(f"not valid JSON: {error}") from error
    return parse_popolo(data=data, legislative_period_id=legislative_period_id)


def parse_popolo(*, data: Mapping[str, Any], legislative_period_id: str | None = None) -> Directory:
    """Persons become representatives; memberships give their areas and groups.

    A membership's area is its ``area_id`` or its post's; its group is ``on_behalf_of_id``
    or, for a membership of a party organisation, that party. With
    ``legislative_period_id``, memberships of other periods are ignored.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("persons"), list):
        raise RepresentativesFormatError("a Popolo document needs a 'persons' list")
    organisations = {o["id"]: o for o in _popolo_items(data, "organizations")}
    post_areas = {p["id"]: p.get("area_id", "") for p in _popolo_items(data, "posts")}
    areas = tuple(
        Area(a["id"], a.get("name", a["id"]), a.get("type", "constituency"))
        for a in _popolo_items(data, "areas")
    )
    persons = _popolo_items(data, "persons")
    memberships: dict[str, list[tuple[str, str]]] = defaultdict(list)
    known = {p["id"] for p in persons}
    for index, membership in enumerate(data.get("memberships", [])):
        if membership.get("person_id") not in known:
            raise RepresentativesFormatError(
                f"memberships[{index}] refers to unknown person {membership.get('person_id')!r}"
            )
        period = membership.get("legislative_period_id")
        if legislative_period_id is None or period in (None, legislative_period_id):
            area = membership.get("area_id") or post_areas.get(membership.get("post_id"), "")
            group = _popolo_group(membership, organisations)
            memberships[membership["person_id"]].append((area, group))
    return Directory(tuple(_popolo_person(p, memberships[p["id"]]) for p in persons), areas)


def _popolo_group(membership: Mapping[str, Any], organisations: Mapping[str, Any]) -> str:
    party = organisations.get(membership.get("on_behalf_of_id"))
    member_of = organisations.get(membership.get("organization_id"))
    if party is None and member_of is not None and member_of.get("classification") == "party":
        party = member_of
    return party.get("name", party["id"]) if party is not None else ""


def _popolo_items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = data.get(key, [])
    for index, item in enumerate(items):
        if not isinstance(item, Mapping) or not item.get("id"):
            raise RepresentativesFormatError(f"{key}[{index}] has no 'id'")
    return items


def _popolo_person(person: Mapping[str, Any], memberships: list[tuple[str, str]]) -> Representative:
    contacts = {c.get("type"): c.get("value", "") for c in person.get("contact_details", [])}
    groups = [group for _, group in memberships if group]
    websites = [link.get("url", "") for link in person.get("links", [])]
    return Representative(
        id=person["id"],
        name=person.get("name", ""),
        given_name=person.get("given_name", ""),
        family_name=person.get("family_name", ""),
        group=groups[-1] if groups else "",
        area_ids=tuple(dict.fromkeys(area for area, _ in memberships if area)),
        email=person.get("email") or contacts.get("email", ""),
        phone=contacts.get("phone", ""),
        image=person.get("image", ""),
        website=websites[0] if websites else "",
        identifiers=tuple((i["scheme"], i["identifier"]) for i in person.get("identifiers", [])),
    )


# CSV with a column mapping -------------------------------------------------------------

MAPPABLE = frozenset(f.name for f in fields(Representative)) - {"area_ids", "identifiers"}
AREA_KEYS = frozenset({"area_id", "area_name"})
# Loose on purpose: catches placeholders ("No email found"), not every RFC 5322 detail.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def read_representatives_csv(
    *, source: Source, mapping: Mapping[str, str], delimiter: str = ","
) -> Directory:
    """Read any CSV given ``{field: column}``, e.g. ``{"id": "pcon_code", "name": "display_as"}``.

    Fields are those of :class:`Representative` plus ``area_id`` and ``area_name`` (one
    area per row). ``id`` and ``name`` are required; an unknown field, a missing column,
    an empty id or a repeated id is a :class:`RepresentativesFormatError`.
    """
    unknown = set(mapping) - MAPPABLE - AREA_KEYS
    if unknown:
        raise RepresentativesFormatError(
            f"unknown field(s) {sorted(unknown)}; known: {sorted(MAPPABLE | AREA_KEYS)}"
        )
    if not {"id", "name"} <= set(mapping):
        raise RepresentativesFormatError("the mapping must give columns for 'id' and 'name'")
    representatives, areas, warnings = [], {}, []
    for line, row in _csv_rows(source, delimiter=delimiter, required=mapping.values()):
        values = {key: row[column].strip() for key, column in mapping.items()}
        for key in ("id", "name"):
            if not values[key]:
                raise RepresentativesFormatError(f"line {line}: empty {key} in {mapping[key]!r}")
        if values.get("email") and not EMAIL.fullmatch(values["email"]):
            warnings.append(
                f"line {line}: {values['email']!r} is not an e-mail address; left empty"
            )
            values["email"] = ""
        area_id, area_name = values.pop("area_id", ""), values.pop("area_name", "")
        if area_id:
            areas.setdefault(area_id, Area(area_id, area_name or area_id))
        representatives.append(Representative(**values, area_ids=(area_id,) if area_id else ()))
    _by_id(representatives, "the file")
    return Directory(tuple(representatives), tuple(areas.values()), warnings=tuple(warnings))


def _csv_rows(
    source: Source, *, delimiter: str, required: Iterable[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    with _open_text(source) as stream:
        reader = csv.DictReader(stream, delimiter=delimiter)
        columns = reader.fieldnames or []
        missing = [c for c in dict.fromkeys(required) if c not in columns]
        if missing:
            raise RepresentativesFormatError(
                f"column(s) {missing} not found; the file has {columns}"
            )
        for row in reader:
            if None in row or any(row[c] is None for c in columns):
                cells = sum(row[c] is not None for c in columns) + len(row.get(None) or ())
                raise RepresentativesFormatError(
                    f"line {reader.line_num}: {cells} cells, expected {len(columns)}"
                )
            yield reader.line_num, row


# Bundled readers for the real files ----------------------------------------------------

UK_MP_MAPPING = {
    "id": "member_id",
    "name": "display_as",
    "group": "party_text",
    "email": "member_email",
    "area_id": "pcon_code",
    "area_name": "pcon_name",
}

DEPUTY_COLUMNS = ("id", "nom", "prenom", "groupe", "groupeAbrev", "departementCode",
                  "departementNom", "circo", "mail", "website")  # fmt: skip

# INSEE codes municipal arrondissements separately (Paris 75101–75120, Lyon 69381–69389,
# Marseille 13201–13216); the constituency table lists only the whole commune.
MUNICIPAL_ARRONDISSEMENTS = (("751", "75056"), ("6938", "69123"), ("132", "13055"))


def read_uk_mps(*, source: Source) -> Directory:
    """UK MPs by constituency from ``uk/mp_lookup.csv`` (ONS constituency codes as areas)."""
    return read_representatives_csv(source=source, mapping=UK_MP_MAPPING)


def read_french_deputies(*, deputies: Source, communes: Source, postcodes: Source) -> Directory:
    """Deputies (Datan CSV) with a postcode lookup from the INSEE and La Poste tables.

    Constituency ids follow INSEE's ``circo`` code: département code then number, five
    characters in all (``75006``, ``2A001``, ``97101``).
    """
    representatives, areas = [], {}
    for _, row in _csv_rows(deputies, delimiter=",", required=DEPUTY_COLUMNS):
        area = _french_constituency(row["departementCode"], row["circo"], row["departementNom"])
        areas.setdefault(area.id, area)
        representatives.append(_french_deputy(row, area.id))
    _by_id(representatives, "the deputies file")
    lookup = _french_postcode_lookup(communes=communes, postcodes=postcodes)
    return Directory(tuple(representatives), tuple(areas.values()), lookup)


def _french_deputy(row: Mapping[str, str], area_id: str) -> Representative:
    return Representative(
        id=row["id"],
        name=f"{row['prenom']} {row['nom']}",
        given_name=row["prenom"],
        family_name=row["nom"],
        group=row["groupe"],
        group_abbreviation=row["groupeAbrev"],
        area_ids=(area_id,),
        email=row["mail"],
        website=row["website"],
    )


def _french_constituency(department: str, number: str, department_name: str) -> Area:
    department = department.upper()
    if not number.isdigit() or not department:
        raise RepresentativesFormatError(f"bad constituency {department!r} {number!r}")
    code = f"{department}{int(number):0{5 - len(department)}d}"
    ordinal = "1re" if int(number) == 1 else f"{int(number)}e"
    return Area(code, f"{department_name}, {ordinal} circonscription")


def _french_postcode_lookup(*, communes: Source, postcodes: Source) -> PostcodeLookup:
    areas_by_commune: dict[str, list[str]] = defaultdict(list)
    areas_by_department: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}  # INSEE's spelling ("Saint-Denis-lès-Bourg") over La Poste's
    insee = _csv_rows(communes, delimiter=";", required=("COMMUNE_RESID", "circo", "DEP"))
    for _, row in insee:
        if row["circo"]:  # a few uninhabited communes have no constituency
            areas_by_commune[row["COMMUNE_RESID"]].append(row["circo"])
            areas_by_department[row["DEP"]].add(row["circo"])
        names[row["COMMUNE_RESID"]] = row.get("LIBcom") or ""
    by_postcode: dict[str, dict[str, str]] = defaultdict(dict)
    laposte = _csv_rows(
        postcodes, delimiter=";", required=("Code_postal", "Code_commune_INSEE", "Nom_commune")
    )
    for _, row in laposte:
        code = row["Code_commune_INSEE"]
        by_postcode[row["Code_postal"]].setdefault(code, names.get(code) or row["Nom_commune"])
    return PostcodeLookup(
        communes_by_postcode={p: tuple(c.items()) for p, c in by_postcode.items()},
        areas_by_commune={c: tuple(sorted(set(a))) for c, a in areas_by_commune.items()},
        areas_by_department={d: tuple(sorted(a)) for d, a in areas_by_department.items()},
    )


def _parent_commune(code: str) -> str:
    for prefix, parent in MUNICIPAL_ARRONDISSEMENTS:
        if code.startswith(prefix):
            return parent
    return code


def _department_of(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def _normalise_french_postcode(postcode: str) -> str:
    code = postcode.replace(" ", "").strip()
    if not code.isdigit() or len(code) not in (4, 5):
        raise UnknownPostcode(f"{postcode!r} is not a French postcode (five digits)")
    return code.zfill(5)


def read_meps(*, source: Source, regions: Source | None = None) -> Directory:
    """MEPs by country (upper-case ISO code as area id), and by region where given.

    ``regions`` is ``eu/mep_regions.csv`` (country, region, mepid); a region's area id is
    ``"{country}:{region}"``. Regions listing MEPs no longer sitting are ignored.
    """
    region_of = {}
    areas: dict[str, Area] = {}
    if regions is not None:
        for _, row in _csv_rows(regions, delimiter=",", required=("country", "region", "mepid")):
            area = Area(f"{row['country'].upper()}:{row['region']}", row["region"], "region")
            region_of[row["mepid"]] = area
    representatives = []
    required = ("epid", "country", "first_name", "last_name", "email", "eugroup", "party")
    for _, row in _csv_rows(source, delimiter=",", required=required):
        country = Area(row["country"].upper(), row["country"].upper(), "country")
        area_ids = [areas.setdefault(country.id, country).id]
        if row["epid"] in region_of:
            area_ids.append(areas.setdefault(region_of[row["epid"]].id, region_of[row["epid"]]).id)
        representatives.append(_mep(row, tuple(area_ids)))
    _by_id(representatives, "the MEP file")
    return Directory(tuple(representatives), tuple(areas.values()))


def _mep(row: Mapping[str, str], area_ids: tuple[str, ...]) -> Representative:
    return Representative(
        id=row["epid"],
        name=f"{row['first_name']} {row['last_name']}",
        given_name=row["first_name"],
        family_name=row["last_name"],
        group=row["eugroup"],
        party=row["party"],
        area_ids=area_ids,
        email=row["email"],
        phone=row.get("phone", ""),
        identifiers=(("europarl", row["epid"]),),
    )


# Shared --------------------------------------------------------------------------------


@contextmanager
def _open_text(source: Source) -> Iterator[TextIO]:
    if isinstance(source, io.TextIOBase) or hasattr(source, "read"):
        yield source  # type: ignore[misc]
        return
    # utf-8-sig drops INSEE's byte-order mark; newline="" lets csv handle La Poste's CRLF.
    with open(source, encoding="utf-8-sig", newline="") as stream:
        yield stream


def _by_id(records: Iterable[Any], label: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for record in records:
        if record.id in result:
            raise RepresentativesFormatError(f"id {record.id!r} appears twice in {label}")
        result[record.id] = record
    return result
