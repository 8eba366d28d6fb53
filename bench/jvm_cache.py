#!/usr/bin/env python3
"""Start-up caches of the JVM stages on the host, whole processes through bin/recstage (issue 16).

    .venv/bin/python bench/jvm_cache.py [--items 50000] [--runs 3] [--training-items 2000]

Per case (`--help` of each stage; behavior-cooccurrence and content-similarity on N generated items,
20 events per item, 2 threads), the wall and CPU time of four JVM set-ups, interleaved run by run:
  JDK 17 + CDS        the launcher on JDK 17 with its dynamic class-data archive
  JDK 25              RECSTAGE_CDS=off: no archive, no cache
  JDK 25 + AOT --help the launcher on JDK 25 with its ahead-of-time cache, trained by a `--help` run
  JDK 25 + AOT work   an ahead-of-time cache trained by a run of the same stage on a small generated
                      data set (--training-items), which also records method profiles
JDK 17: RECSTAGE_JDK17 or /usr/lib/jvm/java-17-openjdk-amd64; JDK 25: RECSTAGE_JDK25 or
/usr/lib/jvm/temurin-25-jdk-amd64. Outputs of every set-up are checked byte-identical to JDK 17's.
The report is printed and written to bench/results/jvm-cache-STAMP.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

import harness  # noqa: E402
import saved_report  # noqa: E402

JDK17 = Path(os.environ.get("RECSTAGE_JDK17", "/usr/lib/jvm/java-17-openjdk-amd64"))
JDK25 = Path(os.environ.get("RECSTAGE_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64"))
STAGES = ("features", "content-similarity", "behavior-cooccurrence", "recommend")


def stage_arguments(stage: str, data: Path, out: Path) -> list[str]:
    """The stage's arguments on the data set under `data` (raw/, and the upstream outputs beside it)."""
    if stage == "features":
        return ["--items", str(data / "raw" / "items.csv"), "--interactions", str(data / "raw" / "interactions.csv"),
                "--out", str(out)]
    if stage == "recommend":
        return ["--features", str(data / "features"), "--content", str(data / "content-similarity"),
                "--behavior", str(data / "behavior-cooccurrence"), "--threads", "2", "--out", str(out)]
    return ["--features", str(data / "features"), "--threads", "2", "--out", str(out)]


def make_data(items: int, data: Path) -> None:
    """Generated raw data and every stage's output on it (JDK 17), the inputs of the later stages."""
    assert harness.run("generate", "--items", str(items), "--seed", "42", "--out", data / "raw").code == 0
    for stage in STAGES:
        done = harness.run(stage, *stage_arguments(stage, data, data / stage), timeout=3600)
        assert done.code == 0, done.stderr[-2000:]


def train(stage: str, data: Path, cache: Path) -> None:
    """An ahead-of-time cache of `stage` trained on a run over `data` (JEP 514's one-step training)."""
    env = {"RECSTAGE_JAVA": str(JDK25 / "bin" / "java"), "RECSTAGE_CDS": "off",
           "RECSTAGE_JAVA_OPTS": f"-XX:AOTCacheOutput={cache}"}
    done = harness.run(stage, *stage_arguments(stage, data, data / f"training-{stage}"), env=env)
    assert done.code == 0 and cache.stat().st_size > 0, done.stderr[-2000:]


def setups(work_cache: Path) -> dict[str, dict[str, str]]:
    on25 = {"RECSTAGE_JAVA": str(JDK25 / "bin" / "java")}
    return {"JDK 17 + CDS": {"RECSTAGE_JAVA": str(JDK17 / "bin" / "java")},
            "JDK 25": {**on25, "RECSTAGE_CDS": "off"},
            "JDK 25 + AOT --help": on25,
            "JDK 25 + AOT work": {**on25, "RECSTAGE_CDS": "off", "RECSTAGE_JAVA_OPTS": f"-XX:AOTCache={work_cache}"}}


