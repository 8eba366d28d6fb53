"""The built behavior-cooccurrence command as a process: exit codes, messages and the history cap."""
import pytest

from behavior_peer_support import capped, features, manifest, random_interactions, require_built, run, write_raw

CAP = 100


def raw_interactions():
    interactions, item_ids = random_interactions(7, items=300, users=200, events=3000)
    # A crawler: one user on 2000 distinct items, far above the cap below.
    interactions += [("crawler", f"c{n}", 1_690_000_000 + n) for n in range(2000)]
    item_ids += [f"c{n}" for n in range(2000)]
    return interactions, item_ids


@pytest.fixture(scope="module")
def feats(tmp_path_factory):
    require_built("features", "behavior-cooccurrence")
    base = tmp_path_factory.mktemp("cli")
    return features(write_raw(base / "raw", *raw_interactions()), base / "features")


@pytest.mark.parametrize("env, args, expected", [
    ({"BEHAVIOR_METRIC": "pearson"}, [], "BEHAVIOR_METRIC must be one of cosine, count, jaccard, got 'pearson'"),
    ({"BEHAVIOR_AGGREGATION": "mean"}, [], "BEHAVIOR_AGGREGATION must be one of max, sum"),
    ({"BEHAVIOR_EVENT_WEIGHTS": "view:1,download"}, [], "BEHAVIOR_EVENT_WEIGHTS='view:1,download' is malformed"),
    ({"BEHAVIOR_EVENT_WEIGHTS": "view:-2"}, [], "must be a finite number >= 0"),
    ({"BEHAVIOR_EVENT_WEIGHTS": "download:3"}, [], "no weight for the event type 'view'"),
    ({"BEHAVIOR_HALF_LIFE_DAYS": "-1"}, [], "BEHAVIOR_HALF_LIFE_DAYS"),
    ({"BEHAVIOR_MAX_ITEMS_PER_USER": "0"}, [], "BEHAVIOR_MAX_ITEMS_PER_USER must be a positive integer"),
    ({"BEHAVIOR_MIN_COOCCURRENCE": "-1"}, [], "BEHAVIOR_MIN_COOCCURRENCE must be a positive integer"),
    ({"SIMILARITY_BATCH_SIZE": "lots"}, [], "SIMILARITY_BATCH_SIZE must be a positive integer or 'auto'"),
    ({}, ["--top-k", "0"], "must be a positive integer, got 0"),
    ({}, ["--shard", "3/3"], "--shard must be i/n with 0 <= i < n"),
])
def test_bad_settings_exit_2(feats, tmp_path, env, args, expected):
    result = run(["behavior-cooccurrence", "--features", feats, "--out", tmp_path / "out", *args], env=env, check=False)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_manifest_exit_3(tmp_path):
    require_built("behavior-cooccurrence")
    (tmp_path / "features").mkdir()
    result = run(["behavior-cooccurrence", "--features", tmp_path / "features", "--out", tmp_path / "out"], check=False)
    assert result.returncode == 3, result.stderr
    assert "has no manifest.json" in result.stderr


def test_tiny_budget_exit_4(feats, tmp_path):
    result = run(["behavior-cooccurrence", "--features", feats, "--out", tmp_path / "out"],
                 env={"RECSTAGE_MEMORY_LIMIT": "64Mi", "RECSTAGE_MAX_HEAP": "256Mi"}, check=False)
    assert result.returncode == 4, result.stderr
    assert "the plan needs" in result.stderr and "SIMILARITY_BATCH_SIZE" in result.stderr
    assert not (tmp_path / "out").exists()


def test_crawler_is_capped_and_reported(feats, tmp_path):
    out = tmp_path / "out"
    result = run(["behavior-cooccurrence", "--features", feats, "--out", out, "--top-k", "10"],
                 env={"BEHAVIOR_MAX_ITEMS_PER_USER": str(CAP)})
    stats = manifest(out)["stats"]
    _, dropped = capped(raw_interactions()[0], CAP)
    assert dropped > 1900, "the crawler's items beyond its 100 most recent, and a few heavy users'"
    assert stats["events_dropped_by_cap"] == dropped
    assert stats["users_capped"] >= 1
    assert "History cap:" in result.stderr + result.stdout
    assert "Computing similarity in batches (total=" in result.stderr + result.stdout
    assert "Progress: " in result.stderr + result.stdout
