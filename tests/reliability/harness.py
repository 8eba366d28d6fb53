"""Runs the built stages as whole processes through bin/recstage and checks their output directories.

Everything here treats a stage as a black box: arguments and environment in; exit code, stderr and
the files of its --out directory out. The checks are the output contract of DESIGN.md: a directory
is an output only with its manifest.json, which lists every file with its size (and rows), and
nothing else lies beside them.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc
import pytest

ROOT = Path(__file__).resolve().parents[2]
RECSTAGE = ROOT / "bin" / "recstage"
FEATURES, CONTENT, BEHAVIOR = "features", "content-similarity", "behavior-cooccurrence"
# The stages that take --features only; recommend (which also takes both neighbour outputs) is tested apart.
STAGES = (FEATURES, CONTENT, BEHAVIOR)
RECOMMEND = "recommend"
MODULES = {FEATURES: "tasks/features", CONTENT: "tasks/content-similarity",
           BEHAVIOR: "tasks/behavior-cooccurrence", RECOMMEND: "tasks/recommend", "generate": "tasks/tools"}
MANIFEST = "manifest.json"
PLACEHOLDER_MARK = "is not built yet"

# Variables that would make a run depend on the caller's shell: the knobs of .env.memory (the
# launcher fills in the file's defaults for whatever is unset) and the launcher's own overrides.
_LAUNCHER_VARIABLES = {"RECSTAGE_MEMORY_LIMIT", "RECSTAGE_MAX_HEAP", "RECSTAGE_JAVA_OPTS", "RECSTAGE_DEBUG",
                       "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}


def _knob_names() -> set[str]:
    names = set()
    env_file = ROOT / ".env.memory"
    if env_file.exists():
        for line in env_file.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=", line)
            if match:
                names.add(match.group(1))
    return names


def launcher_java_major() -> int | None:
    """The major version of the JVM bin/recstage runs (RECSTAGE_JAVA, else JAVA_HOME's, else java on the
    PATH), from its home's `release` file as the launcher reads it; None when that cannot be told."""
    java = os.environ.get("RECSTAGE_JAVA") or (os.environ.get("JAVA_HOME") and os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    java = shutil.which(java or "java")
    if not java:
        return None
    release = Path(os.path.realpath(java)).parent.parent / "release"
    match = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(encoding="utf-8"), re.MULTILINE) if release.is_file() else None
    return int(match.group(1)) if match else None


def base_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without any recstage knob, plus `extra`."""
    dropped = _knob_names() | _LAUNCHER_VARIABLES
    env = {key: value for key, value in os.environ.items() if key not in dropped and not key.endswith("_MEMORY_LIMIT")}
    env.update(extra or {})
    return env


@dataclass
class Run:
    stage: str
    args: list[str]
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def error(self) -> str:
        """The stage's one-line error (`error: …`), or '' when there is none."""
        for line in self.stderr.splitlines():
            if line.startswith("error:"):
                return line
        return ""

    def summary(self) -> str:
        text = f"exit {self.code}"
        if self.error:
            # Directories of absolute paths are the test's temporary ones: keep the file names.
            message = re.sub(r"(?<![\w.])/(?:[^\s/:]+/)+", "", self.error[len("error: "):])
            text += ": " + abbreviate(message, 180)
        return text


