"""Each stage's JVM image under `podman run` with exactly its pod's restrictions and memory limit,
against the same stage run from the jar on the host (checks 1 and 2 of issue 12)."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest

import harness
from conftest import MOVIELENS_SETTINGS, VECTORS_SETTINGS, data_root
from podman import IMAGE_TAG, memory_floor_bytes
from pods import container, daily_pods, memory_limit_bytes, on_host, run_flags, stage_of
from recstage_dags import layout

PUBLISH = "publish"
DATASETS = {"generated": ({}, "raw_generated"), "movielens": (MOVIELENS_SETTINGS, "raw_movielens"),
            "vectors": (VECTORS_SETTINGS, "raw_vectors")}
BUDGET_LINE = re.compile(r"memory limit ([\d.]+) MB \(container limit \(cgroup\)\), max heap ([\d.]+) MB")


def stage_pods(overrides: dict[str, str]) -> dict[str, object]:
    return _stage_pods(tuple(sorted(overrides.items())))


@functools.cache
def _stage_pods(overrides: tuple[tuple[str, str], ...]) -> dict[str, object]:
    return {stage_of(pod): pod for task, pod in daily_pods(dict(overrides)) if task != PUBLISH}


@pytest.fixture(scope="module", params=sorted(DATASETS))
def pipeline(request, podman, images, settings_overrides, tmp_path_factory):
    """The daily DAG's stages in order, once in their containers and once from the jars on the host,
    each on its own copy of the raw inputs. Returns {stage: (container run, host run, output dirs)}."""
    settings, raw_fixture = DATASETS[request.param]
    raw = request.getfixturevalue(raw_fixture)
    base = tmp_path_factory.mktemp(request.param)
    host, inside = base / "host", base / "container"
    for root in (host, inside):
        shutil.copytree(raw, root / "raw")
    data_root(inside)
    runs = {}
    for stage, pod in stage_pods({**settings_overrides, **settings}).items():
        args = container(pod).args
        in_container = podman("run", "--rm", *run_flags(pod, inside), images[stage], *args, check=False, timeout=900)
        on_the_host = harness.run(stage, *(on_host(a, host) for a in args), timeout=900)
        out = args[args.index("--out") + 1]
        runs[stage] = (pod, in_container, on_the_host, Path(on_host(out, inside)), Path(on_host(out, host)))
    return runs


@pytest.mark.parametrize("stage", layout.STAGES)
def test_stage_exits_0_under_its_pods_restrictions(pipeline, stage):
    pod, in_container, on_the_host, _, _ = pipeline[stage]
    assert on_the_host.code == 0, on_the_host.stderr[-3000:]
    assert in_container.returncode == 0, in_container.stderr[-3000:]


@pytest.mark.parametrize("stage", layout.STAGES)
def test_outputs_are_byte_identical_to_the_hosts(pipeline, stage):
    _, in_container, on_the_host, inside, host = pipeline[stage]
    assert in_container.returncode == 0 and on_the_host.code == 0
    harness.check_complete_output(inside)
    names = sorted(p.name for p in host.iterdir())
    assert names == sorted(p.name for p in inside.iterdir())
    # Every data file (Arrow tables, rejects.csv); the manifests differ in timings and memory figures.
    for name in names:
        if name != harness.MANIFEST:
            assert (inside / name).read_bytes() == (host / name).read_bytes(), f"{stage}: {name} differs"
    assert any(name.endswith(".arrow") for name in names)


def test_vector_scores_run_on_the_vector_api_in_the_image(pipeline, request):
    """docker/vector-module gives the JVM the incubator module for content-similarity's vector runs
    only: the SIMD kernel, not the plain one 13x slower; the other data sets carry no embeddings."""
    _, in_container, _, inside, host = pipeline["content-similarity"]
    stats = [harness.read_manifest(out)["stats"] for out in (inside, host)]
    if request.node.callspec.params["pipeline"] == "vectors":
        assert [s.get("vector_kernel") for s in stats] == ["simd", "simd"]
        assert "Using incubator modules: jdk.incubator.vector" in in_container.stderr
    else:
        assert [s.get("vector_kernel") for s in stats] == [None, None]
        assert "incubator" not in in_container.stderr


@pytest.mark.parametrize("stage", layout.STAGES)
def test_budget_is_read_from_the_containers_cgroup(pipeline, stage):
    pod, in_container, _, _, _ = pipeline[stage]
    found = BUDGET_LINE.search(in_container.stderr + in_container.stdout)
    assert found, in_container.stderr[-3000:]
    limit_mb, heap_mb = map(float, found.groups())
    assert limit_mb == memory_limit_bytes(pod) / 2**20
    # The image's JAVA_TOOL_OPTIONS gives the heap its share of the same cgroup limit (the log's max heap is -Xmx itself).
    assert 0.4 * limit_mb < heap_mb <= 0.5 * limit_mb


# --- a limit too small for the data: exit 4, not the OOM killer ------------------------------------

MiB = 2**20
HEAVY = ("content-similarity", "behavior-cooccurrence")
# Under this the image refuses before the JVM starts (docker/memory-floor-check, measured by bench/containers.py floor).
FLOOR = memory_floor_bytes()
# From the floor up to what 50,000 items need (187-230 MiB, README), the stage's own plan refuses: at 50%
# no plan fits under 176 MiB, since the whole max heap and 88 MB of runtime are counted resident.
SMALL_LIMITS = [FLOOR, 128 * MiB]


@pytest.fixture(scope="module")
def features_50k(podman, settings_overrides, tmp_path_factory):
    """The daily DAG's features output of 50,000 items / 1,000,000 events (made on the host), and the pods."""
    root = tmp_path_factory.mktemp("items50k")
    done = harness.run("generate", "--items", "50000", "--seed", "11", "--out", root / "raw")
    assert done.code == 0, done.stderr
    pods = stage_pods(settings_overrides)
    args = [on_host(a, root) for a in container(pods["features"]).args]
    done = harness.run("features", *args, timeout=900)
    assert done.code == 0, done.stderr
    return data_root(root), pods


