"""The weekly DAG's evaluate pod, as the KubernetesPodOperator renders it, under podman with exactly
the pod's restrictions and memory limit: the evaluate image (docker/Dockerfile.evaluate) runs every
stage inside the pod, each under its own limit, and its report and scored lists are those of the
same evaluate run on the host."""

from __future__ import annotations

import json
import shutil

import pytest

import harness
from conftest import data_root
from pods import container, dag_pods, memory_limit_bytes, on_host, run_flags

WEEKLY = "weekly_model_refresh"
ROWS_COMPARED = ("popularity", "content", "behavior", "blend")


@pytest.fixture(scope="module")
def evaluate_image(podman, base_images) -> str:
    return podman.build_evaluate_image(base_images["jre"])


def test_weekly_evaluate_pod_reports_what_evaluate_reports_on_the_host(podman, evaluate_image, settings_overrides,
                                                                       raw_generated, tmp_path):
    # The generated events are years before the rendered run's logical date: a window that holds them.
    overrides = {**settings_overrides, "EVALUATE_WINDOW_DAYS": "3650"}
    pod = dict(dag_pods(overrides, WEEKLY))["evaluate"]
    assert container(pod).image == evaluate_image
    data = tmp_path / "pod"
    shutil.copytree(raw_generated, data / "raw")
    data_root(data)
    arguments = container(pod).args
    done = podman("run", "--rm", *run_flags(pod, data), evaluate_image, *arguments, check=False, timeout=900)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]

    host = tmp_path / "host"
    shutil.copytree(raw_generated, host / "raw")
    on_the_host = harness.run("evaluate", *[on_host(a, host) for a in arguments], timeout=900)
    assert on_the_host.code == 0, on_the_host.stderr[-4000:]

    out = "/".join(arguments[arguments.index("--out") + 1].split("/")[2:])  # relative to the data root
    pod_report = json.loads((data / out / "evaluation.json").read_text())
    host_report = json.loads((host / out / "evaluation.json").read_text())
    assert [r["row"] for r in pod_report["rows"]] == [r["row"] for r in host_report["rows"]]
    assert {r["row"] for r in pod_report["rows"]} >= set(ROWS_COMPARED)
    for pod_row, host_row in zip(pod_report["rows"], host_report["rows"]):
        assert pod_row["metrics"] == host_row["metrics"], pod_row["row"]
        assert (data / out / "lists" / f"{pod_row['row']}.csv").read_bytes() == \
            (host / out / "lists" / f"{pod_row['row']}.csv").read_bytes()
    assert pod_report["split"] == host_report["split"]

    # Inside the pod (3 GiB: evaluate's 1 GiB beside the largest stage's 2 GiB), each stage evaluate
    # ran took its own limit, the smaller one, named by its variable.
    assert memory_limit_bytes(pod) == 3 * 2**30
    for log, variable, megabytes in (("content.log", "CONTENT_SIMILARITY_MEMORY_LIMIT", 2048),
                                     ("behavior.log", "BEHAVIOR_COOCCURRENCE_MEMORY_LIMIT", 1024)):
        text = (data / out / "logs" / log).read_text()
        assert f"memory limit {megabytes:.1f} MB ({variable})" in text, text[:2000]
