"""The DAGs' pods as the KubernetesPodOperator renders them (dags/tests/test_pod_specs.py's
`render_pod`), for podman: as `podman run` flags, and as YAML for `podman kube play`.

Only deployment settings differ from the defaults (the images' registry, tag and flavour, the
publish image, the input files): the same knobs a deployment sets through `recstage_settings`.
"""

from __future__ import annotations

import json
import os

import yaml
from kubernetes.client import ApiClient
from kubernetes.utils import parse_quantity

# Importing the DAG tests' conftest gives Airflow a throwaway home before anything imports Airflow.
from tests.conftest import load_dagbag  # noqa: E402  (dags/tests, on pytest.ini's pythonpath)
from tests.test_pod_specs import RUN_KEY, render_pod  # noqa: E402

DAG_ID = "recommendation_pipeline"
RUN_DIR = f"runs/{DAG_ID}/{RUN_KEY}"
DATA_MOUNT = "/data"


def daily_pods(overrides: dict[str, str]) -> list[tuple[str, object]]:
    """(task id, V1Pod) of every task of the daily DAG, in dependency order."""
    return dag_pods(overrides, DAG_ID)


def dag_pods(overrides: dict[str, str], dag_id: str) -> list[tuple[str, object]]:
    """(task id, V1Pod) of every task of a DAG, in dependency order."""
    saved = {key: os.environ.get(key) for key in ("RECSTAGE_EXECUTION_MODE", "AIRFLOW_VAR_RECSTAGE_SETTINGS")}
    os.environ["RECSTAGE_EXECUTION_MODE"] = "kubernetes"
    os.environ["AIRFLOW_VAR_RECSTAGE_SETTINGS"] = json.dumps(overrides)
    try:
        bag = load_dagbag()
        assert bag.import_errors == {}, bag.import_errors
        dag = bag.dags[dag_id]
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return [(task.task_id, render_pod(task)) for task in dependency_order(dag)]


def dependency_order(dag) -> list:
    """Tasks so that each comes after all of its upstream tasks (ties in task id order)."""
    done: list = []
    waiting = sorted(dag.tasks, key=lambda t: t.task_id)
    while waiting:
        ready = [t for t in waiting if t.upstream_task_ids <= {d.task_id for d in done}]
        assert ready, f"cycle among {[t.task_id for t in waiting]}"
        done.append(ready[0])
        waiting.remove(ready[0])
    return done


def container(pod):
    (only,) = pod.spec.containers
    return only


def stage_of(pod) -> str:
    """The stage an image runs: `<registry>/<stage>:<tag>`."""
    return container(pod).image.rsplit("/", 1)[1].split(":")[0]


def memory_limit_bytes(pod) -> int:
    return int(parse_quantity(container(pod).resources.limits["memory"]))


def run_flags(pod, data_dir, memory: int | None = None) -> list[str]:
    """`podman run` flags that give the container exactly what the pod spec gives it: user, read-only
    root (and no other writable path than the spec's volumes), capabilities, privilege escalation,
    memory (or `memory` bytes instead) and CPU limits, environment, the data volume as a host directory."""
    spec, c = pod.spec, container(pod)
    security, pod_security = c.security_context, spec.security_context
    uid = security.run_as_user if security.run_as_user is not None else pod_security.run_as_user
    gid = security.run_as_group if security.run_as_group is not None else pod_security.run_as_group
    memory = memory or memory_limit_bytes(pod)
    flags = ["--user", f"{uid}:{gid}", f"--memory={memory}", f"--memory-swap={memory}",
             f"--cpus={c.resources.limits['cpu']}"]
    if security.read_only_root_filesystem:
        # podman adds writable /tmp, /var/tmp and /run to a read-only root unless told not to.
        flags += ["--read-only", "--read-only-tmpfs=false"]
    for capability in security.capabilities.drop or []:
        flags += ["--cap-drop", capability]
    for capability in security.capabilities.add or []:
        flags += ["--cap-add", capability]
    if security.allow_privilege_escalation is False:
        flags += ["--security-opt", "no-new-privileges"]
    if security.privileged:
        flags.append("--privileged")
    volumes = {v.name: v for v in spec.volumes}
    for mount in c.volume_mounts:
        volume = volumes[mount.name]
        if volume.empty_dir is not None:
            flags += ["--tmpfs", mount.mount_path]
        else:
            assert volume.persistent_volume_claim is not None and mount.mount_path == DATA_MOUNT, volume
            flags += ["-v", f"{data_dir}:{mount.mount_path}"]
    for var in c.env or []:
        flags += ["-e", f"{var.name}={var.value}"]
    if c.command:
        flags += ["--entrypoint", json.dumps(c.command)]
    return flags


class _KubeDumper(yaml.SafeDumper):
    """Multi-line strings (the publish pod's inline script) as literal blocks: podman's YAML reader
    rejects PyYAML's default, a single-quoted scalar folded over lines ("did not find expected '-'")."""


_KubeDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def kube_yaml(pod) -> str:
    """The pod as the Kubernetes API would receive it."""
    return yaml.dump(ApiClient().sanitize_for_serialization(pod), Dumper=_KubeDumper, sort_keys=False)


def on_host(argument: str, data_dir) -> str:
    """A pod argument with the data volume's mount point replaced by the host directory."""
    if argument == DATA_MOUNT or argument.startswith(DATA_MOUNT + "/"):
        return f"{data_dir}{argument[len(DATA_MOUNT):]}"
    return argument