def run_under(podman, images, root, pod, stage, memory):
    return podman("run", "--rm", *run_flags(pod, root, memory=memory), images[stage], *container(pod).args,
                  check=False, timeout=900)


def assert_nothing_written(root, pod):
    out = container(pod).args[container(pod).args.index("--out") + 1]
    assert not (root / out.removeprefix("/data/")).exists()


@pytest.mark.parametrize("limit", SMALL_LIMITS, ids=lambda limit: f"{limit // MiB}MiB")
@pytest.mark.parametrize("stage", HEAVY)
def test_too_small_a_limit_exits_4_with_advice(features_50k, podman, images, stage, limit):
    root, pods = features_50k
    pod = pods[stage]
    done = run_under(podman, images, root, pod, stage, limit)
    assert done.returncode == 4, f"exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    error = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and re.search(
        rf"the plan needs .* but the budget is memory limit {limit / MiB:.1f} MB \(container limit", error[0]), error
    assert f"{stage.upper().replace('-', '_')}_MEMORY_LIMIT" in error[0], error[0]
    assert_nothing_written(root, pod)


@pytest.mark.parametrize("limit", [64 * MiB, FLOOR - MiB], ids=lambda limit: f"{limit // MiB}MiB")
@pytest.mark.parametrize("stage", HEAVY)
def test_a_limit_below_the_jvms_floor_exits_4_before_the_jvm(features_50k, podman, images, stage, limit):
    """Where the JVM would be OOM-killed (137) before the stage could plan: the image's check refuses."""
    root, pods = features_50k
    pod = pods[stage]
    done = run_under(podman, images, root, pod, stage, limit)
    assert done.returncode == 4, f"exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    # The check's line and nothing else: no JVM started. It read the limit from the container's cgroup
    # (v1 here, memory.max on a cgroup v2 kernel).
    assert done.stdout == "", done.stdout
    (line,) = done.stderr.splitlines()
    assert re.fullmatch(
        rf"error: the memory limit {limit / MiB:.1f} MB \(container limit \(cgroup\), "
        r"/sys/fs/cgroup/(memory/memory\.limit_in_bytes|memory\.max)\) is below the "
        rf"{FLOOR / MiB:.1f} MB that the {stage} stage's JVM needs .* raise the memory limit "
        rf"\({stage.upper().replace('-', '_')}_MEMORY_LIMIT in \.env\.memory, or the pod's limit\) to at least "
        rf"{FLOOR // MiB}Mi .*", line), line
    assert_nothing_written(root, pod)


