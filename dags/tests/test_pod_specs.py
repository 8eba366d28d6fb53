"""Pod specs as the KubernetesPodOperator itself renders them (`build_pod_request_obj`), no cluster needed."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from types import SimpleNamespace
from unittest.mock import PropertyMock, patch

import pytest

from tests.conftest import DAG_IDS, DAGS_DIR, HEAVY_TASKS, load_dagbag, read_env_file

LOGICAL_DATE = dt.datetime(2026, 3, 7, 12, 0, tzinfo=dt.timezone.utc)
RUN_ID = "scheduled__2026-03-07T12:00:00+00:00"
RUN_KEY = "scheduled__2026-03-07T12_00_00_00_00"
STAGE_OF_TASK = {"features": "features", "content_similarity": "content-similarity",
                 "behavior_cooccurrence": "behavior-cooccurrence", "recommend": "recommend"}
ENV = read_env_file()


def load_dags(monkeypatch, **env):
    monkeypatch.setenv("RECSTAGE_EXECUTION_MODE", "kubernetes")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    bag = load_dagbag()
    assert bag.import_errors == {}
    return bag.dags


@pytest.fixture(scope="module")
def dags():
    with pytest.MonkeyPatch.context() as monkeypatch:
        return load_dags(monkeypatch)


def render_pod(task):
    """Render the task's templates for one run, then let the operator build its V1Pod with the hook mocked."""
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator

    task = copy.deepcopy(task)
    dag_run = SimpleNamespace(logical_date=LOGICAL_DATE, run_after=LOGICAL_DATE)
    task.render_template_fields({"run_id": RUN_ID, "dag_run": dag_run})
    with patch.object(KubernetesPodOperator, "hook", new_callable=PropertyMock) as hook:
        hook.return_value.get_namespace.return_value = None
        hook.return_value.is_in_cluster = False
        return task.build_pod_request_obj()


def container_of(pod):
    assert len(pod.spec.containers) == 1
    return pod.spec.containers[0]


def env_of(container) -> dict[str, str]:
    return {var.name: var.value for var in container.env}


@pytest.mark.parametrize("dag_id", DAG_IDS)
@pytest.mark.parametrize("task_id", HEAVY_TASKS)
def test_stage_pod_image_resources_env_volume(dags, dag_id, task_id):
    stage = STAGE_OF_TASK[task_id]
    task = dags[dag_id].get_task(task_id)
    assert task.on_finish_action.value == "delete_succeeded_pod"
    assert task.get_logs is True
    pod = render_pod(task)
    container = container_of(pod)

    assert container.image == f"registry.example.com/recstage/{stage}:0.1.0"
    assert pod.metadata.namespace == "recstage"
    prefix = stage.upper().replace("-", "_")
    expected = {"memory": ENV[f"{prefix}_MEMORY_LIMIT"], "cpu": ENV[f"{prefix}_CPU"]}
    assert container.resources.requests == expected
    assert container.resources.limits == expected

    env = env_of(container)
    for key in ("SIMILARITY_BATCH_SIZE", "SIMILARITY_TOP_K", "BEHAVIOR_SIMILARITY_TOP_K", "USE_FAISS_RECALL",
                "USE_LEGACY_SIMILARITY", "BEHAVIOR_MAX_ITEMS_PER_USER", "SIMILARITY_THREADS", "RELATED_TOP_N",
                "USER_TOP_N", "RELATED_BEHAVIOR_WEIGHT", "RELATED_CONTENT_WEIGHT", "RECOMMEND_INCLUDE_SEEN",
                "RECOMMEND_BATCH_SIZE", "RECOMMEND_PASSES"):
        assert env[key] == ENV[key]

    claims = {v.name: v.persistent_volume_claim.claim_name for v in pod.spec.volumes if v.persistent_volume_claim}
    assert claims == {"data": "recstage-data"}
    mounts = {m.mount_path: m.name for m in container.volume_mounts}
    assert mounts == {"/data": "data", "/tmp": "tmp"}
    assert not any(m.read_only for m in container.volume_mounts)


def stop_seconds() -> int:
    """The bound within which a stage asked to stop exits, as the stages state it (tasks/core StopRequest)."""
    source = (DAGS_DIR.parent / "tasks/core/src/main/java/dev/recstage/core/stage/StopRequest.java").read_text(encoding="utf-8")
    return int(re.search(r"STOP_SECONDS = (\d+);", source).group(1))


@pytest.mark.parametrize("dag_id", DAG_IDS)
@pytest.mark.parametrize("task_id", [*HEAVY_TASKS, "publish"])
def test_grace_period_covers_a_stage_stopping(dags, dag_id, task_id):
    """SIGTERM, then SIGKILL after the grace period: the stage must have cleaned up and exited by then."""
    pod = render_pod(dags[dag_id].get_task(task_id))
    assert pod.spec.termination_grace_period_seconds == 20
    assert pod.spec.termination_grace_period_seconds >= 2 * stop_seconds()


