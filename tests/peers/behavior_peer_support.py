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


def missing_prerequisite(reason):
    """Skips the calling test for a missing build or data set, except under CI (`CI=true`), where
    they are there by construction, so that their absence is a failure (as in tests/reliability/harness.py)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing prerequisite is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def require_built(*stages):
    for stage in stages:
        if not STAGE_JARS[stage].is_file():
            missing_prerequisite(f"{STAGE_JARS[stage]} is missing: build first with ./mvnw -B package -DskipTests")


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


def capped(interactions, cap):
    """The history cap as README states it, computed here from the raw events: each user keeps the
    `cap` most recent distinct items (an item's recency is its latest event) with all their events.
    Returns the kept events (deduplicated on user, item and time, as the features stage does) and the
    number dropped. A tie in recency across the cap's boundary would make both depend on the order of
    equal times, so the data must not have one."""
    by_user = {}
    for user, item, time in set(interactions):
        by_user.setdefault(user, {}).setdefault(item, []).append(time)
    kept, dropped = [], 0
    for user, items in by_user.items():
        ranked = sorted(items.items(), key=lambda entry: -max(entry[1]))
        if len(ranked) > cap:
            assert max(ranked[cap - 1][1]) != max(ranked[cap][1]), f"{user}: a tie in recency at the cap's boundary"
            dropped += sum(len(times) for _, times in ranked[cap:])
        kept += [(user, item, time) for item, times in ranked[:cap] for time in times]
    return kept, dropped


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
