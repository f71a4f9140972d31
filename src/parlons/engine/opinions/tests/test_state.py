"""The opinion map as the debates module uses it: votes in, latest vote wins, hidden
statements ignored, an incremental update equal to a full computation."""

import pickle

import numpy as np
import pytest

from parlons.engine.opinions import (
    OpinionConfig,
    OpinionMap,
    OpinionState,
    VoteBatch,
    VoteMatrix,
    compute_opinion_map,
)

N_COMMENTS = 20


def _two_camps(*, per_camp: int = 40, noise: float = 0.1, seed: int = 0) -> VoteBatch:
    """Camp A agrees with comments 0-9 and disagrees with 10-19; camp B the reverse;
    comments 18 and 19 are agreed by everyone. Each vote flips with probability ``noise``."""
    rng = np.random.default_rng(seed)
    participants, comments, votes = [], [], []
    for p in range(2 * per_camp):
        camp = 1 if p < per_camp else -1
        for c in range(N_COMMENTS):
            vote = 1 if c >= 18 else (camp if c < 10 else -camp)
            if c < 18 and rng.random() < noise:
                vote = -vote
            participants.append(1000 + p)
            comments.append(c)
            votes.append(vote)
    return VoteBatch.from_arrays(participant=participants, comment=comments, vote=votes)


def _partition(result: OpinionMap) -> dict[int, set[int]]:
    """Participants by group, keyed by the smallest participant id of each group."""
    groups: dict[int, set[int]] = {}
    for pid, group in zip(result.participant_ids.tolist(), result.group.tolist(), strict=True):
        groups.setdefault(group, set()).add(pid)
    return {min(members): members for members in groups.values()}


def _subset(batch: VoteBatch, mask: np.ndarray) -> VoteBatch:
    return VoteBatch.from_arrays(
        participant=batch.participant[mask],
        comment=batch.comment[mask],
        vote=batch.vote[mask],
        timestamp=batch.timestamp[mask],
    )


def test_two_camps_give_two_groups_with_their_statements() -> None:
    result = compute_opinion_map(votes=_two_camps())

    assert sorted(len(m) for m in _partition(result).values()) == [40, 40]
    assert {frozenset(m) for m in _partition(result).values()} == {
        frozenset(range(1000, 1040)),
        frozenset(range(1040, 1080)),
    }
    assert [g.size for g in result.groups] == [40, 40]
    assert set(result.consensus) == {18, 19}
    assert set(result.divisive) <= set(range(18))
    for group in result.groups:
        assert group.representative
        assert all(r.comment_id < 18 for r in group.representative)
    np.testing.assert_array_equal(result.closest_group, result.group)


def test_validation_refuses_bad_votes() -> None:
    with pytest.raises(ValueError, match="a vote must be -1"):
        VoteBatch.from_arrays(participant=[1], comment=[1], vote=[2])
    with pytest.raises(ValueError, match="same length"):
        VoteBatch.from_arrays(participant=[1, 2], comment=[1], vote=[1])
    with pytest.raises(ValueError, match="non-negative"):
        VoteBatch.from_arrays(participant=[-1], comment=[1], vote=[1])


def test_latest_vote_wins_across_and_within_batches() -> None:
    matrix = VoteMatrix()
    matrix.add(
        batch=VoteBatch.from_arrays(
            participant=[7, 7, 8], comment=[1, 1, 1], vote=[1, -1, 0], timestamp=[10, 20, 10]
        )
    )
    # A later vote replaces, an older one arriving late does not.
    changed = matrix.add(
        batch=VoteBatch.from_arrays(
            participant=[7, 8], comment=[1, 1], vote=[1, 1], timestamp=[15, 30]
        )
    )

    assert changed == 1
    assert matrix.n_votes == 2
    assert matrix.to_csr().toarray().tolist() == [[-1.0], [1.0]]


def test_the_map_reflects_only_the_latest_votes() -> None:
    batch = _two_camps()
    # Camp A first votes the other way on everything, then changes every vote.
    flipped = VoteBatch.from_arrays(
        participant=batch.participant,
        comment=batch.comment,
        vote=-batch.vote,
        timestamp=batch.timestamp - 10_000,
    )
    both = VoteBatch.from_arrays(
        participant=np.concatenate([flipped.participant, batch.participant]),
        comment=np.concatenate([flipped.comment, batch.comment]),
        vote=np.concatenate([flipped.vote, batch.vote]),
        timestamp=np.concatenate([flipped.timestamp, batch.timestamp]),
    )

    changed = compute_opinion_map(votes=both)
    direct = compute_opinion_map(votes=batch)

    np.testing.assert_allclose(changed.x, direct.x, atol=1e-9)
    np.testing.assert_allclose(changed.y, direct.y, atol=1e-9)
    assert _partition(changed) == _partition(direct)


