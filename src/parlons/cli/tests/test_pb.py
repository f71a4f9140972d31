"""``parlons pb compute``: the command researchers and auditors run on ``.pb`` files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parlons.cli.pb import main
from parlons.testing.data import REPOSITORY, shared_data

# Voter 1 approves a and b, voter 2 a, voter 3 c; a costs 12, b 6, c 9 (see
# engine/budgets/tests/test_explain.py for the rounds worked out by hand).
TEXT = """META
key;value
budget;30
vote_type;approval
PROJECTS
project_id;cost
a;12
b;6
c;9
VOTES
voter_id;vote
1;a,b
2;a
3;c
"""


@pytest.fixture
def pb_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.pb"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_gives_rule_winners_and_total_cost(capsys, pb_file: Path) -> None:
    code, out, err = _run(capsys, "compute", str(pb_file), "--rule", "mes", "--json")

    assert (code, err) == (0, "")
    assert json.loads(out) == {"rule": "mes", "winners": ["a", "c"], "total_cost": 21}


def test_explain_adds_the_rounds_and_reasons(capsys, pb_file: Path) -> None:
    code, out, _ = _run(
        capsys, "compute", str(pb_file), "--rule", "mes+greedy", "--json", "--explain"
    )

    data = json.loads(out)
    assert code == 0
    assert data["winners"] == ["a", "c", "b"]
    assert data["share"] == "10"
    assert data["rounds"] == [
        {"phase": "mes", "project": "a", "rho": "1/2", "paid": 12, "supporters": 2, "exhausted": 0},
        {"phase": "mes", "project": "c", "rho": "1", "paid": 9, "supporters": 1, "exhausted": 0},
        {"phase": "greedy", "project": "b", "selected": True, "cost": 6, "budget_left": 3},
    ]
    assert data["reasons"]["b"] == ["Funded by the greedy pass; 3.00 remained afterwards."]


def test_plain_text_output(capsys, pb_file: Path) -> None:
    code, out, _ = _run(capsys, "compute", str(pb_file), "--rule", "greedy", "--explain")

    assert code == 0
    assert out.splitlines()[:2] == ["greedy: 3 winners, total cost 27", "winners: a, b, c"]
    assert "  a: Funded by the greedy pass; 18.00 remained afterwards." in out.splitlines()


@pytest.mark.parametrize(
    ("rule", "winners"),
    [
        ("greedy", ["a", "b", "c"]),
        ("mes", ["a", "c"]),
        ("mes-add1", ["a", "b", "c"]),
        ("mes-add1+greedy", ["a", "b", "c"]),
        ("mes-add1-integral", ["a", "c"]),  # all projects fit: plain MES, as the tool does
        ("phragmen", ["a", "c", "b"]),
    ],
)
def test_every_rule_is_available(capsys, pb_file: Path, rule: str, winners: list[str]) -> None:
    code, out, _ = _run(capsys, "compute", str(pb_file), "--rule", rule, "--json")

    assert code == 0
    assert json.loads(out)["winners"] == winners


def test_tie_break_options(capsys, tmp_path: Path) -> None:
    path = tmp_path / "tie.pb"
    path.write_text(
        TEXT.replace("b;6", "b;12").replace("1;a,b", "1;a").replace("2;a", "2;b"),
        encoding="utf-8",
    )
    # a, b and c now each give one voter its cost: all tie; a and b take 24 of 30.
    default = _run(capsys, "compute", str(path), "--rule", "greedy", "--json")
    explicit = _run(
        capsys,
        "compute",
        str(path),
        "--rule",
        "greedy",
        "--json",
        "--tie-break",
        "explicit",
        "--order",
        "b",
    )

    assert json.loads(default[1])["winners"] == ["a", "b"]
    assert json.loads(explicit[1])["winners"] == ["b", "a"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compute", "{missing}"], "cannot read"),
        (["compute", "{malformed}"], "line 7: cost 'twelve' is not a number"),
        (["compute", "{cumulative}", "--rule", "phragmen"], "approval and choose-1 ballots only"),
        (["compute", "{file}", "--tie-break", "explicit", "--order", "z"], "unknown projects"),
        (["compute", "{file}", "--rule", "mes-add1-integral", "--increment", "0"], "positive"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(capsys, tmp_path, pb_file, argv, message) -> None:
    malformed = tmp_path / "malformed.pb"
    malformed.write_text(TEXT.replace("a;12", "a;twelve"), encoding="utf-8")
    cumulative = tmp_path / "cumulative.pb"
    cumulative.write_text(
        TEXT.replace("approval", "cumulative")
        .replace("voter_id;vote", "voter_id;vote;points")
        .replace("1;a,b\n", "1;a,b;1,2\n")
        .replace("2;a\n", "2;a;3\n")
        .replace("3;c\n", "3;c;3\n"),
        encoding="utf-8",
    )
    names = {
        "missing": str(tmp_path / "nothing.pb"),
        "malformed": str(malformed),
        "cumulative": str(cumulative),
        "file": str(pb_file),
    }

    code, out, err = _run(capsys, *[a.format(**names) for a in argv])

    assert code == 2
    assert out == ""
    assert message in err


def test_unknown_rule_is_refused(capsys, pb_file: Path) -> None:
    code, out, err = _run(capsys, "compute", str(pb_file), "--rule", "borda")

    assert code == 2
    assert "invalid choice: 'borda'" in err


def test_runs_as_parlons_pb_on_a_real_file() -> None:
    path = shared_data("pabulib", "Poland_Swiecie_2023.pb")

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "parlons",
            "pb",
            "compute",
            str(path),
            "--rule",
            "mes-add1-integral",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPOSITORY,
        env={"PYTHONPATH": str(REPOSITORY / "src"), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )

    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    official = [
        line.split(";")[0]
        for line in path.read_text(encoding="utf-8")
        .split("PROJECTS")[1]
        .split("VOTES")[0]
        .splitlines()[2:]
        if line.split(";")[4] == "1"
    ]
    assert data["rule"] == "mes-add1-integral"
    assert sorted(data["winners"]) == sorted(official)
    assert data["total_cost"] <= 1070000
