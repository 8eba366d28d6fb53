"""docker/memory-floor-check, the JVM image's first ENTRYPOINT element, on fake cgroup files
(RECSTAGE_CGROUP_ROOT): cgroup v1 and v2, no limit, below and at the floor. The same script in the
real image under podman: tests/containers/test_stages.py."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "docker" / "memory-floor-check"
FLOOR_MIB = int(re.search(r"^FLOOR_MIB=(\d+)$", SCRIPT.read_text(), re.MULTILINE).group(1))
MiB = 2**20
V1 = "memory/memory.limit_in_bytes"
V2 = "memory.max"
V1_UNLIMITED = "9223372036854771712"  # what a v1 kernel reports for no limit (2^63 rounded down to pages)
# The images run it with Debian's (or Ubuntu's) /bin/sh, dash; bash in POSIX mode is the other common sh.
SHELLS = [pytest.param([shell, *flags], id=shell) for shell, flags in (("dash", []), ("bash", ["--posix"]))
          if shutil.which(shell)]
# Prints its pid and arguments, one a line, and exits 7: shows that the script execs it, unchanged.
COMMAND = ["sh", "-c", 'echo "$$"; printf "%s\\n" "$@"; exit 7', "stage", "--out", "/data/a b"]


def run_check(shell, root, stage="content-similarity"):
    env = {"PATH": "/usr/bin:/bin", "RECSTAGE_CGROUP_ROOT": str(root)}
    if stage is not None:
        env["RECSTAGE_STAGE"] = stage
    process = subprocess.Popen([*shell, str(SCRIPT), *COMMAND], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate(timeout=30)
    return process.pid, process.returncode, stdout, stderr


def cgroup(tmp_path, **files):
    """A fake /sys/fs/cgroup holding the given files (v1=…, v2=…)."""
    for key, text in files.items():
        path = tmp_path / {"v1": V1, "v2": V2}[key]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
    return tmp_path


def assert_runs_the_command(result):
    pid, code, stdout, stderr = result
    # exec: the command has the script's pid (PID 1 in a container gets the signals), its exit code, its arguments.
    assert (code, stdout.splitlines(), stderr) == (7, [str(pid), "--out", "/data/a b"], "")


def assert_refused(result, limit_bytes, file, stage="content-similarity", variable="CONTENT_SIMILARITY_MEMORY_LIMIT"):
    _, code, stdout, stderr = result
    assert code == 4 and stdout == "", (code, stdout, stderr)
    (line,) = stderr.splitlines()
    assert line.startswith("error: the memory limit "), line
    assert f" {limit_bytes / MiB:.1f} MB (container limit (cgroup), {file})" in line, line
    assert f"is below the {FLOOR_MIB}.0 MB that the {stage} stage's JVM needs before it can plan its memory" in line, line
    assert f"raise the memory limit ({variable} in .env.memory, or the pod's limit) to at least {FLOOR_MIB}Mi " in line, line


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("version, file", [("v1", V1), ("v2", V2)])
def test_a_limit_below_the_floor_exits_4_with_advice(shell, tmp_path, version, file):
    limit = FLOOR_MIB * MiB - 4096
    root = cgroup(tmp_path, **{version: str(limit)})
    assert_refused(run_check(shell, root), limit, root / file)


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_limit_at_the_floor_or_above_runs_the_command(shell, tmp_path, version):
    for limit in (FLOOR_MIB * MiB, 2 * 2**30):
        assert_runs_the_command(run_check(shell, cgroup(tmp_path, **{version: str(limit)})))


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("files", [{"v1": V1_UNLIMITED}, {"v2": "max"}, {"v1": V1_UNLIMITED, "v2": "max"}, {}],
                         ids=["v1-unlimited", "v2-max", "hybrid-unlimited", "no-cgroup-files"])
def test_no_limit_runs_the_command(shell, tmp_path, files):
    assert_runs_the_command(run_check(shell, cgroup(tmp_path, **files)))


@pytest.mark.parametrize("shell", SHELLS)
def test_hybrid_takes_the_smaller_limit_and_names_its_file(shell, tmp_path):
    # A hybrid kernel (this machine) may show both files; the stages' MemoryBudget takes the smaller too.
    small = 64 * MiB
    root = cgroup(tmp_path, v1=str(small), v2="max")
    assert_refused(run_check(shell, root), small, root / V1)
    root = cgroup(tmp_path, v1=V1_UNLIMITED, v2=str(small))
    assert_refused(run_check(shell, root), small, root / V2)
    assert_runs_the_command(run_check(shell, cgroup(tmp_path, v1=str(4 * 2**30), v2=str(2 * 2**30))))


@pytest.mark.parametrize("shell", SHELLS)
def test_the_advice_names_the_images_stage(shell, tmp_path):
    limit = 48 * MiB
    root = cgroup(tmp_path, v1=str(limit))
    assert_refused(run_check(shell, root, stage="behavior-cooccurrence"), limit, root / V1,
                   stage="behavior-cooccurrence", variable="BEHAVIOR_COOCCURRENCE_MEMORY_LIMIT")
    assert_refused(run_check(shell, root, stage=None), limit, root / V1, stage="<stage>", variable="<STAGE>_MEMORY_LIMIT")


@pytest.mark.parametrize("shell", SHELLS)
def test_what_is_no_byte_count_is_no_limit(shell, tmp_path):
    # Unreadable or unexpected content: as MemoryBudget does, no limit rather than a refusal.
    assert_runs_the_command(run_check(shell, cgroup(tmp_path, v1="", v2="garbage")))