def cpu_seconds() -> float:
    """User + system CPU time of this process's finished children (the stage runs one at a time)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(stage: str, args_of, env_of: dict[str, dict[str, str]], runs: int) -> dict[str, tuple[float, float]]:
    """Per set-up, the median wall time and the median CPU time (user + system) of the runs."""
    seconds: dict[str, list[float]] = {name: [] for name in env_of}
    cpu: dict[str, list[float]] = {name: [] for name in env_of}
    outputs: list[tuple[str, Path]] = []
    for run in range(runs):  # interleaved, so that a busy spell of the machine hits every set-up alike
        for name, env in env_of.items():
            out = args_of(name, run)
            start, start_cpu = time.monotonic(), cpu_seconds()
            done = harness.run(stage, *out[0], env=env, timeout=3600)
            seconds[name].append(time.monotonic() - start)
            cpu[name].append(cpu_seconds() - start_cpu)
            assert done.code == 0, (name, done.stderr[-2000:])
            # No word from the JVM about its caches: --help prints nothing on stderr.
            assert out[1] is not None or done.stderr == "", (name, done.stderr[-2000:])
            if out[1] is not None and run == 0:
                outputs.append((name, out[1]))
    if outputs:
        differing = harness.differences_from_first(outputs)
        assert not differing, differing
    return {name: (statistics.median(seconds[name]), statistics.median(cpu[name])) for name in env_of}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--training-items", type=int, default=2000)
    options = parser.parse_args()
    for jdk in (JDK17, JDK25):
        assert (jdk / "bin" / "java").is_file(), f"no JDK at {jdk}"
    work = Path(tempfile.mkdtemp(prefix="recstage-jvm-cache-"))
    small, big = work / "small", work / "big"
    make_data(options.training_items, small)
    make_data(options.items, big)
    rows = []
    for stage in STAGES:
        cache = work / f"{stage}.aot"
        train(stage, small, cache)
        env_of = setups(cache)
        # The launcher's own caches first (its training run is not part of any measurement).
        for env in env_of.values():
            assert harness.run(stage, "--help", env=env).code == 0
        help_times = measure(stage, lambda name, run: (["--help"], None), env_of, options.runs)
        rows.append((f"`{stage} --help`", help_times))
        print(rows[-1], file=sys.stderr)
        if stage in ("content-similarity", "behavior-cooccurrence"):
            def args_of(name, run, stage=stage):
                out = work / "runs" / f"{stage}-{name.replace(' ', '_')}-{run}"
                return stage_arguments(stage, big, out), out
            rows.append((f"`{stage}`, {options.items:,} items", measure(stage, args_of, env_of, options.runs)))
            print(rows[-1], file=sys.stderr)
    names = list(setups(Path()).keys())
    table = ["| case | " + " | ".join(f"{name}: wall s (CPU s)" for name in names) + " |", "|---|" + "---:|" * len(names)]
    table += [f"| {case} | " + " | ".join(f"{times[name][0]:.2f} ({times[name][1]:.2f})" for name in names) + " |"
              for case, times in rows]
    java = {jdk: subprocess.run([str(jdk / "bin" / "java"), "-version"], capture_output=True, text=True).stderr.splitlines()[0]
            for jdk in (JDK17, JDK25)}
    text = "\n".join([
        f"Medians of {options.runs} interleaved runs (wall time of `bin/recstage STAGE …`, and in brackets its CPU "
        f"time, user + system, which a busy machine disturbs less; 2 threads); data: "
        f"`bin/recstage generate --items {options.items} --seed 42` (20 events per item); the work-trained cache from "
        f"a run on `generate --items {options.training_items}`. JDK 17: {java[JDK17]}; JDK 25: {java[JDK25]}.",
        "Outputs of every set-up byte-identical to JDK 17's (manifests equal but for timings and memory).", "",
        *table])
    saved_report.save("jvm-cache", "bench/jvm_cache.py", text)

if __name__ == "__main__":
    main()
