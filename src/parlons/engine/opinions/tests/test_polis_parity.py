"""Our opinion groups against the groups Polis computed (``group-id`` of
``participants-votes.csv``) on the real conversations in ``../shared/data/polis/``.

Done-when: same number of groups and adjusted Rand index ≥ 0.8 over the participants Polis
grouped. The index is printed (``pytest -s``), recorded as a test property and emitted as a
``PolisParity`` warning, so it shows in every test report.

What holds and what does not (measured, from scratch on the final votes, rows in the order
Polis' math loads a conversation — ``parlons.cli.opinions.compute``):

- vTaiwan UberX: 2 groups like Polis, ARI 0.927 (0.887 with rows in time order) — asserted.
- scoop-hivemind.ubi: 3 groups where Polis shows 4, ARI 0.179 — xfail.
- football-concussions: 4 groups where Polis shows 2, ARI 0.160 — xfail.

Why (``polis_history.py``; the tests below assert each step). Polis' export prints the
clustering of its last stored update, and each update is warm-started from the previous
one. From 2017-02-27 (b68ca8b6) to 2017-10-31 (acd818c9) Polis counted the zeroed columns
of moderated-out and meta comments as votes of everyone in ``:user-vote-counts``, so any
update in that window put every participant in the conversation, for good. Replaying the
in-conversation rule with that window (fix live by 2018-01-01) gives exactly the set Polis
grouped: football 1,434 of 1,434 (everyone who voted before 2018), scoop 234 of 234 when its
11 demographic statements (ids 32–42, "I am male", "I live in a city"...) are meta — the
export has no ``is_meta`` column, but without them the window would have let in 176, not
234 —, and vTaiwan 1,219 of 1,219 without the window (its stored state shows no trace of
it). So who is grouped is explained; the groups themselves are not reproducible from the
export:

- scoop: the 2017 pipeline (missing votes filled with 0 before 90b5b9e6, meta and
  moderated-out columns zeroed, everyone clustered) from scratch on the final votes finds
  Polis' groups at k = 4 (ARI 0.894, asserted below), but silhouette picks k = 2 (ARI
  0.42): Polis' 4 come from its history of warm-started updates and the k smoother.
  Replaying that history with the 2017 pipeline in updates of a fixed length gives, by
  update length: 1 day 0.958 (4 groups), the same shifted by 6 h 0.066 (2), by 12 h 0.970
  (4), by 18 h 0.982 (4); 4 h 0.719 (3); 2 h 0.703 (3); 1 h 0.848 (5); 30 min and 10 min
  0.045 (2). Polis updated on each poll of new votes, which the export does not record:
  parity depends on a cadence we cannot know, so it is not claimed.
- football: with Polis' own grouped set, the final votes give ARI −0.07 (mean fill, k by
  silhouette 3) and −0.08 at k = 2; a daily replay of four years with the 2017 window
  groups the same 1,434 participants but into 5 groups, ARI 0.416. Polis' group 1 (153
  participants) is not a k-means cluster of the final data's projection.
"""

import warnings

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from parlons.cli.opinions import compute, vote_batch
from parlons.engine.opinions import OpinionState
from parlons.engine.opinions.tests.polis_history import in_conversation_history, legacy_groups
from parlons.formats.polis import read_conversation
from parlons.testing.data import shared_data

pytestmark = pytest.mark.slow


class PolisParity(UserWarning):
    """The measured agreement with Polis' groups on one conversation."""


def _measure(name: str) -> dict:
    conversation = read_conversation(directory=shared_data("polis", name))
    result = compute(conversation=conversation)
    polis = {p.participant: p.group_id for p in conversation.participants if p.group_id is not None}
    ours = dict(zip(result.participant_ids.tolist(), result.group.tolist(), strict=True))
    ids = sorted(polis)
    ari = adjusted_rand_score([polis[i] for i in ids], [ours.get(i, -1) for i in ids])
    return {
        "ari": float(ari),
        "polis_groups": len(set(polis.values())),
        "our_groups": len(result.groups),
        "polis_grouped": len(ids),
        "our_grouped": int(np.sum(result.group >= 0)),
    }