def abbreviate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def launch(stage: str, *args: str | os.PathLike, env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen:
    """Starts `bin/recstage STAGE ARGS…`; the launcher execs the JVM, so the pid is the stage's.
    With `log`, stdout and stderr go to that file (nothing to drain: a full pipe cannot stall it)."""
    if log is not None:
        with open(log, "ab") as sink:
            return subprocess.Popen([str(RECSTAGE), stage, *map(str, args)], env=base_environment(env),
                                    stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT)
    return subprocess.Popen([str(RECSTAGE), stage, *map(str, args)], env=base_environment(env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
                            cwd=ROOT)


def run(stage: str, *args: str | os.PathLike, env: dict[str, str] | None = None, timeout: float = 600) -> Run:
    start = time.monotonic()
    process = launch(stage, *args, env=env)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.communicate()
        raise
    return Run(stage, [str(a) for a in args], process.returncode, stdout, stderr, time.monotonic() - start)


def missing_prerequisite(reason: str) -> None:
    """Skips the calling test for a missing build, data set or privilege, except under CI (`CI=true`),
    where everything a test needs is there by construction, so that its absence is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing prerequisite is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def built(module_of: str) -> bool:
    target = ROOT / MODULES[module_of] / "target"
    return (target / "quarkus-app" / "quarkus-run.jar").is_file() or any(target.glob("*-runner"))


@functools.cache
def unavailable(stage: str) -> str | None:
    """Why `stage` cannot be tested yet (not built, or still the placeholder command), else None."""
    if not built(stage):
        return (f"{stage} is not built: run ./mvnw -B package -DskipTests "
                f"({MODULES[stage]}/target/quarkus-app/quarkus-run.jar is missing)")
    if stage == "generate":
        return None
    # With no arguments a real stage exits 2 (missing options); the placeholder throws.
    probe = run(stage)
    if PLACEHOLDER_MARK in probe.stderr:
        return f"{stage} is still the placeholder on this branch ('{PLACEHOLDER_MARK}'); merge main once it lands"
    return None


# --- output directories ---------------------------------------------------------------------------

def read_manifest(out: Path) -> dict:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


def read_table(path: Path) -> pa.Table:
    # Read into memory, not memory-mapped: the tests rewrite and truncate files they have read.
    with pa.OSFile(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def check_complete_output(out: Path) -> dict:
    """Asserts `out` is a whole output: manifest present, exactly the listed files beside it, each
    of its listed size, every Arrow file readable with its listed row count. Returns the manifest."""
    assert (out / MANIFEST).is_file(), f"{out} has no {MANIFEST}"
    manifest = read_manifest(out)
    listed = {entry["file"]: entry for entry in manifest["outputs"]}
    present = {p.name for p in out.iterdir()}
    assert present == set(listed) | {MANIFEST}, f"{out}: files {sorted(present)} but the manifest lists {sorted(listed)}"
    for name, entry in listed.items():
        size = (out / name).stat().st_size
        assert size == entry["bytes"], f"{out / name}: {size} bytes, the manifest says {entry['bytes']}"
        if name.endswith(".arrow"):
            table = read_table(out / name)
            if entry.get("rows") is not None:
                assert table.num_rows == entry["rows"], f"{out / name}: {table.num_rows} rows, the manifest says {entry['rows']}"
    return manifest


def leftovers(out: Path) -> list[str]:
    """Staging or retired directories of `out` left beside it."""
    parent = out.parent
    if not parent.is_dir():
        return []
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{out.name}."))


# Manifest fields that legitimately differ between two runs of the same inputs and configuration.
_VOLATILE_STEP_FIELDS = {"seconds", "peak_rss_bytes", "heap_used_bytes", "arrow_bytes"}
# Timings among the stats: content-similarity's vector kernel CPU time.
# Figures of the run, not of its output: the kernel's CPU time, and whether the collector moved the
# vectors off their cache line (and how often they were moved back), which depends on its timing.
_VOLATILE_STATS = {"vector_kernel_cpu_seconds", "vector_panels_line_alignment", "vector_panels_realigned"}


def comparable_manifest(manifest: dict, ignore_config: tuple[str, ...] = ()) -> dict:
    """The manifest without timings, memory figures, creation time, run id and absolute paths.
    `ignore_config`: config keys that the compared runs set differently on purpose."""
    m = json.loads(json.dumps(manifest))
    m.pop("created", None)
    m.pop("run_id", None)  # random per run by design: it tells runs apart
    m.pop("memory", None)
    m["steps"] = [{k: v for k, v in step.items() if k not in _VOLATILE_STEP_FIELDS} for step in m.get("steps", [])]
    if "stats" in m:
        m["stats"] = {k: v for k, v in m["stats"].items() if k not in _VOLATILE_STATS}
    m["inputs"] = [{**entry, "path": Path(entry["path"]).name} for entry in m.get("inputs", [])]
    for key in list(m.get("config", {})):
        if key in ignore_config:
            del m["config"][key]
    return m


def assert_same_output(expected: Path, actual: Path, ignore_config: tuple[str, ...] = ()) -> None:
    """Byte-identical data files and equal manifests apart from timings, memory and paths."""
    expected_manifest = check_complete_output(expected)
    actual_manifest = check_complete_output(actual)
    names = sorted(p.name for p in expected.iterdir())
    assert names == sorted(p.name for p in actual.iterdir())
    for name in names:
        if name != MANIFEST:
            assert (expected / name).read_bytes() == (actual / name).read_bytes(), f"{name} differs between {expected} and {actual}"
    expected_fields = comparable_manifest(expected_manifest, ignore_config)
    actual_fields = comparable_manifest(actual_manifest, ignore_config)
    assert expected_fields == actual_fields, (f"manifests differ in {', '.join(_differing_fields(expected_fields, actual_fields))} "
                                              f"between {expected} and {actual}")


def _differing_fields(a: dict, b: dict, prefix: str = "") -> list[str]:
    """The dotted names of the fields where two manifests differ (nested mappings named field by field)."""
    names = []
    for key in sorted(a.keys() | b.keys()):
        if isinstance(a.get(key), dict) and isinstance(b.get(key), dict):
            names += _differing_fields(a[key], b[key], f"{prefix}{key}.")
        elif a.get(key) != b.get(key):
            names.append(prefix + key)
    return names


def differences_from_first(outputs: list[tuple[str, Path]], ignore_config: tuple[str, ...] = ()) -> list[str]:
    """For runs meant to give the same output, (label, --out) each: how each later one differs from the first."""
    first = outputs[0][1]
    differing = []
    for label, out in outputs[1:]:
        try:
            assert_same_output(first, out, ignore_config=ignore_config)
        except AssertionError as difference:
            differing.append(f"{label}: {str(difference).splitlines()[0]}")
    return differing


def check_refusal(result: Run, out: Path, exit_code: int, error_patterns) -> bool:
    """A run's ending as a bad-input case expects it: no stack trace, the exit code, nothing left beside
    --out; a refusal (non-zero exit) publishes no output and says each of `error_patterns`. True when refused."""
    assert no_stack_trace(result), result.stderr[-3000:]
    assert result.code == exit_code, result.stderr[-3000:]
    assert not leftovers(out)
    if exit_code:
        assert not out.exists(), "a failed run must not publish an output directory"
        for pattern in error_patterns:
            assert re.search(pattern, result.error), f"{pattern!r} not in {result.error!r}"
    return exit_code != 0


def no_stack_trace(result: Run) -> bool:
    """No Java stack trace and no OutOfMemoryError anywhere in what the run printed (the JVM's
    ExitOnOutOfMemoryError line goes to stdout)."""
    printed = result.stdout + result.stderr
    return not re.search(r"^\s+at [\w.$]+\(", printed, re.MULTILINE) and "OutOfMemoryError" not in printed
