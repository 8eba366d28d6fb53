"""recommend on MovieLens ml-latest-small (rating as weight): a smoke check of the blend on real data.

Toy Story's related list holds Toy Story 2, every user gets a list from their history with a
`because` item they rated, and nothing they rated is recommended to them.
"""
import csv
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc
import pytest

from behavior_peer_support import ROOT, manifest, require_built, run

SHARED_DATA = Path(os.environ.get("RECSTAGE_SHARED_DATA", ROOT.parent / "shared" / "data"))
MOVIELENS = SHARED_DATA / "movielens-ml-latest-small"


def table(path):
    with pa.OSFile(str(path)) as source:
        t = pa.ipc.open_file(source).read_all()
    return {name: (c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c).to_pylist()
            for name, c in zip(t.column_names, t.columns)}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    require_built("features", "content-similarity", "behavior-cooccurrence", "recommend")
    if not (MOVIELENS / "ratings.csv").is_file():
        pytest.skip(f"{MOVIELENS} is absent (set RECSTAGE_SHARED_DATA to the shared data directory)")
    base = tmp_path_factory.mktemp("movielens-recommend")
    features, content, behavior, out = (base / name for name in ("features", "content", "behavior", "recommend"))
    run(["features", "--items", MOVIELENS / "movies.csv", "--items-map", "item_id=movieId", "--items-map", "category=genres",
         "--interactions", MOVIELENS / "ratings.csv", "--interactions-map", "user_id=userId",
         "--interactions-map", "item_id=movieId", "--interactions-map", "create_time=timestamp",
         "--interactions-map", "weight=rating", "--out", features])
    run(["content-similarity", "--features", features, "--out", content])
    run(["behavior-cooccurrence", "--features", features, "--out", behavior])
    run(["recommend", "--features", features, "--content", content, "--behavior", behavior, "--out", out])
    with open(MOVIELENS / "movies.csv", newline="") as f:
        title = {row["movieId"]: row["title"] for row in csv.DictReader(f)}
    return out, title


def test_toy_story_is_related_to_toy_story_2(outputs):
    out, title = outputs
    related = table(out / "related_items.arrow")
    toy_story = [title[n] for i, n in zip(related["item_id"], related["neighbor_id"]) if title[i] == "Toy Story (1995)"]
    assert len(toy_story) == 20
    assert "Toy Story 2 (1999)" in toy_story[:5], toy_story


def test_users_get_lists_from_their_history_without_what_they_rated(outputs):
    out, _ = outputs
    recommendations = table(out / "user_recommendations.arrow")
    with open(MOVIELENS / "ratings.csv", newline="") as f:
        rated = {(row["userId"], row["movieId"]) for row in csv.DictReader(f)}
    users = set(recommendations["user_id"])
    assert len(users) == 610 and manifest(out)["stats"]["users_from_history"] == 610
    pairs = list(zip(recommendations["user_id"], recommendations["item_id"], recommendations["because"]))
    assert not [p for p in pairs if (p[0], p[1]) in rated], "a rated film was recommended"
    assert all((user, because) in rated for user, _, because in pairs), "a because film the user did not rate"
