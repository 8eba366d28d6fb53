"""`airflow dags test` of all three DAGs in local mode, with a *recording* launcher in place of bin/recstage.

This checks the orchestration only — what each stage is called with, the order, the pool, the
publish step and its pointers — and says nothing about the stages' results, which the recorder
does not compute (it writes an empty manifest). The real stages run in test_dags_e2e.py.
"""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from tests.airflow_runner import AirflowHome

RECORDER = textwrap.dedent(
    """\
    #!{python}
    import json, os, pathlib, sys
    stage, args = sys.argv[1], sys.argv[2:]
    log = pathlib.Path(os.environ["RECORDER_LOG"])
    with log.open("a") as out:
        out.write(json.dumps({{"stage": stage, "args": args, "env": dict(os.environ)}}) + "\\n")
    if stage == os.environ.get("RECORDER_FAIL_STAGE"):
        sys.exit(3)
    out_dir = pathlib.Path(args[args.index("--out") + 1])
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "manifest.json").write_text("{{}}")
    """
)
AS_OF = "2026-03-07T12:00:00+00:00"


@pytest.fixture(scope="module")
def airflow(tmp_path_factory):
    import sys

    base = tmp_path_factory.mktemp("wiring")
    launcher = base / "recstage-home" / "bin" / "recstage"
    launcher.parent.mkdir(parents=True)
    launcher.write_text(RECORDER.format(python=sys.executable))
    launcher.chmod(0o755)
    home = AirflowHome(base / "airflow", data_root=base / "data", recstage_home=base / "recstage-home")
    home.env["RECORDER_LOG"] = str(base / "calls.jsonl")
    home.calls = base / "calls.jsonl"
    home.data = base / "data"
    return home


def calls(airflow):
    return [json.loads(line) for line in airflow.calls.read_text().splitlines()]


def test_weekly_then_daily_then_incremental(airflow):
    for dag_id in ("weekly_model_refresh", "recommendation_pipeline", "incremental_data_update"):
        assert airflow.dags_test(dag_id, AS_OF) == "success", dag_id

    everything = calls(airflow)
    # The weekly run's evaluate, after its publish, is checked in test_evaluate_task.py.
    assert [c["stage"] for c in everything].count("evaluate") == 1
    recorded = [c for c in everything if c["stage"] != "evaluate"]
    assert len(recorded) == 12
    for first in (0, 4, 8):  # per run: features, then both neighbour stages in either order, then recommend
        assert recorded[first]["stage"] == "features"
        assert {c["stage"] for c in recorded[first + 1:first + 3]} == {"content-similarity", "behavior-cooccurrence"}
        assert recorded[first + 3]["stage"] == "recommend"
        run_dir = recorded[first]["args"][recorded[first]["args"].index("--out") + 1].rsplit("/", 1)[0]
        assert recorded[first + 3]["args"] == [
            "--features", f"{run_dir}/features", "--content", f"{run_dir}/content-similarity",
            "--behavior", f"{run_dir}/behavior-cooccurrence", "--out", f"{run_dir}/recommend", "--threads", "2",
        ]
    # Per run: features, behavior, content, recommend.
    order = {"features": 0, "behavior-cooccurrence": 1, "content-similarity": 2, "recommend": 3}
    recorded = [c for _, c in sorted(enumerate(recorded), key=lambda ic: (ic[0] // 4, order[ic[1]["stage"]]))]
    data = airflow.data
    latest = os.readlink(data / "latest")
    assert latest.startswith("runs/recommendation_pipeline/manual__")
    assert os.readlink(data / "latest-incremental").startswith("runs/incremental_data_update/manual__")
    model = os.readlink(data / "models" / "tfidf-current")
    assert model.startswith("../runs/weekly_model_refresh/manual__") and model.endswith("/content-similarity")

    weekly, daily, incremental = recorded[0:4], recorded[4:8], recorded[8:12]  # features, behavior, content, recommend
    assert [c["stage"] for c in weekly] == ["features", "behavior-cooccurrence", "content-similarity", "recommend"]
    assert "--model" not in weekly[2]["args"] and "--model" not in daily[2]["args"]
    model_arg = incremental[2]["args"][incremental[2]["args"].index("--model") + 1]
    assert model_arg == f"{data}/models/tfidf-current/tfidf_model.arrow"
    inc_features = incremental[0]["args"]
    assert inc_features[inc_features.index("--since") + 1] == "2026-02-28T12:00:00Z"
    assert inc_features[inc_features.index("--as-of") + 1] == "2026-03-07T12:00:00Z"
    for dag_id, run in zip(("weekly_model_refresh", "recommendation_pipeline", "incremental_data_update"),
                           (weekly, daily, incremental)):
        for call in run:
            out = call["args"][call["args"].index("--out") + 1]
            assert out.startswith(f"{data}/runs/{dag_id}/manual__") and out.endswith(f"/{call['stage']}")
    for call in recorded:
        stage_limit = {"features": 1024**3, "content-similarity": 2 * 1024**3, "behavior-cooccurrence": 1024**3,
                       "recommend": 1024**3}
        assert call["env"]["RECSTAGE_MEMORY_LIMIT"] == str(stage_limit[call["stage"]])
        assert call["env"]["RECSTAGE_MAX_HEAP"] == str(stage_limit[call["stage"]] // 2)
        assert call["env"]["SIMILARITY_BATCH_SIZE"] == "1000"
        assert call["env"]["RELATED_TOP_N"] == "20" and call["env"]["USER_TOP_N"] == "20"


def test_a_failed_stage_publishes_nothing(airflow):
    before = os.readlink(airflow.data / "latest")
    airflow.env["RECORDER_FAIL_STAGE"] = "behavior-cooccurrence"
    try:
        assert airflow.dags_test("recommendation_pipeline", AS_OF) == "failed"
    finally:
        del airflow.env["RECORDER_FAIL_STAGE"]
    states = airflow.task_states("recommendation_pipeline")
    assert states["behavior_cooccurrence"] == "failed"
    assert states["recommend"] == "upstream_failed"
    assert states["publish"] == "upstream_failed"
    assert os.readlink(airflow.data / "latest") == before