# --- the start-up cache of the image ----------------------------------------------------------------

# Per cache kind: the JVM options that refuse to start when the image's cache cannot be mapped, and
# the class-loading log line of a Quarkus class that came from it (on JDK 25 the JDK's own archive
# is no source of Quarkus classes; on JDK 17 the image's archive is the dynamic, "top" one).
CACHE_CHECKS = {"-XX:AOTCache=": ("-XX:AOTMode=on", "source: shared objects file"),
                "-XX:SharedArchiveFile=": ("-Xshare:on", "source: shared objects file (top)")}


def quarkus_classes_from_the_cache(podman, image: str, pod, data: Path) -> tuple[str, int]:
    """Runs the image's entrypoint with `--help` under the pod's restrictions, refusing to start without
    its cache; returns the cache flag of /app/jvm-cache.args and how many Quarkus classes came from it."""
    flag = podman("run", "--rm", "--entrypoint", "cat", image, "/app/jvm-cache.args").stdout.strip()
    (refuse, source), = [check for prefix, check in CACHE_CHECKS.items() if flag.startswith(prefix)]
    logging = f"-XX:MaxRAMPercentage=50 {refuse} -Xlog:class+load=info:file=/tmp/classes.log"
    flags = run_flags(pod, data_root(data)) + ["-e", f"JAVA_TOOL_OPTIONS={logging}"]
    script = f'java "$@" >/dev/null && grep " io\\.quarkus\\." /tmp/classes.log | grep -c -F "{source}"'
    java = podman.java_command(image)
    done = podman("run", "--rm", *flags, "--entrypoint", "/bin/sh", image, "-c", script, "sh", *java[1:], "--help",
                  check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return flag, int(done.stdout.strip())


@pytest.mark.parametrize("stage", layout.STAGES)
def test_class_data_archive_is_mapped_under_the_read_only_root(podman, images, settings_overrides, tmp_path, stage):
    flag, classes = quarkus_classes_from_the_cache(podman, images[stage], stage_pods(settings_overrides)[stage], tmp_path)
    assert flag == "-XX:SharedArchiveFile=/app/recstage-cds.jsa"
    assert classes > 300, classes


def test_on_a_jre_25_the_image_maps_its_ahead_of_time_cache_and_gives_the_same_output(
        podman, base_images, images, settings_overrides, raw_generated, tmp_path):
    """RUNTIME_IMAGE on a JRE 25: the same Dockerfile makes an ahead-of-time cache instead, the
    entrypoint maps it under the pod's restrictions, and the stage's output is the JRE 17 image's."""
    stage = "features"
    pod = stage_pods(settings_overrides)[stage]
    on25 = podman.build_stage_image(stage, base_images["jre25"], tag=f"{IMAGE_TAG}-jvm25")
    flag, classes = quarkus_classes_from_the_cache(podman, on25, pod, tmp_path / "probe")
    assert flag == "-XX:AOTCache=/app/recstage.aot" and classes > 300, (flag, classes)
    args = container(pod).args
    out = args[args.index("--out") + 1]
    outputs = {}
    for name, image in (("17", images[stage]), ("25", on25)):
        root = tmp_path / name
        shutil.copytree(raw_generated, root / "raw")
        data_root(root)
        done = podman("run", "--rm", *run_flags(pod, root), image, *args, check=False, timeout=900)
        assert done.returncode == 0 and done.stderr.count("AOT") == 0, done.stderr[-3000:]
        outputs[name] = Path(on_host(out, root))
    harness.assert_same_output(outputs["17"], outputs["25"])
