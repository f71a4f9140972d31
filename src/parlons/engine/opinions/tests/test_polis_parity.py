"""Our opinion groups against the groups Polis computed (``group-id`` of
``participants-votes.csv``) on the real conversations in ``../shared/data/polis/``.

Done-when: same number of groups and adjusted Rand index ≥ 0.8 over the participants Polis
grouped. The index is printed (``pytest -s``), recorded as a test property and emitted as a
``PolisParity`` warning, so it shows in every test report.

What holds and what does not (measured, from scratch on the final votes, rows in the order
Polis' math loads a conversation — ``parlons.cli.opinions.compute``):

- vTaiwan UberX: 2 groups like Polis, ARI 0.927 (0.887 with rows in time order) — asserted.
- scoop-hivemind.ubi: 3 groups where Polis shows 4, ARI 0.179 — xfail. Polis grouped all
  234 voters, including 60 with fewer than 7 votes, which its in-conversation rule (since
  2014) would leave out; its groups 0 and 2 have the same centre on the final data's PCA
  (in our projection and in a dense one), so they come from an earlier state of the
  conversation (the export keeps the last stored clustering; the math before October 2017,
  Polis commit 90b5b9e6, also filled missing votes with 0). Zero-fill, clustering everyone,
  base k from 20 to 100 and a replay of the vote history in daily updates all stay ≤ 0.36.
- football-concussions: 4 groups where Polis shows 2, ARI 0.160 — xfail. Polis grouped
  1,434 voters, 842 of them with fewer than 7 votes: everyone who joined before 2018 is
  grouped, everyone who joined later with fewer than 7 votes is not — the trace of an older
  rule kept by "once in, always in". Clustering exactly Polis' grouped set, base k from 20
  to 100, and replaying the history give ARI between −0.1 and 0.6.
"""

import warnings

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from parlons.cli.opinions import compute
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
                reason="measured ARI 0.179, 3 groups vs Polis 4: Polis' stored groups come "
                "from an earlier state of the conversation (see the module docstring)",
            ),
        ),
        pytest.param(
            "football-concussions",
            marks=pytest.mark.xfail(
                strict=True,
                reason="measured ARI 0.160, 4 groups vs Polis 2: Polis grouped 842 voters "
                "with fewer than 7 votes under an older rule (see the module docstring)",
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
