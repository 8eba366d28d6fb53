"""docker/vector-module, which bin/recstage and the JVM image run java through: it adds the Vector
API module exactly for content-similarity's vector runs, and execs java unchanged otherwise. Run with
a fake java in a fake JDK home (its `release` file lists the modules). The real image under podman:
tests/containers/test_stages.py."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "docker" / "vector-module"
MODULE_FLAG = "--add-modules=jdk.incubator.vector"
SHELLS = [pytest.param([shell, *flags], id=shell) for shell, flags in (("dash", []), ("bash", ["--posix"]))
          if shutil.which(shell)]
WITH_MODULE = 'MODULES="java.base jdk.incubator.vector jdk.unsupported"\n'
WITHOUT_MODULE = 'MODULES="java.base jdk.unsupported"\n'


def fake_java(tmp_path, release):
    """A JDK home whose bin/java prints its pid and arguments, one a line, and exits 7."""
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text('#!/bin/sh\necho "$$"\nprintf "%s\\n" "$@"\nexit 7\n')
    java.chmod(0o755)
    (home / "release").write_text('JAVA_VERSION="17.0.17"\n' + release)
    return java


def features(tmp_path, embeddings=True):
    directory = tmp_path / "features dir"
    directory.mkdir()
    if embeddings:
        (directory / "embeddings.arrow").write_bytes(b"")
    return directory


def run(shell, java, args, stage="content-similarity", **env):
    environment = {"PATH": "/usr/bin:/bin", **env}
    if stage is not None:
        environment["RECSTAGE_STAGE"] = stage
    process = subprocess.Popen([*shell, str(SCRIPT), str(java), "-Xmx64m", "-jar", "app.jar", *args],
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate(timeout=30)
    assert (process.returncode, stderr) == (7, ""), (process.returncode, stderr)
    pid, *argv = stdout.splitlines()
    # exec: java has the script's pid (PID 1 in a container gets the signals).
    assert pid == str(process.pid)
    return argv


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("form", ["separate", "joined"])
def test_a_vector_run_gets_the_module_first(shell, tmp_path, form):
    java = fake_java(tmp_path, WITH_MODULE)
    out = str(features(tmp_path))
    args = ["--features", out, "--out", "x"] if form == "separate" else [f"--features={out}", "--out", "x"]
    assert run(shell, java, args) == [MODULE_FLAG, "-Xmx64m", "-jar", "app.jar", *args]


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("case", ["text only", "recall off", "other stage", "no stage", "runtime without the module", "no release file"])
def test_every_other_run_execs_java_unchanged(shell, tmp_path, case):
    java = fake_java(tmp_path, WITHOUT_MODULE if case == "runtime without the module" else WITH_MODULE)
    if case == "no release file":
        (java.parent.parent / "release").unlink()
    args = ["--features", str(features(tmp_path, embeddings=case != "text only")), "--out", "x"]
    stage = {"other stage": "behavior-cooccurrence", "no stage": None}.get(case, "content-similarity")
    env = {"USE_FAISS_RECALL": "0"} if case == "recall off" else {}
    assert run(shell, java, args, stage=stage, **env) == ["-Xmx64m", "-jar", "app.jar", *args]


@pytest.mark.parametrize("shell", SHELLS)
def test_java_found_on_the_path_through_a_symlink(shell, tmp_path):
    """As in the images and on Debian: `java` on PATH, a link into the JDK home that holds `release`."""
    java = fake_java(tmp_path, WITH_MODULE)
    links = tmp_path / "links"
    links.mkdir()
    (links / "java").symlink_to(java)
    args = ["--features", str(features(tmp_path)), "--out", "x"]
    process = subprocess.run([*shell, str(SCRIPT), "java", *args], env={"PATH": f"{links}:/usr/bin:/bin",
                             "RECSTAGE_STAGE": "content-similarity"}, capture_output=True, text=True, timeout=30)
    assert process.stdout.splitlines()[1:] == [MODULE_FLAG, *args], process.stderr
