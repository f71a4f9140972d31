"""The Pabulib ``.pb`` reader and writer: lossless round trips, agreement with the
reference parser (pabutools ``parse_pabulib``) and malformed files refused with the line
number and the reason."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from parlons.formats.pabulib import PabulibError, parse, problem_from_election, read, write
from parlons.testing.data import shared_data, shared_data_root

PABULIB = shared_data_root() / "pabulib"
FILES = sorted(p.name for p in PABULIB.glob("*.pb")) if PABULIB.exists() else ["absent.pb"]

SMALL = """META
key;value
description;Test
num_projects;3
num_votes;3
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
1;60;Park
2;50,5;"Bench; with a semicolon"
10;40;"Say ""hi"" there"
VOTES
voter_id;vote;age
a;1,2;30
b;10;
c;2,10,1;none
"""


def _pb(name: str) -> Path:
    return shared_data("pabulib", name)


@pytest.mark.parametrize("name", FILES)
def test_every_shared_file_round_trips_byte_for_byte(name: str) -> None:
    """Every META key, project column and vote column is kept, and written back as read."""
    path = _pb(name)
    raw = path.read_bytes()
    lines = raw.decode("utf-8-sig").splitlines()
    projects_at = next(i for i, line in enumerate(lines) if line.strip().upper() == "PROJECTS")
    votes_at = next(i for i, line in enumerate(lines) if line.strip().upper() == "VOTES")

    election = read(path=path)

    assert write(election=election).encode("utf-8") == raw
    assert not election.layout.raw_rows  # rebuilt from decoded cells, not from copies
    assert len(election.instance.meta) == projects_at - 2
    assert election.instance.project_columns == lines[projects_at + 1].split(";")
    assert len(election.instance.projects) == votes_at - projects_at - 2
    assert list(election.profile.columns) == lines[votes_at + 1].split(";")
    assert election.profile.num_voters == len(lines) - votes_at - 2
    assert election.profile.num_voters == int(election.instance.meta["num_votes"])


SAME_AS_REFERENCE = [n for n in FILES if n.startswith(("Switzerland", "Netherlands_Assen"))] + [
    "Poland_Swiecie_2023.pb",
    "France_Toulouse_2019.pb",
    "Poland_Krakow_2022_Nowa_Huta.pb",
]


@pytest.mark.parametrize("name", SAME_AS_REFERENCE)
def test_decoded_ballots_equal_the_reference_parser(name: str) -> None:
    """Costs, budget and every ballot (with points and ranking) as pabutools reads them."""
    reference = pytest.importorskip("parlons.engine.budgets.reference")
    path = _pb(name)
    instance, profile = reference.parse_reference(path=path)
    election = read(path=path)
    ids = [p.id for p in election.instance.projects]

    assert election.instance.budget == Fraction(str(instance.budget_limit))
    assert {p.name: Fraction(str(p.cost)) for p in instance} == {
        p.id: p.cost for p in election.instance.projects
    }
    ours = election.profile
    assert ours.num_voters == len(profile)
    for v, ballot in enumerate(profile):
        chosen = [ids[k] for k in ours.indices[ours.indptr[v] : ours.indptr[v + 1]]]
        if election.instance.vote_type == "ordinal":
            assert chosen == [p.name for p in ballot]
        elif ours.points is not None:
            points = ours.points[ours.indptr[v] : ours.indptr[v + 1]]
            assert dict(zip(chosen, points.tolist(), strict=True)) == {
                p.name: int(ballot[p]) for p in ballot
            }
        else:
            assert sorted(chosen) == sorted(p.name for p in ballot)


def test_quotes_decimal_comma_and_none_cells() -> None:
    election = parse(text=SMALL)

    assert [p.id for p in election.instance.projects] == ["1", "2", "10"]
    assert [p.cost for p in election.instance.projects] == [60, Fraction(101, 2), 40]
    assert election.instance.projects[1].fields["name"] == "Bench; with a semicolon"
    assert election.instance.projects[2].fields["name"] == 'Say "hi" there'
    assert election.profile.indptr.tolist() == [0, 2, 3, 6]
    assert election.profile.indices.tolist() == [0, 1, 2, 1, 2, 0]
    assert election.profile.columns["age"] == ["30", "", "none"]
    assert write(election=election) == SMALL


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.rstrip("\n"), id="no-final-newline"),
        pytest.param(lambda t: t.replace("10;40;", '"10";40;', 1), id="superfluous-quotes"),
        pytest.param(lambda t: t.replace("PROJECTS\n", "\nPROJECTS\n", 1), id="blank-line"),
        pytest.param(lambda t: t.replace("b;10;\n", "b;10;\r\n", 1), id="one-crlf-line"),
    ],
)
def test_layout_variants_round_trip(variant) -> None:
    text = variant(SMALL)

    election = parse(text=text)

    assert write(election=election) == text
    assert election.profile.indices.tolist() == [0, 1, 2, 1, 2, 0]


def test_every_vote_type_round_trips_and_decodes() -> None:
    base = SMALL.replace("voter_id;vote;age", "voter_id;vote;points;age")
    base = base.replace("a;1,2;30", "a;1,2;3,2;30").replace("b;10;", "b;10;1;")
    base = base.replace("c;2,10,1;none", "c;2,10,1;1,5,0;none")
    for vote_type in ("approval", "choose-1", "cumulative", "scoring", "ordinal"):
        text = base.replace("vote_type;approval", f"vote_type;{vote_type}")

        election = parse(text=text)

        assert write(election=election) == text
        problem = problem_from_election(election=election)
        assert problem.vote_type == vote_type
        assert problem.num_voters == 3
        if vote_type in ("cumulative", "scoring"):
            assert election.profile.points.tolist() == [3, 2, 1, 1, 5, 0]
            assert problem.total_utility() == [3, 3, 6]
        elif vote_type == "ordinal":
            assert election.profile.points is None
            # Borda: ballot length − position − 1 ("a": 1→1, 2→0; "c": 2→2, 10→1, 1→0)
            assert problem.total_utility() == [1, 2, 1]
        else:
            assert problem.total_utility() == [120, 101, 80]


def test_fractional_scores_are_exact() -> None:
    text = SMALL.replace("vote_type;approval", "vote_type;scoring")
    text = text.replace("voter_id;vote;age", "voter_id;vote;points;age")
    text = text.replace("a;1,2;30", "a;1,2;0.5,2;30").replace("b;10;", "b;10;1;")
    text = text.replace("c;2,10,1;none", "c;2,10,1;1,1,1;none")

    election = parse(text=text)

    assert election.profile.points.tolist() == [Fraction(1, 2), 2, 1, 1, 1, 1]
    assert problem_from_election(election=election).total_utility() == [Fraction(3, 2), 3, 2]
    assert write(election=election) == text


MALFORMED = [
    pytest.param(("PROJECTS\n", "PROJECT\n"), 8, "unknown section", id="misspelt-section"),
    pytest.param(("VOTES\n", ""), 16, "missing section VOTES", id="missing-votes"),
    pytest.param(("vote_type;approval", "vote_type;knapsack"), 2, "unsupported vote_type"),
    pytest.param(("budget;100\n", ""), 2, "META has no budget", id="no-budget"),
    pytest.param(("budget;100", "budget;lots"), 6, "budget 'lots' is not a number"),
    pytest.param(("budget;100", "budget;100;EUR"), 6, "META row has 3 columns, not 2"),
    pytest.param(("1;60;Park", "1;sixty;Park"), 10, "cost 'sixty' is not a number"),
    pytest.param(("1;60;Park", "1;-60;Park"), 10, "cost -60 is negative"),
    pytest.param(("1;60;Park", "1;60"), 10, "PROJECTS row has 2 columns, header has 3"),
    pytest.param(("1;60;Park", "2;60;Park"), 11, "project '2' appears twice"),
    pytest.param(("project_id;cost;name", "id;cost;name"), 9, "PROJECTS has no project_id"),
    pytest.param(("b;10;", "b;11;"), 16, "vote on unknown project '11'"),
    pytest.param(("b;10;", "b;10,,1;"), 16, "empty project id"),
    pytest.param(("c;2,10,1;none", "c;2,10,2;none"), 17, "a project appears twice in one vote"),
    pytest.param(("b;10;", "b;10"), 16, "VOTES row has 2 columns, header has 3"),
    pytest.param(("voter_id;vote;age", "voter_id;ballot;age"), 14, "VOTES has no vote column"),
]


@pytest.mark.parametrize(("change", "line", "reason"), MALFORMED)
def test_malformed_files_are_refused_with_line_and_reason(change, line, reason) -> None:
    old, new = change
    assert old in SMALL
    text = SMALL.replace(old, new, 1)

    with pytest.raises(PabulibError) as caught:
        parse(text=text)

    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"line {line}: ")


def test_points_errors_name_the_voter_line() -> None:
    text = SMALL.replace("vote_type;approval", "vote_type;cumulative")
    text = text.replace("voter_id;vote;age", "voter_id;vote;points;age")
    text = text.replace("a;1,2;30", "a;1,2;3,2;30").replace("b;10;", "b;10;1;")

    with pytest.raises(PabulibError) as missing:
        parse(text=text.replace("c;2,10,1;none", "c;2,10,1;1,1;none"))
    with pytest.raises(PabulibError) as word:
        parse(text=text.replace("c;2,10,1;none", "c;2,10,1;1,x,1;none"))
    with pytest.raises(PabulibError) as no_column:
        parse(text=SMALL.replace("vote_type;approval", "vote_type;cumulative"))

    assert (missing.value.line, missing.value.reason) == (17, "vote and points differ in length")
    assert (word.value.line, word.value.reason) == (17, "points 'x' is not a number")
    assert (no_column.value.line, no_column.value.reason) == (14, "VOTES has no points column")


def test_sections_out_of_order_are_refused() -> None:
    text = SMALL.replace("META\n", "PROJECTS\n", 1)

    with pytest.raises(PabulibError) as caught:
        parse(text=text)

    assert caught.value.line == 1
    assert "out of order" in caught.value.reason


def test_undecodable_file_is_not_read_as_pabulib(tmp_path: Path) -> None:
    path = tmp_path / "latin1.pb"
    path.write_bytes(SMALL.replace("Park", "Parc é").encode("latin-1"))

    with pytest.raises(UnicodeDecodeError):
        read(path=path)


def test_a_file_without_votes_reads_and_round_trips() -> None:
    text = SMALL.split("a;1,2;30")[0]

    election = parse(text=text)

    assert election.profile.num_voters == 0
    assert election.profile.columns == {"voter_id": [], "vote": [], "age": []}
    assert write(election=election) == text
