"""Shared helpers of the behaviour stage's peer tests: raw CSVs, running bin/recstage, reading outputs."""
import csv
import json
import os
import random
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest

ROOT = Path(__file__).resolve().parents[2]
RECSTAGE = ROOT / "bin" / "recstage"
STAGE_JARS = {
    stage: ROOT / "tasks" / stage / "target" / "quarkus-app" / "quarkus-run.jar"
    for stage in ("features", "behavior-cooccurrence", "content-similarity", "recommend")
}
AS_OF = 1_700_000_000


def require_built(*stages):
    for stage in stages:
        if not STAGE_JARS[stage].is_file():
            pytest.skip(f"{STAGE_JARS[stage]} is missing: build first with ./mvnw -B package -DskipTests")


def write_raw(directory, interactions, items):
    """items.csv and interactions.csv in the features stage's default column names."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "items.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["item_id", "title", "description", "tags", "category", "create_time"])
        for item in items:
            w.writerow([item, f"title {item}", "", "", "c", AS_OF - 86_400 * 400])
    with open(directory / "interactions.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user_id", "item_id", "event_type", "create_time"])
        for user, item, time in interactions:
            w.writerow([user, item, "view", time])
    return directory


def random_interactions(seed, items, users, events):
    """Skewed popularity and activity (so that items share users), repeated events, shared times."""
    rng = random.Random(seed)
    rows = []
    for _ in range(events):
        user = f"u{int(rng.random() ** 2 * users)}"
        item = f"i{int(rng.random() ** 1.5 * items)}"
        rows.append((user, item, AS_OF - 3600 * rng.randrange(2000)))
    return rows, [f"i{i}" for i in range(items)]


def run(stage_args, env=None, check=True):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("BEHAVIOR_", "SIMILARITY_", "USE_", "RECSTAGE_"))}
    environment.update(env or {})
    result = subprocess.run([str(RECSTAGE), *map(str, stage_args)], env=environment, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{stage_args[0]} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


def features(raw, out):
    run(["features", "--items", raw / "items.csv", "--interactions", raw / "interactions.csv", "--out", out])
    return out


def neighbors(out):
    """{item_id: [(neighbor_id, score), ...]} in rank order."""
    table = pa.ipc.open_file(out / "behavior_neighbors.arrow").read_all()
    result = {}
    ranks = table.column("rank").to_pylist()
    for item, neighbor, score, rank in zip(table.column("item_id").to_pylist(), table.column("neighbor_id").to_pylist(),
                                           table.column("score").to_pylist(), ranks):
        rows = result.setdefault(item, [])
        assert rank == len(rows) + 1, f"{item}: rank {rank} after {len(rows)} rows"
        rows.append((neighbor, score))
    return result


def manifest(out):
    return json.loads((out / "manifest.json").read_text())
