"""Local mode: the same stage tasks as processes of bin/recstage, with the launcher's memory contract."""

from __future__ import annotations

import json
import sys

import pytest
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from recstage_dags import settings
from recstage_dags.local import LocalProcessOperator
from recstage_dags.stages import StageFactory
from tests.conftest import DAG_IDS, HEAVY_TASKS, REPO_ROOT, load_dagbag


def run(code: int, **env):
    op = LocalProcessOperator(task_id="t", command=[sys.executable, "-c", f"import sys; sys.exit({code})"], env_vars=env)
    op.execute(context=None)


def test_success():
    run(0)


@pytest.mark.parametrize("code", [2, 3, 4])
def test_configuration_data_and_memory_errors_are_not_retried(code):
    with pytest.raises(AirflowFailException, match=f"exited {code}"):
        run(code)


def test_other_failures_are_retried():
    with pytest.raises(AirflowException) as raised:
        run(1)
    assert not isinstance(raised.value, AirflowFailException)


def test_environment_reaches_the_process(tmp_path):
    out = tmp_path / "env.json"
    script = f"import json, os; json.dump(dict(os.environ), open({str(out)!r}, 'w'))"
    LocalProcessOperator(task_id="t", command=[sys.executable, "-c", script], env_vars={"RECSTAGE_MAX_HEAP": "42"}).execute(None)
    assert json.loads(out.read_text())["RECSTAGE_MAX_HEAP"] == "42"


def test_local_stage_environment_caps_the_heap_from_the_stage_limit():
    config = settings.load(environ={"RECSTAGE_EXECUTION_MODE": "local"}, variable_overrides={})
    env = StageFactory(config, "d").local_environment("content-similarity")
    assert env["RECSTAGE_MEMORY_LIMIT"] == str(2 * 1024**3)
    assert env["RECSTAGE_MAX_HEAP"] == str(1024**3)
    assert env["SIMILARITY_TOP_K"] == "200"


def test_local_mode_builds_the_same_tasks_as_processes(monkeypatch, tmp_path):
    monkeypatch.setenv("RECSTAGE_EXECUTION_MODE", "local")
    monkeypatch.setenv("RECSTAGE_DATA_ROOT", str(tmp_path))
    dags = load_dagbag().dags
    for dag_id in DAG_IDS:
        for task_id in HEAVY_TASKS:
            task = dags[dag_id].get_task(task_id)
            assert isinstance(task, LocalProcessOperator)
            assert task.command == [str(REPO_ROOT / "bin" / "recstage"), task_id.replace("_", "-")]
            assert task.pool == "recstage_heavy"
            assert task.arguments[task.arguments.index("--out") + 1].startswith(f"{tmp_path}/runs/{dag_id}/")
        assert dags[dag_id].get_task("publish").arguments[:2] == ["--root", str(tmp_path)]
