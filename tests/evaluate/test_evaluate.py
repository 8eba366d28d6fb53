"""bin/recstage evaluate as a black box: the split it writes, and its figures recomputed here.

The metric definitions are re-derived in plain Python from the files evaluate writes (split/test.csv
and lists/ROW.csv), so that a wrong join of ids, a list cut at the wrong length or a user counted
twice shows up as a difference to evaluation.json. The Java metric code itself is checked against
Recommenders' data-frame steps in RankingMetricsTest, and against Recommenders 1.2.1 in tests/peers.
"""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import subprocess
from collections import defaultdict
from pathlib import Path

import pyarrow.ipc
import pytest

ROOT = Path(__file__).resolve().parents[2]
RECSTAGE = ROOT / "bin" / "recstage"
MOVIELENS = Path(os.environ.get("RECSTAGE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "movielens-ml-latest-small"
MOVIELENS_OPTIONS = ["--items-map", "item_id=movieId", "--items-map", "category=genres",
                     "--interactions-map", "user_id=userId", "--interactions-map", "item_id=movieId",
                     "--interactions-map", "create_time=timestamp", "--interactions-map", "weight=rating"]
ROWS = ["popularity", "content", "behavior", "blend"]


def run(*args, env=None, check=True):
    merged = dict(os.environ)
    merged.update(env or {})
    result = subprocess.run([str(RECSTAGE), *map(str, args)], capture_output=True, text=True, env=merged)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    run("generate", "--items", 400, "--users", 300, "--events", 12000, "--seed", 5, "--out", out)
    return out


def evaluate(data: Path, out: Path, *options, env=None, check=True):
    return run("evaluate", "--items", data / "items.csv", "--interactions", data / "interactions.csv",
               *options, "--out", out, env=env, check=check)


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def features_rows(out: Path) -> list[tuple]:
    """The cleaned interactions evaluate split, with their original ids, from its first features run."""
    features = out / "work" / "features-all"
    users = pyarrow.ipc.open_file(features / "users.arrow").read_all().to_pydict()
    user_id = dict(zip(users["user"], users["user_id"]))
    item_id = pyarrow.ipc.open_file(features / "items.arrow").read_all().column("item_id").to_pylist()
    table = pyarrow.ipc.open_file(features / "interactions.arrow").read_all()
    events = table.column("event").combine_chunks().dictionary_decode().to_pylist()
    ts = [int(t.timestamp()) for t in table.column("ts").to_pylist()]
    return [(user_id[u], item_id[i], e, t) for u, i, e, t in
            zip(table.column("user").to_pylist(), table.column("item").to_pylist(), events, ts)]


def split_rows(path: Path) -> list[tuple]:
    return [(r["user_id"], r["item_id"], r["event_type"], int(r["create_time"])) for r in read_csv(path)]


def test_per_user_split_holds_out_each_users_latest_quarter_without_leakage(generated, tmp_path):
    out = tmp_path / "split"
    evaluate(generated, out, "--split-only")
    train = split_rows(out / "split" / "train.csv")
    test = split_rows(out / "split" / "test.csv")
    everything = features_rows(out)
    assert sorted(train + test) == sorted(everything), "train and test are exactly the features' interactions"
    per_user = defaultdict(list)
    for row in everything:
        per_user[row[0]].append(row)
    held = defaultdict(list)
    for row in test:
        held[row[0]].append(row)
    kept = defaultdict(list)
    for row in train:
        kept[row[0]].append(row)
    scored = 0
    for user, rows in per_user.items():
        assert len(held[user]) == math.floor(len(rows) * 0.25 + 1e-9), user
        if held[user]:
            scored += 1
            assert max(r[3] for r in kept[user]) <= min(r[3] for r in held[user]), f"{user}: a held-out event is older than training"
    stats = json.loads((out / "manifest.json").read_text())["stats"]["split"]
    assert stats["scored_users"] == scored and stats["test_events"] == len(test) and stats["train_events"] == len(train)


def test_last_days_split_cuts_everyone_at_one_instant(generated, tmp_path):
    out = tmp_path / "days"
    evaluate(generated, out, "--split-only", "--test-days", 10)
    train = split_rows(out / "split" / "train.csv")
    test = split_rows(out / "split" / "test.csv")
    latest = max(r[3] for r in train + test)
    cut = latest - 10 * 86400
    assert test and all(r[3] > cut for r in test)
    assert train and all(r[3] <= cut for r in train)
    stats = json.loads((out / "manifest.json").read_text())["stats"]["split"]
    assert stats["method"] == "last_days"
    train_users = {r[0] for r in train}
    assert stats["cold_users"] == len({r[0] for r in test} - train_users)


def recomputed(test_csv: Path, lists_csv: Path, k: int) -> dict:
    """Recommenders 1.2.1's definitions, from the files alone."""
    truth = defaultdict(set)
    for r in read_csv(test_csv):
        truth[r["user_id"]].add(r["item_id"])
    lists = defaultdict(list)
    for r in read_csv(lists_csv):
        lists[r["user_id"]].append((int(r["rank"]), r["item_id"]))
    common = [u for u in truth if u in lists]
    sums = defaultdict(float)
    any_hit = False
    for user in common:
        ranked = [item for _, item in sorted(lists[user])][:k]
        hits = [rank for rank, item in enumerate(ranked, 1) if item in truth[user]]
        if not hits:
            continue
        any_hit = True
        relevant = len(truth[user])
        sums["precision"] += len(hits) / k
        sums["recall"] += len(hits) / relevant
        sums["map"] += sum((n + 1) / rank for n, rank in enumerate(hits)) / min(relevant, k)
        sums["ndcg"] += sum(1 / math.log(1 + r) for r in hits) / sum(1 / math.log(1 + i) for i in range(1, min(relevant, k) + 1))
        sums["hit_rate"] += 1
    if not any_hit:
        return {m: 0.0 for m in ("precision", "recall", "map", "ndcg", "hit_rate")}
    return {"precision": sums["precision"] / len(common), "recall": sums["recall"] / len(common),
            "map": sums["map"] / len(common), "ndcg": sums["ndcg"] / len(truth), "hit_rate": sums["hit_rate"] / len(common)}


def check_report(out: Path, train_csv: Path):
    report = json.loads((out / "evaluation.json").read_text())
    assert [row["row"] for row in report["rows"]] == ROWS
    seen = defaultdict(set)
    for r in read_csv(train_csv):
        seen[r["user_id"]].add(r["item_id"])
    scored_users = {r["user_id"] for r in read_csv(out / "split" / "test.csv")} & set(seen)
    for row in report["rows"]:
        lists = read_csv(out / "lists" / f"{row['row']}.csv")
        assert {r["user_id"] for r in lists} <= scored_users
        per_user = defaultdict(list)
        for r in lists:
            per_user[r["user_id"]].append(r)
            assert r["item_id"] not in seen[r["user_id"]], f"{row['row']} recommends a training item to {r['user_id']}"
        assert all(len(v) <= 20 for v in per_user.values())
        assert all([int(r["rank"]) for r in v] == list(range(1, len(v) + 1)) for v in per_user.values())
        for k in (10, 20):
            expected = recomputed(out / "split" / "test.csv", out / "lists" / f"{row['row']}.csv", k)
            got = row["metrics"][str(k)]
            for metric, value in expected.items():
                assert got[metric] == pytest.approx(value, abs=1e-9), f"{row['row']} {metric}@{k}"
            shown = {r["item_id"] for v in per_user.values() for r in v[:k]}
            items = report["split"]["items"]
            assert got["coverage"] == pytest.approx(len(shown) / items, abs=1e-12)
        for cost in row["stages"]:
            assert cost["wall_seconds"] > 0 and cost["peak_rss_bytes"] > 0, cost
    assert (out / "evaluation.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| blend |" in (out / "evaluation.md").read_text()
    return report


def test_evaluate_scores_every_row_as_recommenders_defines_the_metrics(generated, tmp_path):
    out = tmp_path / "full"
    evaluate(generated, out, "--sweep", "SIMILARITY_TOP_K=5,20", "--sweep", "RELATED_CONTENT_WEIGHT=0.5")
    report = check_report(out, out / "split" / "train.csv")
    points = report["sweep"]
    assert [(p["setting"], p["value"]) for p in points] == [("SIMILARITY_TOP_K", "5"), ("SIMILARITY_TOP_K", "20"), ("RELATED_CONTENT_WEIGHT", "0.5")]
    for point in points[:2]:
        content = next(c for c in point["stages"] if c["stage"] == "content-similarity")
        assert not content["reused"]
        manifest = json.loads((out / "work" / "sweep" / f"SIMILARITY_TOP_K={point['value']}" / "content" / "manifest.json").read_text())
        assert manifest["config"]["SIMILARITY_TOP_K"] == point["value"], "the swept value reached the stage"
    weights_only = points[2]
    assert all(c["reused"] for c in weights_only["stages"] if c["stage"] != "recommend")


def test_bad_options_and_inputs_exit_with_the_stage_codes(generated, tmp_path):
    both = evaluate(generated, tmp_path / "a", "--test-ratio", "0.2", "--test-days", "3", check=False)
    assert both.returncode == 2 and "not both" in both.stderr
    ratio = evaluate(generated, tmp_path / "b", "--test-ratio", "1.5", check=False)
    assert ratio.returncode == 2
    sweep = evaluate(generated, tmp_path / "c", "--sweep", "top_k", check=False)
    assert sweep.returncode == 2
    missing = run("evaluate", "--items", tmp_path / "nope.csv", "--interactions", generated / "interactions.csv",
                  "--out", tmp_path / "d", check=False)
    assert missing.returncode == 3 and "nope.csv" in missing.stderr
    assert not (tmp_path / "d").exists(), "nothing half-written is visible"


@pytest.fixture(scope="module")
def generated_with_vectors(tmp_path_factory):
    out = tmp_path_factory.mktemp("vectors")
    run("generate", "--items", 300, "--users", 200, "--events", 8000, "--embeddings-dim", 24, "--seed", 11, "--out", out)
    return out


def stage_outputs(out: Path) -> dict[str, bytes]:
    """Every data file the stages wrote under work/ (not their manifests: those hold times and memory)."""
    return {str(f.relative_to(out)): f.read_bytes() for f in sorted((out / "work").rglob("*"))
            if f.is_file() and f.name != "manifest.json" and f.parent.name != "logs"}


def stage_manifests(out: Path) -> dict[str, dict]:
    return {str(f.parent.relative_to(out)): json.loads(f.read_text()) for f in sorted((out / "work").rglob("manifest.json"))}


def test_in_process_runs_the_very_same_stages_as_separate_processes(generated_with_vectors, tmp_path):
    """--in-process runs each stage's command in evaluate's JVM: the same files, settings and figures,
    including each row's own setting (RELATED_*_WEIGHT=0) and the vector channel on the Vector API."""
    data = generated_with_vectors
    options = ["--embeddings", data / "embeddings.arrow"]
    env = {"SIMILARITY_TOP_K": "30"}  # from the environment, as a user would tune it
    separate = evaluate(data, tmp_path / "processes", *options, env=env)
    inside = evaluate(data, tmp_path / "in-process", *options, "--in-process", env=env)
    assert "(in process)" in inside.stderr and "(in process)" not in separate.stderr
    files = stage_outputs(tmp_path / "in-process")
    assert files.keys() == stage_outputs(tmp_path / "processes").keys()
    for stage_file in ("features/interactions.arrow", "features/embeddings.arrow", "content/content_neighbors.arrow",
                       "behavior/behavior_neighbors.arrow", "recommend-blend/user_recommendations.arrow"):
        assert f"work/{stage_file}" in files, sorted(files)
    for name, data_bytes in stage_outputs(tmp_path / "processes").items():
        assert files[name] == data_bytes, f"{name} differs between --in-process and separate processes"
    for mode in ("processes", "in-process"):
        for name in ("split/train.csv", "split/test.csv", *[f"lists/{row}.csv" for row in ROWS]):
            assert (tmp_path / mode / name).read_bytes() == (tmp_path / "processes" / name).read_bytes(), name
    manifests = stage_manifests(tmp_path / "in-process")
    for directory, manifest in stage_manifests(tmp_path / "processes").items():
        assert manifests[directory]["config"] == manifest["config"], directory
    assert manifests["work/content"]["config"]["SIMILARITY_TOP_K"] == "30"
    assert manifests["work/recommend-content"]["config"]["RELATED_BEHAVIOR_WEIGHT"] == "0.0"
    assert manifests["work/recommend-behavior"]["config"]["RELATED_CONTENT_WEIGHT"] == "0.0"
    assert manifests["work/content"]["stats"]["vector_kernel"] == "simd", "docker/vector-module gave evaluate's JVM the Vector API"
    report = check_report(tmp_path / "in-process", tmp_path / "in-process" / "split" / "train.csv")
    reference = json.loads((tmp_path / "processes" / "evaluation.json").read_text())
    assert [row["metrics"] for row in report["rows"]] == [row["metrics"] for row in reference["rows"]]
    assert all(cost["in_process"] for row in report["rows"] for cost in row["stages"])
    assert not any(cost["in_process"] for row in reference["rows"] for cost in row["stages"])
    assert "--in-process" in (tmp_path / "in-process" / "evaluation.md").read_text()


def test_in_process_refuses_a_sweep_and_reports_a_stage_setting_as_the_stage_would(generated, tmp_path):
    sweep = evaluate(generated, tmp_path / "a", "--in-process", "--sweep", "SIMILARITY_TOP_K=5,20", check=False)
    assert sweep.returncode == 2 and "--sweep" in sweep.stderr, sweep.stderr[-2000:]
    assert not (tmp_path / "a").exists()
    bad = evaluate(generated, tmp_path / "b", "--in-process", env={"RELATED_TOP_N": "many"}, check=False)
    alone = run("recommend", "--features", tmp_path / "none", "--content", tmp_path / "none", "--behavior", tmp_path / "none",
                "--out", tmp_path / "c", env={"RELATED_TOP_N": "many"}, check=False)
    assert bad.returncode == alone.returncode == 2, bad.stderr[-2000:]
    assert "RELATED_TOP_N" in bad.stderr.splitlines()[-1] and "RELATED_TOP_N" in alone.stderr, bad.stderr[-2000:]
    assert not (tmp_path / "b").exists(), "nothing half-written is visible"
    # In process, a stage's memory plan counts on evaluate's own budget, and refuses as in its own pod.
    small = evaluate(generated, tmp_path / "d", "--in-process", env={"EVALUATE_MEMORY_LIMIT": "128Mi"}, check=False)
    assert small.returncode == 4, small.stderr[-2000:]
    assert "features (features-all)" in small.stderr and "EVALUATE_MEMORY_LIMIT" in small.stderr, small.stderr[-2000:]
    assert not (tmp_path / "d").exists()


def processes_naming(path: Path) -> list[str]:
    """Command lines of the running processes that name path (a stage left running would)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(path) in command:
            found.append(command)
    return found


@pytest.mark.parametrize("mode,when", [
    ("--in-process", "features-all: features"), ("--in-process", "content: content-similarity"),
    ("--in-process", "behavior: behavior-cooccurrence"), ("--in-process", "recommend-blend: recommend"),
    ("--in-process", "recommend: related items"),
    # Each stage its own process: the stop reaches the stage evaluate is waiting on.
    ("--jobs=1", "content: content-similarity"), ("--jobs=1", "recommend-blend: recommend")])
def test_a_stop_during_a_stage_leaves_nothing_on_the_volume(generated, tmp_path, mode, when):
    """SIGTERM as a stage begins or works under evaluate: its and evaluate's staging directories both
    go, and no stage process is left running."""
    volume = tmp_path / "volume"
    process = subprocess.Popen([str(RECSTAGE), "evaluate", "--items", generated / "items.csv", "--interactions",
                                generated / "interactions.csv", mode, "--out", volume / "evaluation"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    said = []
    for line in process.stderr:
        said.append(line)
        if when in line:
            process.send_signal(signal.SIGTERM)
            break
    said += process.stderr.readlines()
    assert process.wait(timeout=60) == 143, "".join(said[-20:])
    text = "".join(said)
    assert "evaluate: stopped; nothing of this run is left on the volume" in text, text[-3000:]
    assert list(volume.iterdir()) == [], "no staging directory, no half-written output"
    assert processes_naming(volume) == [], "a stage of the stopped evaluate is still running"


@pytest.mark.skipif(not MOVIELENS.is_dir(), reason=f"skipped: {MOVIELENS} is absent (MovieLens ml-latest-small)")
def test_movielens(tmp_path):
    out = tmp_path / "ml"
    run("evaluate", "--items", MOVIELENS / "movies.csv", "--interactions", MOVIELENS / "ratings.csv",
        *MOVIELENS_OPTIONS, "--out", out)
    report = check_report(out, out / "split" / "train.csv")
    assert report["split"]["scored_users"] == 610  # every MovieLens user has at least 20 ratings
    assert report["split"]["events"] == 100836
