"""The DAG files load in a real DagBag and have the shape the issue asks for."""

from __future__ import annotations

import pytest

from tests.conftest import DAG_IDS, HEAVY_TASKS, load_dagbag


@pytest.mark.parametrize("mode", ["kubernetes", "local"])
def test_dagbag_loads_without_import_errors(monkeypatch, mode):
    monkeypatch.setenv("RECSTAGE_EXECUTION_MODE", mode)
    bag = load_dagbag()
    assert bag.import_errors == {}
    assert sorted(bag.dags) == sorted(DAG_IDS)


def test_a_bad_setting_is_an_import_error(monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_RECSTAGE_SETTINGS", '{"FEATURES_MEMORY_LIMIT": "plenty"}')
    bag = load_dagbag()
    assert sorted(bag.import_errors) == sorted(f"{dag_id}.py" for dag_id in DAG_IDS)
    assert all("FEATURES_MEMORY_LIMIT" in error for error in bag.import_errors.values())


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_no_catchup_one_active_run(kubernetes_dags, dag_id):
    dag = kubernetes_dags[dag_id]
    assert dag.catchup is False
    assert dag.max_active_runs == 1


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_every_heavy_stage_is_in_the_one_slot_pool(kubernetes_dags, dag_id):
    dag = kubernetes_dags[dag_id]
    heavy = [task.task_id for task in dag.tasks if task.pool == "recstage_heavy"]
    # The weekly run's evaluate runs the stages again, one at a time: it holds the slot as they would.
    evaluate = ("evaluate",) if dag_id == "weekly_model_refresh" else ()
    assert sorted(heavy) == sorted(HEAVY_TASKS + evaluate)
    assert dag.get_task("publish").pool == "default_pool"


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_features_then_both_neighbour_stages_then_recommend_then_publish(kubernetes_dags, dag_id):
    dag = kubernetes_dags[dag_id]
    evaluate = {"evaluate"} if dag_id == "weekly_model_refresh" else set()  # after publish: test_evaluate_task.py
    assert {t.task_id for t in dag.tasks} == {*HEAVY_TASKS, "publish", *evaluate}
    assert dag.get_task("features").downstream_task_ids == {"content_similarity", "behavior_cooccurrence"}
    assert dag.get_task("recommend").upstream_task_ids == {"content_similarity", "behavior_cooccurrence"}
    assert dag.get_task("publish").upstream_task_ids == {"recommend"}
    assert dag.get_task("publish").trigger_rule == "all_success"


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_stages_retry(kubernetes_dags, dag_id):
    for task in kubernetes_dags[dag_id].tasks:
        assert task.retries == 2
        assert task.execution_timeout is not None or task.task_id == "publish"


@pytest.mark.parametrize(
    "dag_id, cron",
    [
        ("recommendation_pipeline", "0 18 * * *"),
        ("weekly_model_refresh", "0 12 * * 6"),
        ("incremental_data_update", "45 */4 * * *"),
    ],
)
def test_explicit_cron_trigger_timetable_in_utc(kubernetes_dags, dag_id, cron):
    from airflow.sdk import CronTriggerTimetable

    timetable = kubernetes_dags[dag_id].timetable
    assert type(timetable) is CronTriggerTimetable
    assert (timetable.expression, str(timetable.timezone)) == (cron, "UTC")
