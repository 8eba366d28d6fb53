"""The weekly run's evaluate task: after publish (never holding it up), on the last EVALUATE_WINDOW_DAYS."""

from __future__ import annotations

import pytest

from tests.conftest import load_dagbag
from tests.test_local_wiring import AS_OF, airflow, calls  # noqa: F401 (the fixture is used by name)


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


def test_kubernetes_mode_has_no_evaluate_task(kubernetes_dags):
    # A stage's image holds that stage only; evaluate needs them all (README, "How good are the recommendations?").
    assert "evaluate" not in kubernetes_dags["weekly_model_refresh"].task_ids


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
