"""The daily DAG's pod specs, as the KubernetesPodOperator renders them, run by `podman kube play`
(check 3 of issue 12): the stages in dependency order, then publish, on a data volume that is a host
directory; every pod exits 0, `latest` points at the new run, and a probe pod of the same spec shows
the uid, read-only root and capabilities the spec asks for."""

from __future__ import annotations

import copy
import os
import re
import shutil

import pytest

from conftest import RUN_AS, data_root
from pods import RUN_DIR, container, daily_pods, kube_yaml, memory_limit_bytes

LATEST = "latest"
# What the probe prints, one `key=value` per line; everything but `sh`, `id`, `grep` and `touch` is the shell's.
PROBE = """
echo uid=$(id -u) gid=$(id -g)
grep -E '^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status | tr -d '\\t' | tr ':' '='
echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)
touch /probe 2>/dev/null && echo root=writable || echo root=read-only
touch /tmp/probe && echo tmp=writable
touch /data/.probe && rm /data/.probe && echo data=writable
"""


def play(podman, pod, directory) -> tuple[int, str]:
    """Plays one pod to the end: its container's exit code and log; removes the pod afterwards."""
    spec = directory / f"{pod.metadata.name}.yaml"
    spec.write_text(kube_yaml(pod))
    podman("kube", "play", spec)
    try:
        name = f"{pod.metadata.name}-{container(pod).name}"
        code = int(podman("wait", name, timeout=900).stdout.strip())
        logs = podman("logs", name)
        return code, logs.stdout + logs.stderr
    finally:
        podman("kube", "down", spec)


def probe_of(pod):
    """The same pod with the probe script instead of the stage."""
    probe = copy.deepcopy(pod)
    probe.metadata.name = f"{pod.metadata.name}-probe"
    container(probe).command = ["/bin/sh", "-c", PROBE.strip()]
    container(probe).args = None
    return probe


@pytest.fixture(scope="module")
def played(podman, images, settings_overrides, raw_generated, tmp_path_factory):
    """Every pod of the daily DAG in dependency order on one data volume; stops at the first failure."""
    root = tmp_path_factory.mktemp("kube")
    shutil.copytree(raw_generated, root / "data" / "raw")
    data = data_root(root / "data")
    specs = root / "specs"
    specs.mkdir()
    pods = daily_pods(settings_overrides)
    claims = {v.persistent_volume_claim.claim_name for _, pod in pods for v in pod.spec.volumes if v.persistent_volume_claim}
    for claim in claims:
        # podman kube play mounts a persistentVolumeClaim as the podman volume of the claim's name.
        podman("volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", f"device={data}", claim)
    results = []
    try:
        for task, pod in pods:
            results.append((task, pod, *play(podman, pod, specs), play(podman, probe_of(pod), specs)))
            if results[-1][2] != 0:
                break
    finally:
        for claim in claims:
            podman("volume", "rm", "--force", claim, check=False)
    return data, pods, results


def test_pods_of_the_daily_dag_exit_0_in_dependency_order(played):
    data, pods, results = played
    assert [task for task, *_ in results] == [task for task, _ in pods]
    assert [task for task, *_ in results][0] == "features" and results[-1][0] == "publish"
    for task, pod, code, log, _ in results:
        assert code == 0, f"{task}: exit {code}\n{log[-3000:]}"


def test_latest_points_at_the_new_run(played):
    data, pods, results = played
    assert all(code == 0 for _, _, code, _, _ in results)
    link = data / LATEST
    assert link.is_symlink() and os.readlink(link) == RUN_DIR
    for task, pod, *_ in results[:-1]:
        stage = container(pod).image.rsplit("/", 1)[1].split(":")[0]
        assert (link / stage / "manifest.json").is_file()


def test_stage_pods_read_their_limit_from_the_cgroup(played):
    _, _, results = played
    for task, pod, code, log, _ in results[:-1]:
        limit_mb = memory_limit_bytes(pod) / 2**20
        assert re.search(rf"memory limit {limit_mb:.1f} MB \(container limit \(cgroup\)\)", log), f"{task}:\n{log[-2000:]}"


def test_inside_every_pod_uid_root_and_capabilities_are_as_the_spec_says(played):
    _, _, results = played
    assert results
    for task, pod, _, _, (probe_code, probe_log) in results:
        assert probe_code == 0, f"{task} probe: {probe_log}"
        seen = dict(re.findall(r"(\w+)=(\S+)", probe_log))
        security = container(pod).security_context
        assert seen["uid"] == str(security.run_as_user) == str(RUN_AS), (task, seen)
        assert seen["gid"] == str(pod.spec.security_context.run_as_group), (task, seen)
        assert security.read_only_root_filesystem and seen["root"] == "read-only", (task, seen)
        assert seen["tmp"] == "writable" and seen["data"] == "writable", (task, seen)
        assert security.capabilities.drop == ["ALL"]
        assert int(seen["CapEff"], 16) == int(seen["CapPrm"], 16) == int(seen["CapBnd"], 16) == 0, (task, seen)
        assert security.allow_privilege_escalation is False and seen["NoNewPrivs"] == "1", (task, seen)
        assert seen["Seccomp"] == "2", (task, seen)  # filter mode: the spec's RuntimeDefault profile
        assert int(seen["memory"]) == memory_limit_bytes(pod), (task, seen)