@pytest.mark.parametrize("dag_id", DAG_IDS)
@pytest.mark.parametrize("task_id", [*HEAVY_TASKS, "publish"])
def test_every_pod_is_non_root_read_only_without_privileges(dags, dag_id, task_id):
    pod = render_pod(dags[dag_id].get_task(task_id))
    container = container_of(pod)
    pod_security, security = pod.spec.security_context, container.security_context

    assert pod_security.run_as_non_root is True
    assert pod_security.run_as_user == 65532 and pod_security.run_as_group == 65532
    assert pod_security.seccomp_profile.type == "RuntimeDefault"
    assert security.run_as_non_root is True and security.run_as_user != 0
    assert security.read_only_root_filesystem is True
    assert security.allow_privilege_escalation is False
    assert security.privileged is False
    assert security.capabilities.drop == ["ALL"] and not security.capabilities.add
    assert security.seccomp_profile.type == "RuntimeDefault"
    assert pod.spec.automount_service_account_token is False
    # The only writable path besides the data volume: an emptyDir on /tmp.
    tmp = [v for v in pod.spec.volumes if v.name == "tmp"]
    assert len(tmp) == 1 and tmp[0].empty_dir is not None and tmp[0].empty_dir.medium is None
    assert {m.mount_path for m in container.volume_mounts} == {"/data", "/tmp"}


def test_daily_stage_arguments(dags):
    run_dir = f"/data/runs/recommendation_pipeline/{RUN_KEY}"
    dag = dags["recommendation_pipeline"]
    assert container_of(render_pod(dag.get_task("features"))).args == [
        "--items", "/data/raw/items.csv", "--interactions", "/data/raw/interactions.csv",
        "--out", f"{run_dir}/features", "--as-of", "2026-03-07T12:00:00Z",
    ]
    assert container_of(render_pod(dag.get_task("content_similarity"))).args == [
        "--features", f"{run_dir}/features", "--out", f"{run_dir}/content-similarity",
        "--top-k", "200", "--batch-size", "1000", "--threads", "2",
    ]
    assert container_of(render_pod(dag.get_task("behavior_cooccurrence"))).args == [
        "--features", f"{run_dir}/features", "--out", f"{run_dir}/behavior-cooccurrence",
        "--top-k", "200", "--threads", "2",
    ]
    assert container_of(render_pod(dag.get_task("recommend"))).args == [
        "--features", f"{run_dir}/features", "--content", f"{run_dir}/content-similarity",
        "--behavior", f"{run_dir}/behavior-cooccurrence", "--out", f"{run_dir}/recommend", "--threads", "2",
    ]


def test_incremental_window_and_saved_model(dags):
    dag = dags["incremental_data_update"]
    features = container_of(render_pod(dag.get_task("features"))).args
    assert features[features.index("--as-of") + 1] == "2026-03-07T12:00:00Z"
    assert features[features.index("--since") + 1] == "2026-02-28T12:00:00Z"
    content = container_of(render_pod(dag.get_task("content_similarity"))).args
    assert content[content.index("--model") + 1] == "/data/models/tfidf-current/tfidf_model.arrow"


def test_weekly_fits_its_model_and_saves_it(dags):
    dag = dags["weekly_model_refresh"]
    assert "--model" not in container_of(render_pod(dag.get_task("content_similarity"))).args
    assert "--since" not in container_of(render_pod(dag.get_task("features"))).args
    publish = container_of(render_pod(dag.get_task("publish"))).args
    assert publish[-4:] == ["--link", "latest=.", "--link", "models/tfidf-current=content-similarity"]


def test_publish_pod_runs_the_publish_script_unchanged(dags):
    pod = render_pod(dags["recommendation_pipeline"].get_task("publish"))
    container = container_of(pod)
    assert container.image == "python:3.11-slim"
    # Jinja renders `cmds` too: the source must come through intact (Jinja only drops the final newline).
    source = (DAGS_DIR / "recstage_dags" / "publish.py").read_text()
    assert container.command == ["python3", "-c", source.rstrip("\n")]
    assert container.args == [
        "--root", "/data", "--run", f"runs/recommendation_pipeline/{RUN_KEY}",
        "--stage", "features", "--stage", "content-similarity", "--stage", "behavior-cooccurrence",
        "--stage", "recommend", "--link", "latest=.",
    ]
    size = {"memory": ENV["PUBLISH_MEMORY_LIMIT"], "cpu": ENV["PUBLISH_CPU"]}
    assert container.resources.requests == size == container.resources.limits


def test_variable_overrides_reach_the_pod(monkeypatch):
    overrides = {"CONTENT_SIMILARITY_MEMORY_LIMIT": "3Gi", "SIMILARITY_TOP_K": "50", "RECSTAGE_PVC": "other-claim",
                 "RECSTAGE_IMAGE_REGISTRY": "reg.local/x", "RECSTAGE_IMAGE_TAG": "7", "RECSTAGE_IMAGE_FLAVOR": "jvm"}
    dags = load_dags(monkeypatch, AIRFLOW_VAR_RECSTAGE_SETTINGS=json.dumps(overrides))
    pod = render_pod(dags["recommendation_pipeline"].get_task("content_similarity"))
    container = container_of(pod)
    assert container.image == "reg.local/x/content-similarity:7-jvm"
    assert container.resources.limits["memory"] == container.resources.requests["memory"] == "3Gi"
    assert env_of(container)["SIMILARITY_TOP_K"] == "50"
    assert env_of(container)["JAVA_TOOL_OPTIONS"] == "-XX:MaxRAMPercentage=50"
    assert container.args[container.args.index("--top-k") + 1] == "50"
    assert [v.persistent_volume_claim.claim_name for v in pod.spec.volumes if v.persistent_volume_claim] == [
        "other-claim"
    ]
