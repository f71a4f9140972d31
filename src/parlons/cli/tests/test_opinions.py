"""``parlons opinions compute DIR --json`` run as researchers run it, in a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parlons.formats.polis import read_conversation
from parlons.testing.data import shared_data

SRC = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "parlons", "opinions", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


def test_json_output_has_the_documented_shape() -> None:
    directory = shared_data("polis", "scoop-hivemind.ubi")
    conversation = read_conversation(directory=directory)

    done = _run("compute", str(directory), "--json")

    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert set(document) == {"participants", "groups", "consensus", "divisive"}
    voters = {str(v.voter_id) for v in conversation.votes}
    assert set(document["participants"]) == voters
    for entry in document["participants"].values():
        assert set(entry) == {"group", "x", "y"}
        assert entry["group"] is None or isinstance(entry["group"], int)
        assert isinstance(entry["x"], float) and isinstance(entry["y"], float)
    group_ids = [g["id"] for g in document["groups"]]
    assert 2 <= len(group_ids) <= 5
    assert all(set(g) == {"id", "size", "representative"} for g in document["groups"])
    grouped = [e["group"] for e in document["participants"].values() if e["group"] is not None]
    assert sorted(set(grouped)) == sorted(group_ids)
    assert [g["size"] for g in document["groups"]] == [grouped.count(i) for i in group_ids]
    # Participants with too few votes stay out, as in Polis.
    few = {str(p.participant) for p in conversation.participants if p.n_votes < 7}
    assert few and all(document["participants"][p]["group"] is None for p in few)
    comment_ids = {c.comment_id for c in conversation.comments}
    hidden = set(conversation.moderated_out())
    listed = document["consensus"] + document["divisive"]
    listed += [c for g in document["groups"] for c in g["representative"]]
    assert all(isinstance(c, int) for c in listed)
    assert set(listed) <= comment_ids - hidden
    assert all(g["representative"] for g in document["groups"])


def test_text_output_names_the_groups() -> None:
    directory = shared_data("polis", "scoop-hivemind.ubi")

    done = _run("compute", str(directory))

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("234 participants, ")
    assert "group 0: " in done.stdout


@pytest.mark.parametrize("missing", ["votes.csv", None])
def test_an_unreadable_directory_is_a_clear_error(tmp_path: Path, missing: str | None) -> None:
    if missing:
        (tmp_path / "summary.csv").write_text("topic,t\n", encoding="utf-8")

    done = _run("compute", str(tmp_path), "--json")

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: ") and "file is missing" in done.stderr


def test_polis_load_order_keeps_the_latest_vote_and_orders_rows_by_comment() -> None:
    from parlons.cli.opinions import vote_batch
    from parlons.engine.opinions import VoteMatrix
    from parlons.formats.polis import PolisConversation, Vote

    conversation = PolisConversation(
        summary=(),
        comments=(),
        votes=(
            Vote(1, "", comment_id=5, voter_id=9, vote=1),
            Vote(2, "", comment_id=2, voter_id=7, vote=-1),
            Vote(3, "", comment_id=5, voter_id=9, vote=-1),  # changes voter 9's vote
            Vote(4, "", comment_id=5, voter_id=3, vote=0),
        ),
        vote_columns=(),
        participants=(),
    )

    matrix = VoteMatrix()
    matrix.add(batch=vote_batch(conversation=conversation, polis_load_order=True))

    # Comment 2 first (voter 7), then comment 5 by voter id (3, then 9).
    assert matrix.participants.names.tolist() == [7, 3, 9]
    assert matrix.comments.names.tolist() == [2, 5]
    assert matrix.to_csr().toarray().tolist() == [[-1.0, 0.0], [0.0, 0.0], [0.0, -1.0]]
    assert matrix.to_csr().nnz == 3
