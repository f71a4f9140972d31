"""``parlons opinions compute DIR [--json]``: the opinion map of a Polis export directory.

Pure computation over files, no Django (see ``parlons.__main__``). With ``--json`` prints
``{"participants": {"<id>": {"group", "x", "y"}}, "groups": [{"id", "size",
"representative"}], "consensus": [...], "divisive": [...]}``; participants left out of
the clustering (too few votes, as in Polis) have group null.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from parlons.engine.opinions import OpinionMap, VoteBatch, compute_opinion_map
from parlons.formats.polis import PolisConversation, PolisFormatError, read_conversation


def vote_batch(*, conversation: PolisConversation, polis_load_order: bool = False) -> VoteBatch:
    """Every row of ``votes.csv`` as engine input (the engine keeps the latest per pair).

    With ``polis_load_order`` the votes come in the order Polis' math reads a whole
    conversation from its database (``components/postgres.clj`` ``conv-poll``: ``ORDER BY
    zid, tid, pid, created``), so that the rows of the vote matrix — which seed k-means —
    are in Polis' order: the voters of the first comment by id, then the new voters of the
    next, and so on. Timestamps become positions in that order; the latest vote on each
    (participant, comment) pair still wins, as ``created`` is the last sort key.
    """
    votes = conversation.votes
    if polis_load_order:
        votes = sorted(votes, key=lambda v: (v.comment_id, v.voter_id, v.timestamp))
    n = len(votes)
    timestamps = (
        np.arange(n, dtype=np.int64)
        if polis_load_order
        else np.fromiter((v.timestamp for v in votes), dtype=np.int64, count=n)
    )
    return VoteBatch.from_arrays(
        participant=np.fromiter((v.voter_id for v in votes), dtype=np.int64, count=n),
        comment=np.fromiter((v.comment_id for v in votes), dtype=np.int64, count=n),
        vote=np.fromiter((v.vote for v in votes), dtype=np.int8, count=n),
        timestamp=timestamps,
    )


def compute(*, conversation: PolisConversation) -> OpinionMap:
    """The opinion map of an imported conversation, moderated-out comments excluded, as
    Polis computes it when it loads the conversation (rows in Polis' load order)."""
    return compute_opinion_map(
        votes=vote_batch(conversation=conversation, polis_load_order=True),
        moderated_out=conversation.moderated_out(),
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parlons opinions", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("compute", help="compute the opinion map of a Polis export directory")
    run.add_argument(
        "directory", help="folder with comments.csv, votes.csv, participants-votes.csv, summary.csv"
    )
    run.add_argument("--json", action="store_true", help="print the map as JSON")
    return parser


def _text(result: OpinionMap) -> str:
    lines = [f"{result.participant_ids.shape[0]} participants, {len(result.groups)} groups"]
    for group in result.groups:
        reps = ", ".join(str(r.comment_id) for r in group.representative)
        lines.append(f"group {group.id}: {group.size} participants; representative comments {reps}")
    lines.append(f"consensus: {', '.join(map(str, result.consensus)) or '-'}")
    lines.append(f"divisive: {', '.join(map(str, result.divisive)) or '-'}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Entry point called by ``parlons opinions ...``; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        conversation = read_conversation(directory=args.directory)
    except PolisFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    result = compute(conversation=conversation)
    if args.json:
        json.dump(result.to_json(), sys.stdout)
        sys.stdout.write("\n")
    else:
        print(_text(result))
    return 0
