"""`airflow dags test` of the three DAGs end to end with the real stages (local mode, SQLite, generated data).

Skips, saying what is missing, until bin/recstage and the stage builds exist (under CI=true that is a failure); build them first with
`./mvnw -B -DskipTests package` (or `-Pnative`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.airflow_runner import AirflowHome
from tests.conftest import REPO_ROOT, missing_prerequisite

LAUNCHER = REPO_ROOT / "bin" / "recstage"
STAGE_OUTPUTS = {
    "features": ["items.arrow", "interactions.arrow"],
    "content-similarity": ["content_neighbors.arrow", "tfidf_model.arrow"],
    "behavior-cooccurrence": ["behavior_neighbors.arrow"],
    "recommend": ["related_items.arrow", "user_recommendations.arrow"],
}


def missing_stages() -> list[str]:
    missing = [] if os.access(LAUNCHER, os.X_OK) else [str(LAUNCHER.relative_to(REPO_ROOT))]
    for stage in [*STAGE_OUTPUTS, "tools"]:  # tools holds `generate`
        target = REPO_ROOT / "tasks" / stage / "target"
        if not (target / "quarkus-app" / "quarkus-run.jar").is_file() and not list(target.glob("*-runner")):
            missing.append(f"tasks/{stage}/target/quarkus-app/quarkus-run.jar (or *-runner)")
    return missing


@pytest.fixture(autouse=True)
def built_stages():
    """Skips (fails under CI=true) until bin/recstage and the stage builds exist."""
    if missing_stages():
        missing_prerequisite(f"real stages not built, missing: {', '.join(missing_stages())}; run ./mvnw -B -DskipTests package")


def latest_event_time(interactions: Path) -> dt.datetime:
    """The newest create_time in the generated interactions (ISO-8601 or epoch seconds/milliseconds)."""
    newest = None
    with interactions.open(newline="") as rows:
        for row in csv.DictReader(rows):
            raw = row["create_time"]
            if raw.replace(".", "", 1).isdigit():
                seconds = float(raw) / (1000 if float(raw) > 1e11 else 1)
                moment = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
            else:
                moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
                moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
            newest = moment if newest is None or moment > newest else newest
    assert newest is not None, f"{interactions} has no rows"
    return newest


def generated_run(base: Path) -> tuple[Path, AirflowHome, dt.datetime]:
    """A small generated catalogue under `base/data/raw`, an Airflow home over it, and the moment to run
    the DAGs as of: one hour after the newest event, so the incremental window holds the data's last days."""
    data = base / "data"
    subprocess.run(
        [str(LAUNCHER), "generate", "--items", "400", "--users", "300", "--events", "6000", "--seed", "7",
         "--out", str(data / "raw")],
        check=True, timeout=600,
    )
    home = AirflowHome(base / "airflow", data_root=data, recstage_home=REPO_ROOT)
    as_of = (latest_event_time(data / "raw" / "interactions.csv") + dt.timedelta(hours=1)).replace(microsecond=0)
    return data, home, as_of


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    data, home, as_of = generated_run(tmp_path_factory.mktemp("e2e"))
    states = {}
    # The weekly run first: it saves the model the incremental run scores with.
    for dag_id in ("weekly_model_refresh", "recommendation_pipeline", "incremental_data_update"):
        states[dag_id] = home.dags_test(dag_id, as_of.isoformat())
    return home, data, states


def assert_published(pointer: Path, dag_id: str) -> None:
    assert pointer.is_symlink(), f"{pointer} was not published"
    assert os.readlink(pointer).startswith(f"runs/{dag_id}/")
    for stage, outputs in STAGE_OUTPUTS.items():
        manifest = json.loads((pointer / stage / "manifest.json").read_text())
        assert manifest, f"{stage} manifest is empty"
        for name in outputs:
            assert (pointer / stage / name).is_file(), f"{dag_id}: {stage}/{name} missing"
            assert name in json.dumps(manifest), f"{dag_id}: {stage} manifest does not list {name}"


@pytest.mark.parametrize("dag_id", ["weekly_model_refresh", "recommendation_pipeline", "incremental_data_update"])
def test_dag_run_succeeds(pipeline, dag_id):
    home, _, states = pipeline
    tasks = home.task_states(dag_id)
    assert states[dag_id] == "success", f"see {home.home / 'commands.log'}: {tasks}"
    # A run can be marked successful with no task run at all (e.g. before the DAG's start_date).
    assert tasks and set(tasks.values()) == {"success"}, f"see {home.home / 'commands.log'}: {tasks}"


def test_latest_holds_the_daily_run_with_manifests(pipeline):
    _, data, _ = pipeline
    assert_published(data / "latest", "recommendation_pipeline")


def test_incremental_outputs_are_published_apart(pipeline):
    _, data, _ = pipeline
    assert_published(data / "latest-incremental", "incremental_data_update")


def test_weekly_model_is_saved_for_the_week(pipeline):
    _, data, _ = pipeline
    model = data / "models" / "tfidf-current" / "tfidf_model.arrow"
    assert model.is_file() and model.stat().st_size > 0
    assert "weekly_model_refresh" in os.readlink(data / "models" / "tfidf-current")


def test_recommend_read_the_neighbours_of_its_own_features_run(pipeline):
    _, data, _ = pipeline
    run = data / "latest"
    recommend = json.loads((run / "recommend" / "manifest.json").read_text())
    for stage in ("features", "content-similarity", "behavior-cooccurrence"):
        manifest = json.loads((run / stage / "manifest.json").read_text())
        assert recommend["input_runs"][stage] == manifest["run_id"]
    assert recommend["stats"]["users_from_history"] > 0


def test_weekly_evaluation_lies_beside_its_outputs(pipeline):
    _, data, _ = pipeline
    reports = list((data / "runs" / "weekly_model_refresh").glob("*/evaluate/evaluation.json"))
    assert len(reports) == 1, "the weekly run wrote its evaluation into its run directory"
    report = json.loads(reports[0].read_text())
    assert [row["row"] for row in report["rows"]] == ["popularity", "content", "behavior", "blend"]
    assert report["split"]["scored_users"] > 0
