"""Opinion maps in and out of the Polis open-data format (``formats.polis``).

Import keeps what the export needs to give the files back: each statement's Polis id,
timestamp and date text, the rows of ``votes.csv`` in their order (the latest vote per
voter and statement as ``StatementVote``, earlier ones in ``StatementVoteHistory``), the
``summary.csv`` rows, and the difference between the agree / disagree counts written in
``comments.csv`` and those the votes give (Polis counts them its own way).  Export writes
the summary counts and ``participants-votes.csv`` from the votes, with the groups of our
latest map (the imported ``group-id`` where no map was computed).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from parlons.core.audit.services import log_action
from parlons.core.processes.models import ModuleInstance
from parlons.formats import polis
from parlons.modules.debates.models import (
    Kind,
    MapState,
    Statement,
    StatementVote,
    StatementVoteHistory,
    Voter,
)
from parlons.modules.debates.services.common import ensure_kind

STATUS = {-1: Statement.Status.REJECTED, 0: Statement.Status.PENDING, 1: Statement.Status.ACCEPTED}
MODERATED = {value: key for key, value in STATUS.items()}


def _tallies(latest: dict[tuple[int, int], int]) -> tuple[Counter, Counter]:
    agrees = Counter(c for (_v, c), vote in latest.items() if vote == 1)
    disagrees = Counter(c for (_v, c), vote in latest.items() if vote == -1)
    return agrees, disagrees


@transaction.atomic
def do_import_conversation(
    *, actor: Any, instance: ModuleInstance, conversation: polis.PolisConversation
) -> dict[str, int]:
    """Load a whole conversation into an empty opinion map."""
    ensure_kind(instance, Kind.MAP)
    if Statement.objects.filter(instance=instance).exists():
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("Import a conversation into an empty opinion map."), code="busy")
    groups = {p.participant: p.group_id for p in conversation.participants}
    numbers = set(groups) | {v.voter_id for v in conversation.votes}
    numbers |= {c.author_id for c in conversation.comments}
    voters = {
        v.number: v
        for v in Voter.objects.bulk_create(
            [
                Voter(instance=instance, number=n, source_group=groups.get(n))
                for n in sorted(numbers)
            ]
        )
    }
    latest = polis.latest_votes(votes=conversation.votes)
    agrees, disagrees = _tallies(latest)
    statements = {
        s.number: s
        for s in Statement.objects.bulk_create(
            [
                Statement(
                    instance=instance,
                    number=c.comment_id,
                    position=i,
                    voter=voters[c.author_id],
                    body=c.body,
                    status=STATUS[c.moderated],
                    source_timestamp=c.timestamp,
                    source_datetime=c.datetime,
                    created_at=datetime.fromtimestamp(c.timestamp / 1000, tz=UTC),
                    agree_offset=c.agrees - agrees[c.comment_id],
                    disagree_offset=c.disagrees - disagrees[c.comment_id],
                )
                for i, c in enumerate(conversation.comments)
            ]
        )
    }
    _import_votes(instance, conversation.votes, voters, statements)
    MapState.objects.update_or_create(
        instance=instance,
        defaults={"summary": [list(pair) for pair in conversation.summary], "computed_at": None},
    )
    counts = {
        "statements": len(statements),
        "votes": len(conversation.votes),
        "voters": len(voters),
    }
    log_action(actor=actor, code="debates.conversation.imported", target=instance, data=counts)
    return counts


def _import_votes(instance, votes, voters, statements) -> None:
    order = sorted(range(len(votes)), key=lambda i: votes[i].timestamp)
    last = {(votes[i].voter_id, votes[i].comment_id): i for i in order}
    keep = set(last.values())
    now = datetime.now(tz=UTC)
    current, earlier = [], []
    for row, vote in enumerate(votes):
        fields = {
            "instance": instance,
            "statement": statements[vote.comment_id],
            "voter": voters[vote.voter_id],
            "value": vote.vote,
            "timestamp": vote.timestamp,
            "source_datetime": vote.datetime,
            "row": row,
        }
        if row in keep:
            current.append(StatementVote(changed_at=now, **fields))
        else:
            earlier.append(StatementVoteHistory(**fields))
    StatementVote.objects.bulk_create(current, batch_size=2000)
    StatementVoteHistory.objects.bulk_create(earlier, batch_size=2000)


def _polis_datetime(stamp: int) -> str:
    return datetime.fromtimestamp(stamp / 1000, tz=UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def export_conversation(*, instance: ModuleInstance) -> polis.PolisConversation:
    """The opinion map as a Polis conversation (every vote cast, in order)."""
    numbers = dict(Voter.objects.filter(instance=instance).values_list("pk", "number"))
    statements = list(Statement.objects.filter(instance=instance).order_by("position", "pk"))
    by_pk = {s.pk: s.number for s in statements}
    fields = ("statement_id", "voter_id", "value", "timestamp", "source_datetime", "row")
    rows = list(StatementVoteHistory.objects.filter(instance=instance).values_list(*fields))
    rows += list(StatementVote.objects.filter(instance=instance).values_list(*fields))
    rows.sort(key=lambda r: (r[5] is None, r[5] if r[5] is not None else 0, r[3]))
    votes = tuple(
        polis.Vote(
            timestamp=stamp,
            datetime=text or _polis_datetime(stamp),
            comment_id=by_pk[statement],
            voter_id=numbers[voter],
            vote=value,
        )
        for statement, voter, value, stamp, text, _row in rows
    )
    agrees, disagrees = _tallies(polis.latest_votes(votes=votes))
    comments = tuple(
        polis.Comment(
            timestamp=s.source_timestamp or int(s.created_at.timestamp() * 1000),
            datetime=s.source_datetime or _polis_datetime(int(s.created_at.timestamp() * 1000)),
            comment_id=s.number,
            author_id=numbers.get(s.voter_id, -1) if s.voter_id else -1,
            agrees=agrees[s.number] + s.agree_offset,
            disagrees=disagrees[s.number] + s.disagree_offset,
            moderated=-1 if s.hidden_at else MODERATED[s.status],
            body=s.body,
        )
        for s in statements
    )
    return _with_participants(instance, comments, votes)


def _with_participants(instance, comments, votes) -> polis.PolisConversation:
    row = MapState.objects.filter(instance=instance).first()
    computed = (row.result or {}).get("participants", {}) if row else {}
    source = dict(Voter.objects.filter(instance=instance).values_list("number", "source_group"))
    groups = {
        number: (computed[str(number)]["group"] if str(number) in computed else source.get(number))
        for number in source
    }
    columns = tuple(sorted({v.comment_id for v in votes}))
    draft = polis.PolisConversation(
        summary=(),
        comments=comments,
        votes=votes,
        vote_columns=columns,
        participants=tuple(polis.ParticipantVotes(n, g, 0, 0, 0, 0, ()) for n, g in groups.items()),
    )
    participants = tuple(polis.participant_rows(conversation=draft))
    draft = polis.PolisConversation((), comments, votes, columns, participants)
    derived = polis.derived_summary(conversation=draft)
    stored = [tuple(pair) for pair in (row.summary if row else [])] or [("topic", str(instance))]
    keys = {key for key, _value in stored}
    summary = tuple((k, str(derived[k]) if k in derived else v) for k, v in stored)
    summary += tuple((k, str(v)) for k, v in derived.items() if k not in keys)
    return polis.PolisConversation(summary, comments, votes, columns, participants)
