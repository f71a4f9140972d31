"""The building blocks against independent computations: PCA against numpy's SVD, k-means
and silhouette on hand-made points, repness on counts worked out by hand."""

import numpy as np
import pytest
import scipy.sparse as sp

from parlons.engine.opinions import repness as rp
from parlons.engine.opinions.grouping import KSmoother, best_k, in_conversation, k_range
from parlons.engine.opinions.kmeans import init_clusters, kmeans, nearest, silhouette
from parlons.engine.opinions.pca import center_votes, fit_pca, project_participants


def _dense_votes(seed: int, rows: int = 40, cols: int = 12) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.choice([-1.0, 0.0, 1.0], size=(rows, cols), p=[0.4, 0.2, 0.4])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pca_matches_numpy_svd_on_dense_votes(seed: int) -> None:
    dense = _dense_votes(seed)
    # Every cell is a cast vote (passes are explicit zeros), as the engine stores them.
    votes = sp.csr_matrix(
        (dense.ravel(), np.tile(np.arange(12), 40), np.arange(0, 41 * 12, 12)), shape=(40, 12)
    )
    no_mod = np.zeros(12, dtype=bool)

    centred, center = center_votes(votes=votes, moderated_out=no_mod)
    pca = fit_pca(centred=centred, center=center, tol=1e-10, max_iter=2000)

    expected_center = dense.mean(axis=0)
    _, _, vt = np.linalg.svd(dense - expected_center, full_matrices=False)
    np.testing.assert_allclose(center, expected_center, atol=1e-12)
    for ours, theirs in zip(pca.comps, vt[:2], strict=True):
        assert abs(ours @ theirs) == pytest.approx(1.0, abs=1e-8)
    # Everyone voted on everything: the sparsity scale is 1, the projection is plain PCA.
    proj = project_participants(centred=centred, pca=pca, moderated_out=no_mod)
    np.testing.assert_allclose(proj, (dense - expected_center) @ pca.comps.T, atol=1e-10)


def test_projection_scales_by_sqrt_comments_over_votes() -> None:
    # Row 0 voted on 1 of 4 comments, row 1 on all 4.
    votes = sp.csr_matrix(
        (np.array([-1.0, 1.0, -1.0, 1.0, -1.0]), [0, 0, 1, 2, 3], [0, 1, 5]), shape=(2, 4)
    )
    no_mod = np.zeros(4, dtype=bool)
    centred, center = center_votes(votes=votes, moderated_out=no_mod)
    pca = fit_pca(centred=centred, center=center)

    proj = project_participants(centred=centred, pca=pca, moderated_out=no_mod)

    np.testing.assert_allclose(center, [0.0, -1.0, 1.0, -1.0])
    raw = centred.toarray() @ pca.comps.T
    assert np.all(np.abs(raw[0]) > 1e-6) or np.abs(raw[0, 0]) > 1e-6
    np.testing.assert_allclose(proj[0], raw[0] * 2.0)
    np.testing.assert_allclose(proj[1], raw[1] * 1.0)


def test_pca_warm_start_converges_to_the_same_components_faster() -> None:
    votes = sp.csr_matrix(_dense_votes(5, rows=200, cols=30))
    centred, center = center_votes(votes=votes, moderated_out=np.zeros(30, dtype=bool))
    cold = fit_pca(centred=centred, center=center, tol=1e-9)

    warm = fit_pca(centred=centred, center=center, tol=1e-9, start=cold.comps)

    np.testing.assert_allclose(warm.comps, cold.comps, atol=1e-6)
    assert warm.iterations < cold.iterations


def _blobs() -> np.ndarray:
    rng = np.random.default_rng(3)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    return np.vstack([c + rng.normal(scale=0.5, size=(20, 2)) for c in centres])


def test_kmeans_is_deterministic_and_finds_separated_blobs() -> None:
    points = _blobs()

    first = kmeans(points=points, k=3)
    second = kmeans(points=points.copy(), k=3)

    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.centers, second.centers)
    blobs = np.repeat(np.arange(3), 20)
    # One cluster per blob, whatever the ids.
    assert len(set(zip(blobs, first.labels, strict=True))) == 3


def test_init_clusters_takes_the_first_distinct_rows_in_row_order() -> None:
    points = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 2.0], [5.0, 5.0]])

    clusters = init_clusters(points=points, k=2)

    np.testing.assert_array_equal(clusters.centers, [[1.0, 1.0], [0.0, 2.0]])


def test_nearest_gives_a_tie_to_the_last_centre() -> None:
    points = np.array([[0.0, 0.0], [0.9, 0.0]])
    centers = np.array([[-1.0, 0.0], [1.0, 0.0]])

    assert nearest(points=points, centers=centers).tolist() == [1, 1]


def test_warm_started_kmeans_keeps_cluster_ids() -> None:
    points = _blobs()
    first = kmeans(points=points, k=3)
    moved = points + 0.05

    again = kmeans(points=moved, k=3, previous_labels=first.labels)

    np.testing.assert_array_equal(again.labels, first.labels)


