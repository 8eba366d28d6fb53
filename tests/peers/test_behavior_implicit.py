"""behavior-cooccurrence (cosine, binary weights) against implicit's CosineRecommender on the same data.

implicit 0.7.3 fits on a users × items matrix, L2-normalises every item column and keeps, per item,
the K largest dot products *including the item itself* (all_pairs_knn does not skip the diagonal);
so it is fitted with K + 1 and the item is removed from its own list before comparing.
"""
import numpy as np
import pytest
from scipy.sparse import csr_matrix

from behavior_peer_support import capped, features, manifest, neighbors, random_interactions, require_built, run, write_raw

implicit_nn = pytest.importorskip("implicit.nearest_neighbours")
# implicit converts its own normalised COO matrix and warns about it; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore:Method expects CSR input")

K = 15
TOLERANCE = 1e-5


def implicit_neighbors(interactions, item_ids, k):
    users = sorted({u for u, _, _ in interactions})
    user_index = {u: n for n, u in enumerate(users)}
    item_index = {i: n for n, i in enumerate(item_ids)}
    pairs = sorted({(user_index[u], item_index[i]) for u, i, _ in interactions})
    rows, cols = zip(*pairs)
    user_items = csr_matrix((np.ones(len(pairs), dtype=np.float32), (rows, cols)), shape=(len(users), len(item_ids)))
    model = implicit_nn.CosineRecommender(K=k + 1, num_threads=1)
    model.fit(user_items, show_progress=False)
    similarity = model.similarity.tocsr()
    result = {}
    for i, item in enumerate(item_ids):
        row = similarity[i]
        # Padding slots of all_pairs_knn are explicit zeros; binary cosine of overlapping items is > 0.
        candidates = [(item_ids[j], float(v)) for j, v in zip(row.indices, row.data) if j != i and v > 0]
        candidates.sort(key=lambda c: (-c[1], c[0]))
        if candidates:
            result[item] = candidates[:k]
    return result


def assert_same_up_to_ties(ours, theirs):
    assert ours.keys() == theirs.keys(), "items with neighbours differ"
    for item, expected in theirs.items():
        actual = ours[item]
        assert len(actual) == len(expected), f"{item}: {len(actual)} neighbours, implicit has {len(expected)}"
        for rank, ((_, score), (_, their_score)) in enumerate(zip(actual, expected), start=1):
            assert abs(score - their_score) <= TOLERANCE, f"{item} rank {rank}: {score} vs implicit {their_score}"
        boundary = expected[-1][1]
        ours_set = {n for n, _ in actual}
        theirs_set = {n for n, _ in expected}
        scores = dict(actual) | dict(expected)
        for differing in ours_set ^ theirs_set:
            assert abs(scores[differing] - boundary) <= TOLERANCE, \
                f"{item}: {differing} ({scores[differing]}) listed by only one side, not a tie at the boundary {boundary}"


@pytest.mark.parametrize("seed, cap", [(1, None), (2, None), (1, 30), (2, 35)])
def test_cosine_equals_implicit_cosine_recommender(tmp_path, seed, cap):
    """With a history cap, implicit is fitted on the capped histories (computed independently, see `capped`)."""
    require_built("features", "behavior-cooccurrence")
    interactions, item_ids = random_interactions(seed, items=400, users=300, events=6000)
    raw = write_raw(tmp_path / "raw", interactions, item_ids)
    feats = features(raw, tmp_path / "features")
    out = tmp_path / "behavior"
    run(["behavior-cooccurrence", "--features", feats, "--out", out, "--top-k", K, "--threads", 2],
        env={"BEHAVIOR_EVENT_WEIGHTS": "view:1", "BEHAVIOR_METRIC": "cosine", "BEHAVIOR_MAX_ITEMS_PER_USER": str(cap or 100000)})

    ours = neighbors(out)
    if cap is not None:
        interactions, dropped = capped(interactions, cap)
        assert dropped > 0, "the cap should bite on this data"
        assert manifest(out)["stats"]["events_dropped_by_cap"] == dropped
    theirs = implicit_neighbors(interactions, item_ids, K)
    assert sum(len(v) for v in theirs.values()) > 1000, "the data should give most items full neighbour lists"
    assert_same_up_to_ties(ours, theirs)