@pytest.mark.parametrize(
    "name",
    [
        "vtaiwan.uberx",
        pytest.param(
            "scoop-hivemind.ubi",
            marks=pytest.mark.xfail(
                strict=True,
                reason="measured ARI 0.179, 3 groups vs Polis 4: Polis grouped everyone under "
                "a 2017 vote-count bug and zero-filled missing votes; its k = 4 comes from its "
                "update history (replays: ARI 0.05-0.98 by update cadence; module docstring)",
            ),
        ),
        pytest.param(
            "football-concussions",
            marks=pytest.mark.xfail(
                strict=True,
                reason="measured ARI 0.160, 4 groups vs Polis 2: Polis grouped 842 voters "
                "with fewer than 7 votes under a 2017 vote-count bug (reproduced exactly); "
                "its 2 groups come from four years of warm-started updates (replay: ARI "
                "0.42, 5 groups; module docstring)",
            ),
        ),
    ],
)
def test_groups_match_polis(name: str, record_property) -> None:
    measured = _measure(name)
    line = (
        f"Polis parity {name}: ARI {measured['ari']:.3f}, groups {measured['our_groups']} "
        f"(Polis {measured['polis_groups']}), grouped {measured['our_grouped']} "
        f"(Polis {measured['polis_grouped']})"
    )
    print(line)
    record_property("ari", round(measured["ari"], 3))
    warnings.warn(line, PolisParity, stacklevel=1)

    assert measured["our_groups"] == measured["polis_groups"]
    assert measured["ari"] >= 0.8


def _grouped(conversation) -> set[int]:
    return {p.participant for p in conversation.participants if p.group_id is not None}


@pytest.mark.parametrize(
    ("name", "meta", "with_window"),
    [
        ("vtaiwan.uberx", (), False),
        ("scoop-hivemind.ubi", tuple(range(32, 43)), True),
        ("football-concussions", (), True),
    ],
)
def test_who_polis_grouped_is_its_in_conversation_rule_replayed(name, meta, with_window) -> None:
    conversation = read_conversation(directory=shared_data("polis", name))
    window = {} if with_window else {"bug_start_ms": 0, "bug_fix_ms": 0}
    replayed = in_conversation_history(
        votes=conversation.votes,
        zeroed=set(conversation.moderated_out()) | set(meta),
        **window,
    )
    assert replayed == _grouped(conversation)


def test_without_meta_statements_the_window_would_not_group_everyone_in_scoop() -> None:
    conversation = read_conversation(directory=shared_data("polis", "scoop-hivemind.ubi"))
    replayed = in_conversation_history(
        votes=conversation.votes, zeroed=set(conversation.moderated_out())
    )
    assert len(replayed) == 176 < len(_grouped(conversation)) == 234


def test_the_2017_pipeline_finds_polis_scoop_groups_at_polis_k_but_not_its_k() -> None:
    conversation = read_conversation(directory=shared_data("polis", "scoop-hivemind.ubi"))
    state = OpinionState()
    state.add_votes(batch=vote_batch(conversation=conversation, polis_load_order=True))
    sparse = state.matrix.to_csr().tocoo()
    votes = np.full(sparse.shape, np.nan)
    votes[sparse.row, sparse.col] = sparse.data
    names = np.asarray(state.matrix.participants.names)
    comments = np.asarray(state.matrix.comments.names)
    zeroed = np.isin(comments, [*conversation.moderated_out(), *range(32, 43)])
    everyone = np.ones(names.shape[0], dtype=bool)
    polis = {p.participant: p.group_id for p in conversation.participants}
    truth = [polis[int(n)] for n in names]

    at_four = legacy_groups(votes=votes, zeroed=zeroed, clustered=everyone, k=4)
    by_silhouette = legacy_groups(votes=votes, zeroed=zeroed, clustered=everyone)
    four, free = adjusted_rand_score(truth, at_four), adjusted_rand_score(truth, by_silhouette)
    print(f"scoop, 2017 pipeline: ARI {four:.3f} at k = 4, {free:.3f} by silhouette")
    assert four >= 0.8
    assert len(set(by_silhouette.tolist())) == 2
