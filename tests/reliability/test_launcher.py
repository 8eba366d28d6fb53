"""bin/recstage's class-data sharing archive: made once per build by a `--help` run under a private
name, used by every later run, remade when the jar is newer, never retried after this JVM could not
make one, skipped when switched off. The launcher runs in a
copy of the repository layout with a fake `java` that records its arguments; one test runs the
real JVM to check that it maps the classes from the archive."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import harness

ARCHIVE_AT_EXIT = "-XX:ArchiveClassesAtExit="
SHARED_ARCHIVE = "-XX:SharedArchiveFile="

FAKE_JAVA = """#!/usr/bin/env bash
# Records its arguments, one run per line; makes the archive it is asked for unless FAKE_FAIL is set.
echo "$*" >>"$FAKE_LOG"
for arg in "$@"; do
    if [[ "$arg" == -XX:ArchiveClassesAtExit=* ]]; then
        [[ -z "${FAKE_FAIL:-}" ]] || exit 1
        echo archive >"${arg#-XX:ArchiveClassesAtExit=}"
    fi
done
"""


@pytest.fixture
def layout(tmp_path):
    """A repository copy with the launcher and an (empty) tools jar; returns (root, archive, jar)."""
    (tmp_path / "bin").mkdir()
    shutil.copy2(harness.RECSTAGE, tmp_path / "bin" / "recstage")
    app = tmp_path / "tasks" / "tools" / "target" / "quarkus-app"
    app.mkdir(parents=True)
    jar = app / "quarkus-run.jar"
    jar.write_bytes(b"")
    fake = tmp_path / "java"
    fake.write_text(FAKE_JAVA)
    fake.chmod(0o755)
    return tmp_path, app / "recstage-cds.jsa", jar


def launch(root: Path, *extra_env: tuple[str, str]) -> list[list[str]]:
    """Runs `bin/recstage generate --items 5` in the copy; returns the fake java's argument lists."""
    log = root / "java.log"
    log.unlink(missing_ok=True)
    env = {"PATH": os.environ["PATH"], "JAVA": str(root / "java"), "FAKE_LOG": str(log), **dict(extra_env)}
    done = subprocess.run([str(root / "bin" / "recstage"), "generate", "--items", "5"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == "", "the archive run must not print anything"
    return [line.split() for line in log.read_text().splitlines()]


def archive_flags(argv: list[str]) -> list[str]:
    return [a for a in argv if a.startswith((ARCHIVE_AT_EXIT, SHARED_ARCHIVE))]


def test_first_run_makes_the_archive_under_a_private_name_and_later_runs_use_it(layout):
    root, archive, jar = layout
    training, stage = launch(root)
    private = archive_flags(training)[0].removeprefix(ARCHIVE_AT_EXIT)
    assert private.startswith(f"{archive}.") and private != str(archive)
    assert training[-4:] == ["-jar", str(jar), "generate", "--help"]
    assert archive_flags(stage) == [SHARED_ARCHIVE + str(archive)] and stage[-3:] == ["generate", "--items", "5"]
    assert archive.read_text() == "archive\n" and not Path(private).exists()
    # Same flags for the archive run and the stage, apart from the archive itself.
    def jvm_flags(argv):
        return [a for a in argv[:argv.index("-jar")] if a not in archive_flags(argv)]
    assert jvm_flags(training) == jvm_flags(stage) and "-XX:+ExitOnOutOfMemoryError" in jvm_flags(stage)

    (again,) = launch(root)
    assert archive_flags(again) == [SHARED_ARCHIVE + str(archive)]


def test_a_newer_jar_makes_a_new_archive(layout):
    root, archive, jar = layout
    launch(root)
    made = archive.stat().st_mtime
    os.utime(jar, (made + 10, made + 10))
    training, stage = launch(root)
    assert archive_flags(training)[0].startswith(ARCHIVE_AT_EXIT)
    assert archive_flags(stage) == [SHARED_ARCHIVE + str(archive)]


def test_a_jvm_that_cannot_make_one_is_not_asked_again_before_the_next_build(layout):
    root, archive, _ = layout
    training, stage = launch(root, ("FAKE_FAIL", "1"))
    assert archive_flags(training)[0].startswith(ARCHIVE_AT_EXIT)
    # An empty archive: the JVM ignores it without a word, and its date stops the retries.
    assert archive.exists() and archive.stat().st_size == 0
    assert sorted(p.name for p in archive.parent.iterdir()) == sorted(["quarkus-run.jar", archive.name])
    (again,) = launch(root, ("FAKE_FAIL", "1"))
    assert archive_flags(again) == [SHARED_ARCHIVE + str(archive)]


def test_switched_off_means_no_archive(layout):
    root, archive, _ = layout
    (stage,) = launch(root, ("RECSTAGE_CDS", "off"))
    assert archive_flags(stage) == [] and not archive.exists()


def test_the_real_jvm_maps_the_start_up_classes_from_the_archive(tmp_path):
    reason = harness.unavailable("generate")
    if reason:
        harness.missing_prerequisite(reason)
    harness.run("generate", "--help")  # makes the archive if this build has none yet
    log = tmp_path / "classes.log"
    done = harness.run("generate", "--help", env={"RECSTAGE_JAVA_OPTS": f"-Xlog:class+load:file={log}"})
    assert done.code == 0, done.stderr
    lines = log.read_text().splitlines()
    from_archive = [line for line in lines if "source: shared objects file (top)" in line]
    # The dynamic archive is the top layer; Quarkus's own classes must come from it.
    assert any(" io.quarkus." in line for line in from_archive), f"{len(from_archive)} of {len(lines)} classes from the archive"
    assert len(from_archive) > 500
