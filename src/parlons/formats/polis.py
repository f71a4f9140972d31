"""The Polis open-data export format: read and write a conversation directory.

A directory holds ``summary.csv`` (key, value rows), ``comments.csv``, ``votes.csv`` and
``participants-votes.csv``, as written by Polis' exporter
(``math/src/polismath/darwin/export.clj``: ``summary-data``, ``enriched-comments-data``,
``participants-votes-table``) and published at github.com/compdemocracy/openData.
Votes use agree = 1, disagree = -1, pass = 0. Reading keeps every field as it was, so
writing what was read gives the same conversation back; malformed input raises
``PolisFormatError`` naming the file, the line and the reason. Standard library only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUMMARY_FILE = "summary.csv"
COMMENTS_FILE = "comments.csv"
VOTES_FILE = "votes.csv"
PARTICIPANTS_FILE = "participants-votes.csv"

COMMENTS_HEADER = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANTS_HEADER = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
VOTE_VALUES = (-1, 0, 1)
MODERATION_VALUES = (-1, 0, 1)


class PolisFormatError(ValueError):
    """A file of a Polis export is malformed: ``file``, ``line`` (1-based) and ``reason``."""

    def __init__(self, *, file: str, line: int, reason: str) -> None:
        super().__init__(f"{file}, line {line}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Comment:
    """A row of ``comments.csv``; ``moderated`` is -1 (rejected), 0 (unmoderated) or 1."""

    timestamp: int
    datetime: str
    comment_id: int
    author_id: int
    agrees: int
    disagrees: int
    moderated: int
    body: str


@dataclass(frozen=True, slots=True)
class Vote:
    """A row of ``votes.csv`` (every vote cast, including ones later changed)."""

    timestamp: int
    datetime: str
    comment_id: int
    voter_id: int
    vote: int


@dataclass(frozen=True, slots=True)
class ParticipantVotes:
    """A row of ``participants-votes.csv``; ``votes`` follows ``PolisConversation.vote_columns``
    with None where the participant did not vote; ``group_id`` is None when not grouped."""

    participant: int
    group_id: int | None
    n_comments: int
    n_votes: int
    n_agree: int
    n_disagree: int
    votes: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class PolisConversation:
    """A whole export. ``summary`` keeps the rows of ``summary.csv`` in order."""

    summary: tuple[tuple[str, str], ...]
    comments: tuple[Comment, ...]
    votes: tuple[Vote, ...]
    vote_columns: tuple[int, ...]
    participants: tuple[ParticipantVotes, ...]

    def summary_value(self, key: str) -> str | None:
        """The value of a ``summary.csv`` key, or None."""
        return next((value for name, value in self.summary if name == key), None)

    def moderated_out(self) -> list[int]:
        """Ids of comments rejected by moderation (``moderated`` = -1, Polis ``mod-out``)."""
        return [c.comment_id for c in self.comments if c.moderated == -1]


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each one starts on."""
    if not path.is_file():
        raise PolisFormatError(file=path.name, line=0, reason="file is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, strict=True)
        line = 1
        try:
            for record in reader:
                yield line, record
                line = reader.line_num + 1
        except csv.Error as error:
            raise PolisFormatError(file=path.name, line=line, reason=f"bad CSV: {error}") from error
        except UnicodeDecodeError as error:
            raise PolisFormatError(file=path.name, line=line, reason="not UTF-8") from error


def _int(
    value: str, *, file: str, line: int, field: str, allowed: tuple[int, ...] | None = None
) -> int:
    try:
        number = int(value)
    except ValueError:
        raise PolisFormatError(
            file=file, line=line, reason=f"{field} {value!r} is not an integer"
        ) from None
    if allowed is not None and number not in allowed:
        raise PolisFormatError(
            file=file, line=line, reason=f"{field} {number} is not one of {allowed}"
        )
    return number


def _check_header(record: list[str], expected: tuple[str, ...], *, file: str) -> None:
    if tuple(record[: len(expected)]) != expected:
        raise PolisFormatError(
            file=file, line=1, reason=f"header must start with {','.join(expected)}"
        )


def read_summary(*, path: Path) -> tuple[tuple[str, str], ...]:
    """Rows of ``summary.csv`` as (key, value) pairs."""
    pairs = []
    for line, record in _rows(path):
        if len(record) != 2:
            raise PolisFormatError(
                file=path.name, line=line, reason=f"expected 2 fields, found {len(record)}"
            )
        pairs.append((record[0], record[1]))
    return tuple(pairs)


def read_comments(*, path: Path) -> tuple[Comment, ...]:
    """Rows of ``comments.csv``; comment ids must be unique."""
    rows = _rows(path)
    comments, seen = [], set()
    for line, record in rows:
        if line == 1:
            _check_header(record, COMMENTS_HEADER, file=path.name)
            continue
        if len(record) != len(COMMENTS_HEADER):
            raise PolisFormatError(
                file=path.name, line=line, reason=f"expected 8 fields, found {len(record)}"
            )
        ints = [
            _int(record[i], file=path.name, line=line, field=COMMENTS_HEADER[i])
            for i in (0, 2, 3, 4, 5)
        ]
        moderated = _int(
            record[6], file=path.name, line=line, field="moderated", allowed=MODERATION_VALUES
        )
        if ints[1] in seen:
            raise PolisFormatError(
                file=path.name, line=line, reason=f"duplicate comment-id {ints[1]}"
            )
        seen.add(ints[1])
        comments.append(
            Comment(ints[0], record[1], ints[1], ints[2], ints[3], ints[4], moderated, record[7])
        )
    return tuple(comments)


def read_votes(*, path: Path) -> tuple[Vote, ...]:
    """Rows of ``votes.csv``; a vote is -1, 0 or 1."""
    votes = []
    for line, record in _rows(path):
        if line == 1:
            _check_header(record, VOTES_HEADER, file=path.name)
            continue
        if len(record) != len(VOTES_HEADER):
            raise PolisFormatError(
                file=path.name, line=line, reason=f"expected 5 fields, found {len(record)}"
            )
        ts, cid, vid = (
            _int(record[i], file=path.name, line=line, field=VOTES_HEADER[i]) for i in (0, 2, 3)
        )
        vote = _int(record[4], file=path.name, line=line, field="vote", allowed=VOTE_VALUES)
        votes.append(Vote(ts, record[1], cid, vid, vote))
    return tuple(votes)


def read_participants(*, path: Path) -> tuple[tuple[int, ...], tuple[ParticipantVotes, ...]]:
    """``participants-votes.csv``: the comment-id columns and one row per participant."""
    rows = _rows(path)
    columns: tuple[int, ...] = ()
    participants = []
    for line, record in rows:
        if line == 1:
            _check_header(record, PARTICIPANTS_HEADER, file=path.name)
            columns = tuple(
                _int(x, file=path.name, line=1, field="comment column") for x in record[6:]
            )
            continue
        participants.append(
            _participant_row(record, line=line, width=6 + len(columns), file=path.name)
        )
    return columns, tuple(participants)


def _participant_row(record: list[str], *, line: int, width: int, file: str) -> ParticipantVotes:
    if len(record) != width:
        raise PolisFormatError(
            file=file, line=line, reason=f"expected {width} fields, found {len(record)}"
        )
    pid, *counts = (
        _int(record[i], file=file, line=line, field=PARTICIPANTS_HEADER[i]) for i in (0, 2, 3, 4, 5)
    )
    group = None if record[1] == "" else _int(record[1], file=file, line=line, field="group-id")
    votes = tuple(
        None if cell == "" else _int(cell, file=file, line=line, field="vote", allowed=VOTE_VALUES)
        for cell in record[6:]
    )
    return ParticipantVotes(pid, group, *counts, votes)


def read_conversation(*, directory: Path | str) -> PolisConversation:
    """Read the four files of an export directory."""
    directory = Path(directory)
    columns, participants = read_participants(path=directory / PARTICIPANTS_FILE)
    return PolisConversation(
        summary=read_summary(path=directory / SUMMARY_FILE),
        comments=read_comments(path=directory / COMMENTS_FILE),
        votes=read_votes(path=directory / VOTES_FILE),
        vote_columns=columns,
        participants=participants,
    )


def write_conversation(*, conversation: PolisConversation, directory: Path | str) -> None:
    """Write the four files so that ``read_conversation`` gives ``conversation`` back."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / SUMMARY_FILE, [list(pair) for pair in conversation.summary])
    _write(
        directory / COMMENTS_FILE,
        [list(COMMENTS_HEADER)]
        + [
            [
                c.timestamp,
                c.datetime,
                c.comment_id,
                c.author_id,
                c.agrees,
                c.disagrees,
                c.moderated,
                c.body,
            ]
            for c in conversation.comments
        ],
    )
    _write(
        directory / VOTES_FILE,
        [list(VOTES_HEADER)]
        + [[v.timestamp, v.datetime, v.comment_id, v.voter_id, v.vote] for v in conversation.votes],
    )
    _write(
        directory / PARTICIPANTS_FILE,
        [list(PARTICIPANTS_HEADER) + list(conversation.vote_columns)]
        + [
            [
                p.participant,
                "" if p.group_id is None else p.group_id,
                p.n_comments,
                p.n_votes,
                p.n_agree,
                p.n_disagree,
            ]
            + ["" if x is None else x for x in p.votes]
            for p in conversation.participants
        ],
    )


def _write(path: Path, rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def latest_votes(*, votes: tuple[Vote, ...]) -> dict[tuple[int, int], int]:
    """The vote that counts per (voter, comment): the latest by timestamp, ties going to the
    later row, as Polis' rating matrix keeps the last vote (``named_matrix.clj`` ``update-nmat``)."""
    order = sorted(range(len(votes)), key=lambda i: votes[i].timestamp)
    return {(votes[i].voter_id, votes[i].comment_id): votes[i].vote for i in order}


def derived_summary(*, conversation: PolisConversation) -> dict[str, int]:
    """The counts of ``summary.csv`` recomputed from the other files (``export.clj``
    ``summary-data``): voters, voters-in-conv, commenters, comments (those with a vote)
    and groups."""
    latest = latest_votes(votes=conversation.votes)
    voters = {voter for voter, _ in latest}
    groups = {p.group_id for p in conversation.participants if p.group_id is not None}
    return {
        "voters": len(voters),
        "voters-in-conv": len(conversation.participants),
        "commenters": len({c.author_id for c in conversation.comments}),
        "comments": len({comment for _, comment in latest}),
        "groups": len(groups),
    }


def participant_rows(*, conversation: PolisConversation) -> list[ParticipantVotes]:
    """``participants-votes.csv`` rebuilt from the votes and comments, with the group ids
    that were read (a consistency check for imports and a basis for exports). Rows come
    in order of each voter's first row in ``votes.csv`` (``reconstruct-vote-matrix``)."""
    latest = latest_votes(votes=conversation.votes)
    groups = {p.participant: p.group_id for p in conversation.participants}
    authored: dict[int, int] = {}
    for c in conversation.comments:
        authored[c.author_id] = authored.get(c.author_id, 0) + 1
    by_voter: dict[int, dict[int, int]] = {}
    for (voter, comment), vote in latest.items():
        by_voter.setdefault(voter, {})[comment] = vote
    first_seen = dict.fromkeys(v.voter_id for v in conversation.votes)
    rows = []
    for voter in first_seen:
        cast = by_voter[voter]
        rows.append(
            ParticipantVotes(
                participant=voter,
                group_id=groups.get(voter),
                n_comments=authored.get(voter, 0),
                n_votes=len(cast),
                n_agree=sum(1 for v in cast.values() if v == 1),
                n_disagree=sum(1 for v in cast.values() if v == -1),
                votes=tuple(cast.get(column) for column in conversation.vote_columns),
            )
        )
    return rows