def test_moderated_out_comments_are_ignored() -> None:
    batch = _two_camps()
    scrambled = np.where(batch.comment == 3, -batch.vote, batch.vote)
    other = VoteBatch.from_arrays(
        participant=batch.participant, comment=batch.comment, vote=scrambled
    )

    hidden = compute_opinion_map(votes=batch, moderated_out=[3])
    hidden_other = compute_opinion_map(votes=other, moderated_out=[3])

    # How people voted on a hidden statement changes nothing on the map...
    np.testing.assert_allclose(hidden.x, hidden_other.x, atol=1e-9)
    np.testing.assert_allclose(hidden.y, hidden_other.y, atol=1e-9)
    assert _partition(hidden) == _partition(hidden_other)
    # ...it carries no weight in the components and is listed nowhere.
    column = hidden.comment_ids.tolist().index(3)
    assert np.all(hidden.pca.comps[:, column] == 0.0)
    listed = set(hidden.consensus) | set(hidden.divisive)
    listed |= {r.comment_id for g in hidden.groups for r in g.representative}
    assert 3 not in listed
    shown = compute_opinion_map(votes=batch)
    assert np.all(shown.pca.comps[:, column] != 0.0)  # the same statement, not hidden


def test_incremental_update_equals_a_full_computation() -> None:
    batch = _two_camps(seed=4)
    late = (batch.participant % 5 == 0) & (batch.comment >= 15)
    # A tight PCA tolerance, so that both runs reach the same components to 1e-6.
    config = OpinionConfig(pca_tol=1e-10)
    state = OpinionState(config=config)
    state.add_votes(batch=_subset(batch, ~late))
    state.recompute()
    state = pickle.loads(pickle.dumps(state))  # as the background task stores it

    # Exact mode: new votes stored, then a converged recompute (the background task).
    state.add_votes(batch=_subset(batch, late))
    incremental = state.recompute()
    full = compute_opinion_map(votes=batch, config=config)

    np.testing.assert_array_equal(incremental.participant_ids, full.participant_ids)
    # Same axes; each may point the other way, as the update keeps the previous map's
    # orientation (the map does not flip between updates) where a fresh one has its own.
    signs = np.sign(np.sum(incremental.pca.comps * full.pca.comps, axis=1))
    assert np.all(signs != 0)
    np.testing.assert_allclose(incremental.pca.comps, full.pca.comps * signs[:, None], atol=1e-6)
    np.testing.assert_allclose(incremental.x, full.x * signs[0], atol=1e-6)
    np.testing.assert_allclose(incremental.y, full.y * signs[1], atol=1e-6)
    assert _partition(incremental) == _partition(full)
    assert [g.size for g in incremental.groups] == [g.size for g in full.groups]
    assert incremental.consensus == full.consensus
    assert incremental.divisive == full.divisive


def test_participants_with_too_few_votes_are_left_out_of_the_groups() -> None:
    batch = _two_camps()
    newcomer = VoteBatch.from_arrays(
        participant=[5000, 5000], comment=[0, 1], vote=[1, 1], timestamp=[10**9, 10**9 + 1]
    )
    state = OpinionState()
    state.add_votes(batch=batch)

    result = state.update(batch=newcomer)

    row = result.participant_ids.tolist().index(5000)
    assert result.group[row] == -1
    assert result.closest_group[row] >= 0
    assert result.to_json()["participants"]["5000"]["group"] is None


def test_rows_and_columns_keep_the_order_of_first_appearance_whatever_the_batches() -> None:
    batch = _two_camps(per_camp=5)
    order = np.random.default_rng(2).permutation(len(batch))
    shuffled = VoteBatch.from_arrays(
        participant=batch.participant[order],
        comment=batch.comment[order],
        vote=batch.vote[order],
    )
    at_once, in_parts = VoteMatrix(), VoteMatrix()
    at_once.add(batch=shuffled)
    for part in np.array_split(np.arange(len(shuffled)), 7):
        in_parts.add(batch=_subset(shuffled, np.isin(np.arange(len(shuffled)), part)))

    first_seen = list(dict.fromkeys(shuffled.participant.tolist()))
    assert at_once.participants.names.tolist() == first_seen
    assert in_parts.participants.names.tolist() == first_seen
    assert at_once.comments.names.tolist() == list(dict.fromkeys(shuffled.comment.tolist()))
    assert (at_once.to_csr() != in_parts.to_csr()).nnz == 0
