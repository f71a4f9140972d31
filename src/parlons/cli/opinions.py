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


def vote_batch(*, conversation: PolisConversation) -> VoteBatch:
    """Every row of ``votes.csv`` as engine input (the engine keeps the latest per pair)."""
    votes = conversation.votes
    return VoteBatch.from_arrays(
        participant=np.fromiter((v.voter_id for v in votes), dtype=np.int64, count=len(votes)),
        comment=np.fromiter((v.comment_id for v in votes), dtype=np.int64, count=len(votes)),
        vote=np.fromiter((v.vote for v in votes), dtype=np.int8, count=len(votes)),
        timestamp=np.fromiter((v.timestamp for v in votes), dtype=np.int64, count=len(votes)),
    )


def compute(*, conversation: PolisConversation) -> OpinionMap:
    """The opinion map of an imported conversation, moderated-out comments excluded."""
    return compute_opinion_map(
        votes=vote_batch(conversation=conversation), moderated_out=conversation.moderated_out()
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
