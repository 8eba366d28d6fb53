"""behavior-cooccurrence on MovieLens ml-latest-small, rating as weight: sequels are each other's nearest neighbours."""
import csv
import os
from pathlib import Path

import pytest

from behavior_peer_support import ROOT, manifest, missing_prerequisite, neighbors, require_built, run

SHARED_DATA = Path(os.environ.get("RECSTAGE_SHARED_DATA", ROOT.parent / "shared" / "data"))
MOVIELENS = SHARED_DATA / "movielens-ml-latest-small"


def test_sequels_are_nearest_neighbours(tmp_path):
    require_built("features", "behavior-cooccurrence")
    if not (MOVIELENS / "ratings.csv").is_file():
        missing_prerequisite(f"{MOVIELENS} is absent (set RECSTAGE_SHARED_DATA to the shared data directory)")
    features = tmp_path / "features"
    run(["features", "--items", MOVIELENS / "movies.csv", "--items-map", "item_id=movieId", "--items-map", "category=genres",
         "--interactions", MOVIELENS / "ratings.csv", "--interactions-map", "user_id=userId",
         "--interactions-map", "item_id=movieId", "--interactions-map", "create_time=timestamp",
         "--interactions-map", "weight=rating", "--out", features])
    out = tmp_path / "behavior"
    run(["behavior-cooccurrence", "--features", features, "--out", out, "--top-k", "20"])

    assert manifest(out)["config"]["BEHAVIOR_EVENT_WEIGHTS"] == "row", "the ratings column should be the weight"
    with open(MOVIELENS / "movies.csv", newline="") as f:
        title = {row["movieId"]: row["title"] for row in csv.DictReader(f)}
    top3 = {title[item]: [title[n] for n, _ in rows[:3]] for item, rows in neighbors(out).items()}
    assert "Toy Story 2 (1999)" in top3["Toy Story (1995)"]
    assert {"Star Wars: Episode V - The Empire Strikes Back (1980)",
            "Star Wars: Episode VI - Return of the Jedi (1983)"} <= set(top3["Star Wars: Episode IV - A New Hope (1977)"])
    assert {"Lord of the Rings: The Two Towers, The (2002)",
            "Lord of the Rings: The Return of the King, The (2003)"} <= set(
        top3["Lord of the Rings: The Fellowship of the Ring, The (2001)"])
