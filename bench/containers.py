#!/usr/bin/env python3
"""The stages' JVM images under podman, against the same stages on the host (issue 12). Not a test.

    .venv/bin/python bench/containers.py startup [--items 10000] [--runs 3]
        per stage: image size; `--help` and an N-item run (wall time, and the stage's own peak RSS
        from its manifest) in its container with the pod's restrictions, and from the jar on the host.
    .venv/bin/python bench/containers.py aot [--items 10000] [--runs 3]
        `--help` and an N-item run of each stage in its image: Dockerfile.jvm on bookworm's JRE 17 (the
        default, with its class-data archive), on Debian trixie's JRE 25 (with the ahead-of-time cache it
        then makes, JEP 483/514), and that JRE 25 image's entrypoint without the cache.
    .venv/bin/python bench/containers.py vectors [--items 20000] [--dim 384] [--runs 3]
        content-similarity with embeddings in its image: the image's ENTRYPOINT (docker/vector-module gives
        java the Vector API module) against its java command alone (the plain-Java kernel, as the image ran
        before): wall and CPU time, the manifest's kernel and its CPU seconds; the outputs byte-identical.
    .venv/bin/python bench/containers.py limits [--items 50000 200000]
        per size and heavy stage: the smallest --memory (16 MiB steps) under which the stage finishes
        in its container, and the exit codes seen below it (4: refused with advice; 137: OOM-killed).
    .venv/bin/python bench/containers.py floor [--items 200 50000] [--runs 3] [--mib 64 128 8]
        the JVM's own memory floor (docker/memory-floor-check's FLOOR_MIB): each stage's java command
        without that check in front, under each --memory from 64 to 128 MiB in 8 MiB steps, on a tiny
        input (all four stages) and at 50,000 items (the heavy two); per limit the exit codes of the
        runs, and per stage the smallest limit from which on every run ends as the stage decides (0, or
        4 with its plan) rather than OOM-killed (137) or out of heap (3).

Needs what tests/containers needs (podman, mmdebstrap; the jars built). Podman's state lives in a
temporary directory removed at the end. The report is printed and written to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "containers"), str(ROOT / "tests" / "reliability"), str(ROOT / "dags")]

import harness  # noqa: E402
import saved_report  # noqa: E402
from conftest import data_root  # noqa: E402
from podman import FLOOR_CHECK, IMAGE_REGISTRY, IMAGE_TAG, Podman  # noqa: E402
from pods import container, daily_pods, on_host, run_flags, stage_of  # noqa: E402

MiB = 2**20


def timed(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, errors="replace", **kwargs)
    return time.monotonic() - start, done


def peak_rss_mb(out: Path) -> float:
    return json.loads((out / "manifest.json").read_text())["memory"]["peak_rss_bytes"] / MiB


def prepare(podman: Podman, settings: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, object]]:
    jre, python = podman.base_image("jre"), podman.base_image("python")
    overrides = {"RECSTAGE_IMAGE_REGISTRY": IMAGE_REGISTRY, "RECSTAGE_IMAGE_TAG": IMAGE_TAG,
                 "RECSTAGE_IMAGE_FLAVOR": "jvm", "RECSTAGE_PUBLISH_IMAGE": python, **(settings or {})}
    pods = {stage_of(pod): pod for task, pod in daily_pods(overrides) if task != "publish"}
    images = {stage: podman.build_stage_image(stage, jre) for stage in pods}
    return images, pods


def podman_run(podman: Podman, pod, root: Path, image: str, args: list[str], memory: int | None = None,
               entrypoint: list[str] | None = None):
    override = ["--entrypoint", json.dumps(entrypoint)] if entrypoint else []
    return timed(["podman", "run", "--rm", *run_flags(pod, root, memory), *override, image, *args], env=podman.env)


def startup(podman: Podman, items: int, runs: int) -> str:
    images, pods = prepare(podman)
    work = Path(tempfile.mkdtemp(prefix="recstage-bench-"))
    host, inside = work / "host", work / "container"
    for root in (host, inside):
        assert harness.run("generate", "--items", str(items), "--seed", "42", "--out", root / "raw").code == 0
    data_root(inside)
    rows = []
    for stage, pod in pods.items():
        size = int(podman("image", "inspect", "--format", "{{.Size}}", images[stage]).stdout) / 1e6
        args = container(pod).args
        out = args[args.index("--out") + 1]
        help_in, help_host, run_in, run_host, rss_in, rss_host = [], [], [], [], [], []
        for _ in range(runs):  # interleaved: container, host, container, host…
            seconds, done = podman_run(podman, pod, inside, images[stage], ["--help"])
            assert done.returncode == 0, done.stderr
            help_in.append(seconds)
            seconds, done = timed([str(harness.RECSTAGE), stage, "--help"], env=harness.base_environment())
            assert done.returncode == 0, done.stderr
            help_host.append(seconds)
            seconds, done = podman_run(podman, pod, inside, images[stage], args)
            assert done.returncode == 0, done.stderr[-2000:]
            run_in.append(seconds)
            rss_in.append(peak_rss_mb(Path(on_host(out, inside))))
            seconds, done = timed([str(harness.RECSTAGE), stage, *(on_host(a, host) for a in args)],
                                  env=harness.base_environment())
            assert done.returncode == 0, done.stderr[-2000:]
            run_host.append(seconds)
            rss_host.append(peak_rss_mb(Path(on_host(out, host))))
        m = statistics.median
        rows.append(f"| `{stage}` | {size:.0f} | {m(help_in):.2f} | {m(help_host):.2f} | {m(run_in):.2f} | "
                    f"{m(run_host):.2f} | {m(rss_in):.0f} | {m(rss_host):.0f} |")
        print(rows[-1], file=sys.stderr)
    overhead = statistics.median(timed(["podman", "run", "--rm", "--entrypoint", "/bin/true", images["features"]],
                                       env=podman.env)[0] for _ in range(runs))
    return "\n".join([
        f"Medians of {runs} interleaved runs; {items:,} generated items (`bin/recstage generate --items {items} --seed 42`),",
        "each stage on the previous stage's output, in its container with its pod's restrictions and memory limit",
        "(`podman run`, wall time including podman's own start) and from the jar on the host (`bin/recstage`).",
        f"Peak RSS is the stage's own figure (its manifest). `podman run` of `/bin/true` in the image takes {overhead:.2f} s.",
        "",
        "| stage | image MB | `--help` s, container | `--help` s, host | run s, container | run s, host | peak RSS MB, container | peak RSS MB, host |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ])


def limits(podman: Podman, sizes: list[int]) -> str:
    images, pods = prepare(podman)
    lines = ["| items | stage | smallest --memory that finishes (MiB) | exit codes below it (MiB: code) |", "|---|---|---:|---|"]
    for items in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"recstage-limits-{items}-"))
        assert harness.run("generate", "--items", str(items), "--seed", "11", "--out", root / "raw").code == 0
        args = [on_host(a, root) for a in container(pods["features"]).args]
        assert harness.run("features", *args, timeout=3600).code == 0
        data_root(root)
        for stage in ("content-similarity", "behavior-cooccurrence"):
            pod = pods[stage]
            seen: dict[int, int] = {}

            def finishes(mib: int) -> bool:
                _, done = podman_run(podman, pod, root, images[stage], container(pod).args, memory=mib * MiB)
                seen[mib] = done.returncode
                print(f"{items} {stage} {mib} MiB: exit {done.returncode}", file=sys.stderr)
                return done.returncode == 0

            low, high = 64, 1024  # in 16 MiB steps: low fails (or is untested), high finishes
            while not finishes(high):
                low, high = high, high * 2
            while high - low > 16:
                middle = (low + high) // 32 * 16
                if finishes(middle):
                    high = middle
                else:
                    low = middle
            below = ", ".join(f"{mib}: {code}" for mib, code in sorted(seen.items()) if mib < high)
            lines.append(f"| {items:,} | `{stage}` | {high} | {below} |")
            print(lines[-1], file=sys.stderr)
    return "\n".join(lines)


HEAVY = ("content-similarity", "behavior-cooccurrence")


def floor(podman: Podman, sizes: list[int], runs: int, mib_range: list[int]) -> str:
    images, pods = prepare(podman)
    first, last, step = mib_range
    limits_mib = range(first, last + 1, step)
    lines = ["| items | stage | " + " | ".join(f"{mib} MiB" for mib in limits_mib) + " | reliable from |",
             "|---|---|" + "---|" * len(limits_mib) + "---:|"]
    for items in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"recstage-floor-{items}-"))
        try:
            lines += floor_rows(podman, images, pods, root, items, runs, limits_mib)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return "\n".join([
        f"Each stage's java command (the image's ENTRYPOINT without {FLOOR_CHECK} and the script after it) in its container with its pod's",
        f"restrictions under each `--memory`, {runs} runs each; exit codes per run (0 finished, 4 refused by the stage's",
        "own plan, 137 OOM-killed, 3 out of heap; `4?` an exit 4 without the stage's plan). \"Reliable from\": the",
        "smallest limit from which on every run ended with 0 or the stage's own exit 4.",
        "",
        *lines,
    ])


def floor_rows(podman: Podman, images, pods, root: Path, items: int, runs: int, limits_mib: range) -> list[str]:
    """The rows of `floor` for one input size, generated under root."""
    assert harness.run("generate", "--items", str(items), "--seed", "11", "--out", root / "raw").code == 0
    # Every stage on small inputs; on large ones the heavy two (recommend's inputs would take long to make).
    stages = list(pods) if items <= 10000 else list(HEAVY)
    for upstream in ("features", *(HEAVY if "recommend" in stages else ())):
        done = harness.run(upstream, *(on_host(a, root) for a in container(pods[upstream]).args), timeout=3600)
        assert done.code == 0, done.stderr[-2000:]
    (root / "floor").mkdir()
    data_root(root)
    rows = []
    for stage in stages:
        pod = pods[stage]
        java = podman.java_command(images[stage])
        codes: dict[int, list[str]] = {}
        for mib in limits_mib:
            codes[mib] = []
            for run in range(runs):
                # Its own output directory, so that no run overwrites what a later stage reads.
                args = list(container(pod).args)
                args[args.index("--out") + 1] = f"/data/floor/{stage}-{mib}-{run}"
                _, done = podman_run(podman, pod, root, images[stage], args, memory=mib * MiB,
                                     entrypoint=java)
                unplanned = done.returncode == 4 and "error: the plan needs" not in done.stderr
                codes[mib].append(f"{done.returncode}{'?' if unplanned else ''}")
                print(f"{items} {stage} {mib} MiB: exit {done.returncode}", file=sys.stderr)
        reliable = [mib for mib in limits_mib
                    if all(code in ("0", "4") for m in limits_mib if m >= mib for code in codes[m])]
        cells = " | ".join(" ".join(codes[mib]) for mib in limits_mib)
        rows.append(f"| {items:,} | `{stage}` | {cells} | {f'{reliable[0]} MiB' if reliable else 'none'} |")
        print(rows[-1], file=sys.stderr)
    return rows


def aot(podman: Podman, items: int, runs: int) -> str:
    images, pods = prepare(podman)
    jre25 = podman.base_image("jre25")
    inside = data_root(Path(tempfile.mkdtemp(prefix="recstage-aot-")))
    assert harness.run("generate", "--items", str(items), "--seed", "42", "--out", inside / "raw").code == 0
    data_root(inside)
    rows = []
    for stage, pod in pods.items():
        on25 = podman.build_stage_image(stage, jre25, tag=f"{IMAGE_TAG}-jvm25")
        entry = podman.java_command(images[stage])
        # The image's java command (behind its memory floor check); without its cache, the @argument file naming it.
        variants = {"JRE 17 + class-data archive": (images[stage], entry), "JRE 25, no cache": (on25, [a for a in entry if not a.startswith("@")]),
                    "JRE 25 + AOT cache": (on25, entry)}
        for case, args in (("--help", ["--help"]), (f"{items:,} items", container(pod).args)):
            seconds = {name: [] for name in variants}
            cpu = {name: [] for name in variants}
            for _ in range(runs):  # interleaved
                for name, (image, command) in variants.items():
                    # The JVM's CPU time, which the machine's load disturbs less.
                    took, used = in_container_cpu(podman, pod, inside, image, command, args)
                    seconds[name].append(took)
                    cpu[name].append(used)
            m = {name: (statistics.median(seconds[name]), statistics.median(cpu[name])) for name in variants}
            rows.append(f"| `{stage}` {case} | " + " | ".join(f"{m[name][0]:.2f} ({m[name][1]:.2f})" for name in variants) + " |")
            print(rows[-1], file=sys.stderr)
    return "\n".join([
        f"`podman run` wall time with the pod's restrictions and memory limit, and in brackets the JVM's CPU time (user +",
        f"system, by bash's `time` inside the container), medians of {runs} interleaved runs;",
        f"the runs on `bin/recstage generate --items {items} --seed 42`, each stage on the previous stage's output.",
        "The same Dockerfile.jvm on bookworm's JRE 17 (`docker/local-base-image jre`: class-data archive) and on",
        "trixie's JRE 25 (`docker/local-base-image jre25`: ahead-of-time cache; and its entrypoint without the cache).",
        "",
        "| stage, case | JRE 17 + class-data archive: wall s (CPU s) | JRE 25, no cache | JRE 25 + AOT cache |",
        "|---|---:|---:|---:|",
        *rows,
    ])


def in_container_cpu(podman: Podman, pod, root: Path, image: str, command: list[str], args: list[str]) -> tuple[float, float]:
    """Wall time of `podman run` and the command's CPU time (user + system) by bash's `time` inside the container."""
    took, done = timed(["podman", "run", "--rm", *run_flags(pod, root), "--entrypoint", "/bin/bash", image, "-c",
                        'TIMEFORMAT="cpu %3U %3S"; time "$@" >/dev/null 2>&1', "bash", *command, *args], env=podman.env)
    assert done.returncode == 0, done.stderr[-2000:]
    user, system = map(float, done.stderr.strip().splitlines()[-1].split()[1:])
    return took, user + system


def vectors(podman: Podman, items: int, dim: int, runs: int) -> str:
    images, pods = prepare(podman, {"RECSTAGE_EMBEDDINGS_FILE": "raw/embeddings.arrow"})
    inside = data_root(Path(tempfile.mkdtemp(prefix="recstage-vectors-")))
    assert harness.run("generate", "--items", str(items), "--seed", "42", "--embeddings-dim", str(dim), "--out", inside / "raw").code == 0
    done = harness.run("features", *(on_host(a, inside) for a in container(pods["features"]).args), timeout=1800)
    assert done.code == 0, done.stderr[-2000:]
    data_root(inside)
    pod, image = pods["content-similarity"], images["content-similarity"]
    args = container(pod).args
    out = Path(on_host(args[args.index("--out") + 1], inside))
    java = podman.java_command(image)
    variants = {"image ENTRYPOINT (Vector API module)": ["/app/vector-module", *java], "java command alone (before)": java}
    seconds, cpu, kernels, outputs = ({name: [] for name in variants} for _ in range(4))
    for _ in range(runs):  # interleaved
        for name, command in variants.items():
            took, used = in_container_cpu(podman, pod, inside, image, command, args)
            stats = json.loads((out / "manifest.json").read_text())["stats"]
            seconds[name].append(took)
            cpu[name].append(used)
            kernels[name].append((stats["vector_kernel"], stats["vector_kernel_cpu_seconds"]))
            outputs[name] = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix == ".arrow"}
    same = len({tuple(sorted(o.items())) for o in outputs.values()}) == 1
    m = statistics.median
    rows = [f"| {name} | {kernels[name][0][0]} | {m(seconds[name]):.1f} | {m(cpu[name]):.1f} | {m(k for _, k in kernels[name]):.1f} |"
            for name in variants]
    shutil.rmtree(inside, ignore_errors=True)
    return "\n".join([
        f"content-similarity in its image with its pod's restrictions, {items:,} generated items with {dim}-dimensional",
        f"embeddings (`bin/recstage generate --items {items} --seed 42 --embeddings-dim {dim}`, features on the host),",
        f"USE_FAISS_RECALL=1 and VECTOR_INDEX as in .env.memory; medians of {runs} interleaved runs. CPU: user + system",
        "by bash's `time` inside the container. Kernel and its CPU seconds: the manifest's `stats.vector_kernel` and",
        f"`stats.vector_kernel_cpu_seconds`. Outputs byte-identical between the two: {'yes' if same else 'NO'}.",
        "",
        "| java started by | vector kernel | wall s | CPU s | kernel CPU s |",
        "|---|---|---:|---:|---:|",
        *rows,
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("startup")
    one.add_argument("--items", type=int, default=10000)
    one.add_argument("--runs", type=int, default=3)
    three = sub.add_parser("aot")
    three.add_argument("--items", type=int, default=10000)
    three.add_argument("--runs", type=int, default=3)
    two = sub.add_parser("limits")
    two.add_argument("--items", type=int, nargs="+", default=[50000, 200000])
    four = sub.add_parser("floor")
    four.add_argument("--items", type=int, nargs="+", default=[200, 50000])
    four.add_argument("--runs", type=int, default=3)
    four.add_argument("--mib", type=int, nargs=3, default=[64, 128, 8], metavar=("FIRST", "LAST", "STEP"))
    five = sub.add_parser("vectors")
    five.add_argument("--items", type=int, default=20000)
    five.add_argument("--dim", type=int, default=384)
    five.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    engine = Podman(Path(tempfile.mkdtemp(prefix="recstage-podman-bench-")))
    try:
        if options.what == "startup":
            report = startup(engine, options.items, options.runs)
        elif options.what == "aot":
            report = aot(engine, options.items, options.runs)
        elif options.what == "vectors":
            report = vectors(engine, options.items, options.dim, options.runs)
        elif options.what == "floor":
            report = floor(engine, options.items, options.runs, options.mib)
        else:
            report = limits(engine, options.items)
    finally:
        engine.close()
    saved_report.save(f"containers-{options.what}", f"bench/containers.py {options.what}", report)

if __name__ == "__main__":
    main()
