"""The Polis open-data format: every shared conversation round-trips byte for byte, its
summary counts are reproduced, and malformed files are refused with file and line."""

import csv
import filecmp
from pathlib import Path

import pytest

from parlons.formats.polis import (
    COMMENTS_FILE,
    PARTICIPANTS_FILE,
    SUMMARY_FILE,
    VOTES_FILE,
    PolisFormatError,
    Vote,
    derived_summary,
    latest_votes,
    participant_rows,
    read_conversation,
    write_conversation,
)
from parlons.testing.data import shared_data

CONVERSATIONS = ["vtaiwan.uberx", "scoop-hivemind.ubi", "football-concussions"]
FILES = (SUMMARY_FILE, COMMENTS_FILE, VOTES_FILE, PARTICIPANTS_FILE)
SUMMARY_COUNTS = ("voters", "voters-in-conv", "commenters", "comments", "groups")


@pytest.fixture(scope="module", params=CONVERSATIONS)
def conversation_dir(request) -> Path:
    return shared_data("polis", request.param)


def test_round_trip_is_lossless(conversation_dir: Path, tmp_path: Path) -> None:
    conversation = read_conversation(directory=conversation_dir)

    write_conversation(conversation=conversation, directory=tmp_path / "out")

    assert read_conversation(directory=tmp_path / "out") == conversation
    for name in FILES:
        assert filecmp.cmp(conversation_dir / name, tmp_path / "out" / name, shallow=False), name


def test_summary_counts_are_reproduced(conversation_dir: Path) -> None:
    conversation = read_conversation(directory=conversation_dir)

    derived = derived_summary(conversation=conversation)

    assert derived == {key: int(conversation.summary_value(key)) for key in SUMMARY_COUNTS}


def test_counts_match_the_source_files(conversation_dir: Path) -> None:
    conversation = read_conversation(directory=conversation_dir)

    for name, rows in (
        (COMMENTS_FILE, conversation.comments),
        (VOTES_FILE, conversation.votes),
        (PARTICIPANTS_FILE, conversation.participants),
    ):
        with (conversation_dir / name).open(newline="", encoding="utf-8") as handle:
            assert len(rows) == sum(1 for _ in csv.reader(handle)) - 1, name


def test_participant_table_is_rebuilt_from_the_votes(conversation_dir: Path) -> None:
    conversation = read_conversation(directory=conversation_dir)

    assert tuple(participant_rows(conversation=conversation)) == conversation.participants


def test_latest_vote_wins_ties_going_to_the_later_row() -> None:
    votes = (
        Vote(5, "", comment_id=1, voter_id=7, vote=1),
        Vote(3, "", comment_id=1, voter_id=7, vote=-1),
        Vote(5, "", comment_id=2, voter_id=7, vote=-1),
        Vote(5, "", comment_id=2, voter_id=7, vote=0),
    )

    assert latest_votes(votes=votes) == {(7, 1): 1, (7, 2): 0}


def _write_minimal(directory: Path, *, votes: str, comments: str | None = None) -> None:
    directory.mkdir()
    (directory / SUMMARY_FILE).write_text("topic,t\nvoters,1\n", encoding="utf-8")
    (directory / COMMENTS_FILE).write_text(
        comments
        or "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,d,0,0,1,0,0,Hello\n",
        encoding="utf-8",
    )
    (directory / VOTES_FILE).write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n" + votes, encoding="utf-8"
    )
    (directory / PARTICIPANTS_FILE).write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n0,,1,1,1,0,1\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("votes", "comments", "file", "line", "reason"),
    [
        ("1,d,0,0,2\n", None, VOTES_FILE, 2, "vote 2 is not one of (-1, 0, 1)"),
        ("1,d,0,0,1\n2,d,x,0,1\n", None, VOTES_FILE, 3, "comment-id 'x' is not an integer"),
        ("1,d,0,0\n", None, VOTES_FILE, 2, "expected 5 fields, found 4"),
        (
            "1,d,0,0,1\n",
            "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
            "1,d,0,0,1,0,0,a\n1,d,0,0,1,0,0,b\n",
            COMMENTS_FILE,
            3,
            "duplicate comment-id 0",
        ),
        (
            "1,d,0,0,1\n",
            "id,body\n1,a\n",
            COMMENTS_FILE,
            1,
            "header must start with timestamp,datetime,comment-id",
        ),
    ],
)
def test_malformed_files_name_file_line_and_reason(
    tmp_path: Path, votes: str, comments: str | None, file: str, line: int, reason: str
) -> None:
    _write_minimal(tmp_path / "conv", votes=votes, comments=comments)

    with pytest.raises(PolisFormatError) as error:
        read_conversation(directory=tmp_path / "conv")

    assert (error.value.file, error.value.line) == (file, line)
    assert error.value.reason.startswith(reason)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    _write_minimal(tmp_path / "conv", votes="1,d,0,0,1\n")
    (tmp_path / "conv" / VOTES_FILE).unlink()

    with pytest.raises(PolisFormatError, match="votes.csv, line 0: file is missing"):
        read_conversation(directory=tmp_path / "conv")
