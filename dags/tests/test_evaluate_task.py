"""The weekly run's evaluate task: after publish (never holding it up), on the last EVALUATE_WINDOW_DAYS."""

from __future__ import annotations

import pytest

from tests.conftest import load_dagbag
from tests.test_local_wiring import AS_OF, airflow, calls  # noqa: F401 (the fixture is used by name)
from tests.test_pod_specs import ENV, RUN_KEY, container_of, render_pod


@pytest.fixture
def local_dags(monkeypatch, tmp_path):
    monkeypatch.setenv("RECSTAGE_EXECUTION_MODE", "local")
    monkeypatch.setenv("RECSTAGE_DATA_ROOT", str(tmp_path))
    bag = load_dagbag()
    assert bag.import_errors == {}
    return bag.dags


def test_weekly_evaluates_after_publish_in_the_heavy_slot(local_dags):
    weekly = local_dags["weekly_model_refresh"]
    evaluate = weekly.get_task("evaluate")
    assert evaluate.upstream_task_ids == {"publish"}
    assert evaluate.downstream_task_ids == set()
    assert weekly.get_task("publish").trigger_rule == "all_success"
    assert evaluate.pool == "recstage_heavy"
    for dag_id in ("recommendation_pipeline", "incremental_data_update"):
        assert "evaluate" not in local_dags[dag_id].task_ids


def test_kubernetes_evaluate_pod_holds_every_stage_beside_evaluate(kubernetes_dags):
    weekly = kubernetes_dags["weekly_model_refresh"]
    task = weekly.get_task("evaluate")
    assert task.upstream_task_ids == {"publish"} and task.downstream_task_ids == set()
    assert task.pool == "recstage_heavy"
    pod = render_pod(task)
    container = container_of(pod)
    # The evaluate image (docker/Dockerfile.evaluate) holds every stage; JVM whatever the stages' flavour.
    assert container.image == "registry.example.com/recstage/evaluate:0.1.0-jvm"
    assert container.args == [
        "--items", "/data/raw/items.csv", "--interactions", "/data/raw/interactions.csv",
        "--since", "2025-12-07T12:00:00Z",  # the logical date minus the 90-day window
        "--out", f"/data/runs/weekly_model_refresh/{RUN_KEY}/evaluate", "--jobs", "1",
    ]
    # Its own process beside one stage at a time: its limit plus the largest stage's (1Gi + 2Gi).
    size = {"memory": "3072Mi", "cpu": ENV["CONTENT_SIMILARITY_CPU"]}
    assert container.resources.requests == size == container.resources.limits
    env = {var.name: var.value for var in container.env}
    for stage in ("EVALUATE", "FEATURES", "CONTENT_SIMILARITY", "BEHAVIOR_COOCCURRENCE", "RECOMMEND"):
        assert env[f"{stage}_MEMORY_LIMIT"] == ENV[f"{stage}_MEMORY_LIMIT"]
    assert env["SIMILARITY_TOP_K"] == ENV["SIMILARITY_TOP_K"]
    assert "JAVA_TOOL_OPTIONS" not in env  # the launcher sets each process's heap from its own limit
    security = container.security_context
    assert security.read_only_root_filesystem and security.run_as_non_root and security.capabilities.drop == ["ALL"]
    assert pod.spec.termination_grace_period_seconds == 20


def test_weekly_evaluate_call(airflow):  # noqa: F811
    assert airflow.dags_test("weekly_model_refresh", AS_OF) == "success"
    recorded = [c for c in calls(airflow) if c["stage"] == "evaluate"]
    assert recorded, "the weekly run called evaluate"
    call = recorded[-1]
    args = call["args"]
    assert args[args.index("--since") + 1] == "2025-12-07T12:00:00Z"  # AS_OF minus the 90-day window
    out = args[args.index("--out") + 1]
    assert out.startswith(f"{airflow.data}/runs/weekly_model_refresh/manual__") and out.endswith("/evaluate")
    assert args[args.index("--jobs") + 1] == "1"
    env = call["env"]
    # Evaluate's own limit, and every stage's limit for the stages it runs.
    assert env["RECSTAGE_MEMORY_LIMIT"] == str(1024**3)
    assert env["CONTENT_SIMILARITY_MEMORY_LIMIT"] == "2Gi" and env["FEATURES_MEMORY_LIMIT"] == "1Gi"
    assert env["SIMILARITY_TOP_K"] == "200"