def test_silhouette_by_hand() -> None:
    # Two clusters on a line: {0, 1} and {4}. Point 0: a = 1, b = 4 -> 0.75; point 1:
    # a = 1, b = 3 -> 2/3; point 2 is alone in its cluster -> 0.
    points = np.array([[0.0, 0.0], [1.0, 0.0], [4.0, 0.0]])

    value = silhouette(points=points, labels=np.array([0, 0, 1]))

    assert value == pytest.approx((0.75 + 2 / 3 + 0.0) / 3)
    assert silhouette(points=points, labels=np.array([0, 0, 0])) == -1.0


def test_repness_on_a_hand_checked_case() -> None:
    # One comment; group 0: 4 agree of 4; group 1: 4 disagree of 4.
    counts = rp.VoteCounts(
        agree=np.array([[4], [0]]), disagree=np.array([[0], [4]]), seen=np.array([[4], [4]])
    )

    stats = rp.repness_stats(counts)

    assert stats["pa"][0, 0] == pytest.approx(5 / 6)
    assert stats["pat"][0, 0] == pytest.approx(np.sqrt(5))  # 2·√5·(5/5 − ½)
    assert stats["ra"][0, 0] == pytest.approx((5 / 6) / (1 / 6))
    # two-prop with +1 priors: (5/5 − 1/5) / √(0.6·0.4·(1/5 + 1/5))
    assert stats["rat"][0, 0] == pytest.approx(0.8 / np.sqrt(0.6 * 0.4 * 0.4))
    assert stats["rdt"][1, 0] == pytest.approx(0.8 / np.sqrt(0.6 * 0.4 * 0.4))
    reps = rp.select_representative(
        stats=stats, comment_ids=np.array([42]), moderated_out=np.array([False])
    )
    assert [(r.comment_id, r.repful_for) for r in reps[0]] == [(42, "agree")]
    assert [(r.comment_id, r.repful_for) for r in reps[1]] == [(42, "disagree")]
    assert rp.divisive_comments(
        counts=counts, comment_ids=np.array([42]), moderated_out=np.array([False])
    ) == [42]
    assert (
        rp.consensus_comments(
            counts=counts, comment_ids=np.array([42]), moderated_out=np.array([False])
        )
        == []
    )


def test_consensus_needs_every_group_to_lean_agree() -> None:
    counts = rp.VoteCounts(
        agree=np.array([[5, 5], [4, 0]]),
        disagree=np.array([[0, 0], [0, 4]]),
        seen=np.array([[5, 5], [4, 4]]),
    )

    assert rp.consensus_comments(
        counts=counts, comment_ids=np.array([7, 8]), moderated_out=np.array([False, False])
    ) == [7]
    assert rp.group_aware_consensus(counts=counts)[0] == pytest.approx(6 / 7 * 5 / 6)


def test_in_conversation_rule_and_greedy_top_up() -> None:
    counts = np.array([7, 6, 1, 0, 9] + [0] * 20)

    mask = in_conversation(vote_counts=counts, n_comments=50, previous=None, greedy_n=3)
    assert np.flatnonzero(mask).tolist() == [0, 1, 4]  # 0 and 4 qualify, 1 tops up to 3

    few = in_conversation(vote_counts=np.array([2, 1, 2]), n_comments=2, previous=None, greedy_n=0)
    assert few.tolist() == [True, False, True]  # fewer than 7 comments: all of them

    kept = in_conversation(
        vote_counts=np.array([0, 8]), n_comments=50, previous=np.array([True]), greedy_n=0
    )
    assert kept.tolist() == [True, True]  # once in, always in


def test_group_count_choice_and_smoother() -> None:
    assert list(k_range(n_base=100)) == [2, 3, 4, 5]
    assert list(k_range(n_base=20)) == [2, 3]
    assert best_k({2: 0.5, 3: 0.7, 4: 0.7}) == 4

    smoother = KSmoother()
    shown = []
    for this_k in (2, 3, 3, 3, 3, 2):
        smoother = smoother.advance(this_k=this_k, buffer=4)
        shown.append(smoother.smoothed_k)
    assert shown == [2, 2, 2, 2, 3, 3]


def test_vote_counts_per_group_and_over_everyone() -> None:
    # Rows: group 0, group 1, ungrouped. Columns: two comments.
    votes = sp.csr_matrix(
        (np.array([1.0, -1.0, 1.0, 0.0, -1.0]), [0, 1, 0, 1, 0], [0, 2, 4, 5]), shape=(3, 2)
    )

    counts, everyone = rp.count_group_and_total_votes(
        votes=votes, row_group=np.array([0, 1, -1]), n_groups=2
    )

    assert counts.agree.tolist() == [[1, 0], [1, 0]]
    assert counts.disagree.tolist() == [[0, 1], [0, 0]]
    assert counts.seen.tolist() == [[1, 1], [1, 1]]
    assert everyone.agree.tolist() == [[2, 0]]
    assert everyone.disagree.tolist() == [[1, 1]]
    assert everyone.seen.tolist() == [[3, 2]]
