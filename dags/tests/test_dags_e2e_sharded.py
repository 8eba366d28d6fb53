"""`airflow dags test` end to end with 3 shards per heavy stage (local mode, real stages): each heavy stage
runs as 3 mapped tasks writing `<stage>/shard-i-of-3/`, publish checks every shard, the weekly run
saves the first shard's model and the whole output as the incremental baseline, and the incremental
run merges into that sharded baseline. Skips like test_dags_e2e.py until the stages are built."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from tests.airflow_runner import AirflowHome
from tests.test_dags_e2e import generated_run, missing_stages

SHARDS = 3
SHARDED = ("content-similarity", "behavior-cooccurrence")
DAGS = ("weekly_model_refresh", "recommendation_pipeline", "incremental_data_update")

pytestmark = pytest.mark.skipif(
    bool(missing_stages()),
    reason=f"real stages not built, missing: {', '.join(missing_stages())}; run ./mvnw -B -DskipTests package",
)


@pytest.fixture(scope="module")
def sharded_pipeline(tmp_path_factory):
    data, home, as_of = generated_run(tmp_path_factory.mktemp("e2e-sharded"))
    home.env["AIRFLOW_VAR_RECSTAGE_SETTINGS"] = json.dumps(
        {"CONTENT_SIMILARITY_SHARDS": str(SHARDS), "BEHAVIOR_COOCCURRENCE_SHARDS": str(SHARDS)})
    states = {dag_id: home.dags_test(dag_id, as_of.isoformat()) for dag_id in DAGS}
    return home, data, states


def mapped_states(home: AirflowHome, dag_id: str) -> dict[tuple[str, int], str]:
    with sqlite3.connect(home.home / "airflow.db") as db:
        run_id = db.execute("select run_id from dag_run where dag_id = ? order by id desc limit 1", (dag_id,)).fetchone()[0]
        rows = db.execute("select task_id, map_index, state from task_instance where dag_id = ? and run_id = ?", (dag_id, run_id))
        return {(task, index): state for task, index, state in rows.fetchall()}


@pytest.mark.parametrize("dag_id", DAGS)
def test_every_shard_task_succeeds(sharded_pipeline, dag_id):
    home, _, states = sharded_pipeline
    tasks = mapped_states(home, dag_id)
    assert states[dag_id] == "success", f"see {home.home / 'commands.log'}: {tasks}"
    assert tasks and set(tasks.values()) == {"success"}, tasks
    sharded = [stage for stage in SHARDED if not (dag_id == "incremental_data_update" and stage == "content-similarity")]
    for stage in sharded:
        assert sorted(i for task, i in tasks if task == stage.replace("-", "_")) == list(range(SHARDS)), tasks
    assert tasks[("features", -1)] == "success"


def test_latest_holds_every_shard_with_its_manifest(sharded_pipeline):
    _, data, _ = sharded_pipeline
    latest = data / "latest"
    assert os.readlink(latest).startswith("runs/recommendation_pipeline/")
    for stage in SHARDED:
        assert not (latest / stage / "manifest.json").exists()
        for i in range(SHARDS):
            manifest = json.loads((latest / stage / f"shard-{i}-of-{SHARDS}" / "manifest.json").read_text())
            assert manifest["config"]["shard"] == f"{i}/{SHARDS}"


def test_weekly_saves_the_model_and_the_sharded_baseline(sharded_pipeline):
    _, data, _ = sharded_pipeline
    assert (data / "models" / "tfidf-current" / "tfidf_model.arrow").is_file()
    assert os.readlink(data / "models" / "tfidf-current").endswith(f"content-similarity/shard-0-of-{SHARDS}")
    assert os.readlink(data / "models" / "content-baseline").endswith("content-similarity")


def test_incremental_content_merges_into_the_sharded_baseline(sharded_pipeline):
    _, data, _ = sharded_pipeline
    manifest = json.loads((data / "latest-incremental" / "content-similarity" / "manifest.json").read_text())
    stats = manifest["stats"]["incremental"]
    # The same catalogue as the weekly run: nothing to score whole, every list carried over.
    assert stats["mode"] == "merged", stats
    assert (stats["added"], stats["changed"], stats["removed"], stats["dirty_rows"]) == (0, 0, 0, 0)
