"""bin/recstage's JVM and its start-up cache: the JVM is RECSTAGE_JAVA, else JAVA_HOME's, else `java`;
on JDK 25 and later the cache is an ahead-of-time cache, on older JVMs a class-data sharing archive.
Either is made once per build by a `--help` run under a private name, used by every later run, remade
when the jar is newer, never retried after this JVM could not make one, skipped when switched off.
The launcher runs in a copy of the repository layout with a fake `java` that records its arguments;
the last tests run the real JVMs to check that they map the classes from the cache, and that JDK 25
says nothing when the cache does not match."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import harness

ARCHIVE_AT_EXIT = "-XX:ArchiveClassesAtExit="
SHARED_ARCHIVE = "-XX:SharedArchiveFile="
AOT_CACHE_OUTPUT = "-XX:AOTCacheOutput="
AOT_CACHE = "-XX:AOTCache="
JDK17 = Path(os.environ.get("RECSTAGE_JDK17", "/usr/lib/jvm/java-17-openjdk-amd64"))
JDK25 = Path(os.environ.get("RECSTAGE_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64"))

FAKE_JAVA = """#!/usr/bin/env bash
# Records its arguments, one run per line; makes the archive it is asked for unless FAKE_FAIL is set.
echo "$*" >>"$FAKE_LOG"
for arg in "$@"; do
    if [[ "$arg" == -XX:ArchiveClassesAtExit=* || "$arg" == -XX:AOTCacheOutput=* ]]; then
        [[ -z "${FAKE_FAIL:-}" ]] || exit 1
        echo archive >"${arg#*=}"
    fi
done
"""


@pytest.fixture
def layout(tmp_path):
    """A repository copy with the launcher and an (empty) tools jar; returns (root, archive, jar)."""
    copy_launcher(tmp_path)
    app = tmp_path / "tasks" / "tools" / "target" / "quarkus-app"
    app.mkdir(parents=True)
    jar = app / "quarkus-run.jar"
    jar.write_bytes(b"")
    fake_jdk(tmp_path / "jdk17", "17.0.15")
    return tmp_path, app / "recstage-cds.jsa", jar


def copy_launcher(root: Path) -> None:
    """bin/recstage and the script it runs java through, at their places in the layout."""
    for part in ("bin/recstage", "docker/vector-module"):
        (root / part).parent.mkdir(exist_ok=True)
        shutil.copy2(harness.ROOT / part, root / part)


def fake_jdk(home: Path, version: str | None) -> Path:
    """A JDK home whose bin/java is the fake; its `release` file names `version` (none without one)."""
    (home / "bin").mkdir(parents=True)
    fake = home / "bin" / "java"
    fake.write_text(FAKE_JAVA)
    fake.chmod(0o755)
    if version:
        (home / "release").write_text(f'IMPLEMENTOR="Someone"\nJAVA_VERSION="{version}"\nJAVA_VERSION_DATE="2026-04-21"\n')
    return fake


def launch(root: Path, *extra_env: tuple[str, str]) -> list[list[str]]:
    """Runs `bin/recstage generate --items 5` in the copy (on the fake JDK 17 unless `extra_env` names
    another JVM); returns the fake java's argument lists."""
    log = root / "java.log"
    log.unlink(missing_ok=True)
    env = {"PATH": os.environ["PATH"], "RECSTAGE_JAVA": str(root / "jdk17" / "bin" / "java"), "FAKE_LOG": str(log),
           **dict(extra_env)}
    done = subprocess.run([str(root / "bin" / "recstage"), "generate", "--items", "5"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == "", "the archive run must not print anything"
    return [line.split() for line in log.read_text().splitlines()]


def archive_flags(argv: list[str]) -> list[str]:
    return [a for a in argv if a.startswith((ARCHIVE_AT_EXIT, SHARED_ARCHIVE, AOT_CACHE_OUTPUT, AOT_CACHE))]


def jvm_flags(argv: list[str]) -> list[str]:
    """The JVM's flags apart from the archive or cache."""
    return [a for a in argv[:argv.index("-jar")] if a not in archive_flags(argv)]


def test_first_run_makes_the_archive_under_a_private_name_and_later_runs_use_it(layout):
    root, archive, jar = layout
    training, stage = launch(root)
    private = archive_flags(training)[0].removeprefix(ARCHIVE_AT_EXIT)
    assert private.startswith(f"{archive}.") and private != str(archive)
    assert training[-4:] == ["-jar", str(jar), "generate", "--help"]
    assert archive_flags(stage) == [SHARED_ARCHIVE + str(archive)] and stage[-3:] == ["generate", "--items", "5"]
    assert archive.read_text() == "archive\n" and not Path(private).exists()
    # Same flags for the archive run and the stage, apart from the archive itself.
    assert jvm_flags(training) == jvm_flags(stage) and "-XX:+ExitOnOutOfMemoryError" in jvm_flags(stage)

    (again,) = launch(root)
    assert archive_flags(again) == [SHARED_ARCHIVE + str(archive)]


def test_a_newer_jar_makes_a_new_archive(layout):
    root, archive, jar = layout
    launch(root)
    # The archive dated before the jar (a date in the future would make every new archive stale too).
    built = jar.stat().st_mtime
    os.utime(archive, (built - 10, built - 10))
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


def test_the_real_jdk_17_maps_the_start_up_classes_from_the_archive(tmp_path):
    java = JDK17 / "bin" / "java"
    if not java.is_file():
        harness.missing_prerequisite(f"no JDK 17 at {JDK17} (set RECSTAGE_JDK17)")
    reason = harness.unavailable("generate")
    if reason:
        harness.missing_prerequisite(reason)
    on17 = {"RECSTAGE_JAVA": str(java)}
    harness.run("generate", "--help", env=on17)  # makes the archive if this build has none yet
    log = tmp_path / "classes.log"
    done = harness.run("generate", "--help", env={**on17, "RECSTAGE_JAVA_OPTS": f"-Xlog:class+load:file={log}"})
    assert done.code == 0, done.stderr
    lines = log.read_text().splitlines()
    from_archive = [line for line in lines if "source: shared objects file (top)" in line]
    # The dynamic archive is the top layer; Quarkus's own classes must come from it.
    assert any(" io.quarkus." in line for line in from_archive), f"{len(from_archive)} of {len(lines)} classes from the archive"
    assert len(from_archive) > 500


def test_jdk_25_makes_and_uses_an_ahead_of_time_cache_named_by_its_version(layout):
    root, archive, jar = layout
    java25 = fake_jdk(root / "jdk25", "25.0.3")
    cache = archive.with_name("recstage-jdk25.0.3.aot")
    training, stage = launch(root, ("RECSTAGE_JAVA", str(java25)))
    private = archive_flags(training)[0].removeprefix(AOT_CACHE_OUTPUT)
    assert archive_flags(training)[0].startswith(AOT_CACHE_OUTPUT) and private.startswith(f"{cache}.")
    assert training[-4:] == ["-jar", str(jar), "generate", "--help"]
    assert archive_flags(stage) == [AOT_CACHE + str(cache)] and jvm_flags(training) == jvm_flags(stage)
    assert cache.read_text() == "archive\n" and not archive.exists() and not Path(private).exists()
    (again,) = launch(root, ("RECSTAGE_JAVA", str(java25)))
    assert archive_flags(again) == [AOT_CACHE + str(cache)]
    # JDK 17 keeps its own archive beside it, and the JDK 25 cache stays.
    training17, stage17 = launch(root)
    assert archive_flags(training17)[0].startswith(ARCHIVE_AT_EXIT) and archive_flags(stage17) == [SHARED_ARCHIVE + str(archive)]
    (again,) = launch(root, ("RECSTAGE_JAVA", str(java25)))
    assert archive_flags(again) == [AOT_CACHE + str(cache)]


def test_a_jdk_25_that_cannot_make_a_cache_is_not_asked_again(layout):
    root, archive, _ = layout
    java25 = ("RECSTAGE_JAVA", str(fake_jdk(root / "jdk25", "25.0.3")))
    cache = archive.with_name("recstage-jdk25.0.3.aot")
    training, _ = launch(root, java25, ("FAKE_FAIL", "1"))
    assert archive_flags(training)[0].startswith(AOT_CACHE_OUTPUT)
    assert cache.exists() and cache.stat().st_size == 0
    (again,) = launch(root, java25, ("FAKE_FAIL", "1"))
    assert archive_flags(again) == [AOT_CACHE + str(cache)]


def test_the_jvm_is_recstage_java_else_java_home_else_the_path(layout):
    root, archive, _ = layout
    jdk25 = root / "jdk25"
    fake_jdk(jdk25, "25")
    aot = AOT_CACHE + str(archive.with_name("recstage-jdk25.aot"))
    launch(root, ("RECSTAGE_JAVA", str(jdk25 / "bin" / "java")))  # makes the JDK 25 cache
    launch(root)  # and the JDK 17 archive
    cds = SHARED_ARCHIVE + str(archive)
    (stage,) = launch(root, ("RECSTAGE_JAVA", ""), ("JAVA_HOME", str(jdk25)))
    assert archive_flags(stage) == [aot]
    (stage,) = launch(root, ("JAVA_HOME", str(jdk25)))  # RECSTAGE_JAVA (JDK 17) wins
    assert archive_flags(stage) == [cds]
    (stage,) = launch(root, ("RECSTAGE_JAVA", ""), ("PATH", f"{jdk25 / 'bin'}:{os.environ['PATH']}"))
    assert archive_flags(stage) == [aot]


def test_a_jvm_without_a_release_file_keeps_the_class_data_archive(layout):
    root, archive, _ = layout
    bare = fake_jdk(root / "bare", None)
    training, stage = launch(root, ("RECSTAGE_JAVA", str(bare)))
    assert archive_flags(training)[0].startswith(ARCHIVE_AT_EXIT) and archive_flags(stage) == [SHARED_ARCHIVE + str(archive)]


def test_switched_off_means_no_cache_on_jdk_25_either(layout):
    root, archive, _ = layout
    java25 = fake_jdk(root / "jdk25", "25.0.3")
    (stage,) = launch(root, ("RECSTAGE_JAVA", str(java25)), ("RECSTAGE_CDS", "off"))
    assert archive_flags(stage) == [] and sorted(p.name for p in archive.parent.iterdir()) == ["quarkus-run.jar"]


def require_jdk25() -> Path:
    java = JDK25 / "bin" / "java"
    if not java.is_file():
        harness.missing_prerequisite(f"no JDK 25 at {JDK25} (set RECSTAGE_JDK25)")
    return java


def test_the_real_jdk_25_maps_the_start_up_classes_from_the_ahead_of_time_cache(tmp_path):
    java = require_jdk25()
    reason = harness.unavailable("generate")
    if reason:
        harness.missing_prerequisite(reason)
    on25 = {"RECSTAGE_JAVA": str(java)}
    assert harness.run("generate", "--help", env=on25).code == 0  # makes the cache if this build has none yet
    log = tmp_path / "classes.log"
    # -XX:AOTMode=on: the JVM refuses to start when it cannot map the cache.
    done = harness.run("generate", "--help", env={**on25, "RECSTAGE_JAVA_OPTS": f"-XX:AOTMode=on -Xlog:class+load:file={log}"})
    assert done.code == 0 and done.stderr == "", done.stderr
    from_cache = [line for line in log.read_text().splitlines() if "source: shared objects file" in line]
    assert any(" io.quarkus." in line for line in from_cache) and len(from_cache) > 1000, len(from_cache)


def test_jdk_25_says_nothing_when_the_heap_differs_from_the_training_runs_or_the_cache_is_empty(tmp_path):
    """Each stage limit sets its own -Xmx; an empty cache is what the launcher leaves when the JVM could
    not make one: the run must neither fail nor print a word about the cache."""
    java = require_jdk25()
    reason = harness.unavailable("generate")
    if reason:
        harness.missing_prerequisite(reason)
    on25 = {"RECSTAGE_JAVA": str(java)}
    for env in ({}, {"RECSTAGE_MAX_HEAP": "100m"}, {"RECSTAGE_MAX_HEAP": "3g"}):
        done = harness.run("generate", "--help", env={**on25, **env})
        assert done.code == 0 and done.stderr == "", (env, done.stderr)
    root, app = tools_copy(tmp_path)
    (app / "recstage-jdk-empty.aot").write_bytes(b"")
    done = subprocess.run(["bash", "-c", f'exec "$1" -XX:AOTCache={app}/recstage-jdk-empty.aot -jar {app}/quarkus-run.jar --help',
                           "sh", str(java)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def tools_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the launcher and of the tools' app (files keep their dates, without any cache)."""
    copy_launcher(tmp_path)
    app = tmp_path / "tasks" / "tools" / "target" / "quarkus-app"
    shutil.copytree(harness.ROOT / harness.MODULES["generate"] / "target" / "quarkus-app", app,
                    ignore=shutil.ignore_patterns("recstage-cds.jsa*", "recstage-jdk*"))
    return tmp_path, app


def test_a_cache_older_than_any_file_of_the_app_is_remade_not_left_to_the_jvm(tmp_path):
    """JDK 25 does not compare the classes that Quarkus's class loader reads with the cache's: given
    the features stage's cache, the tools' jar ran the features stage. The launcher remakes any cache
    that is older than a file of the app."""
    java = require_jdk25()
    for module in ("generate", harness.FEATURES):
        reason = harness.unavailable(module)
        if reason:
            harness.missing_prerequisite(reason)
    on25 = {"RECSTAGE_JAVA": str(java)}
    assert harness.run(harness.FEATURES, "--help", env=on25).code == 0
    (features_cache,) = (harness.ROOT / harness.MODULES[harness.FEATURES] / "target" / "quarkus-app").glob("recstage-jdk*.aot")
    root, app = tools_copy(tmp_path)
    # Another build's cache, under this app's cache name, dated before one of the app's libraries.
    cache = app / features_cache.name
    shutil.copy(features_cache, cache)
    library = next((app / "lib" / "main").glob("dev.recstage.recstage-core-*.jar"))
    made = library.stat().st_mtime - 10
    os.utime(cache, (made, made))
    done = subprocess.run([str(root / "bin" / "recstage"), "generate", "--help"], capture_output=True, text=True,
                          env=harness.base_environment(on25), timeout=300)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.startswith("Usage: recstage generate"), done.stdout[:200]
    assert cache.stat().st_mtime > library.stat().st_mtime and cache.read_bytes() != features_cache.read_bytes()


def test_a_newer_library_makes_a_new_cache(layout):
    root, archive, jar = layout
    java25 = ("RECSTAGE_JAVA", str(fake_jdk(root / "jdk25", "25.0.3")))
    library = jar.parent / "lib" / "main" / "some-library.jar"
    library.parent.mkdir(parents=True)
    library.write_bytes(b"")
    launch(root, java25)
    cache = archive.with_name("recstage-jdk25.0.3.aot")
    (again,) = launch(root, java25)  # the directories' dates changed with the cache: no new one
    assert archive_flags(again) == [AOT_CACHE + str(cache)]
    built = library.stat().st_mtime
    os.utime(cache, (built - 10, built - 10))  # the library is newer than the cache
    training, stage = launch(root, java25)
    assert archive_flags(training)[0].startswith(AOT_CACHE_OUTPUT) and archive_flags(stage) == [AOT_CACHE + str(cache)]


SLOW_FAKE_JAVA = """#!/usr/bin/env bash
# Records its arguments; asked for an archive, takes 30 s over it, and writes it at exit as the JVM
# does, a SIGTERM's exit included.
echo "$*" >>"$FAKE_LOG"
for arg in "$@"; do
    if [[ "$arg" == -XX:ArchiveClassesAtExit=* ]]; then
        trap 'echo archive >"${arg#*=}"; exit 143' TERM
        sleep 30 &
        wait $!
        echo archive >"${arg#*=}"
    fi
done
"""


def test_a_stop_while_the_archive_is_made_stops_that_run_and_leaves_no_file(layout):
    root, archive, _ = layout
    java = root / "jdk17" / "bin" / "java"
    java.write_text(SLOW_FAKE_JAVA)
    log = root / "java.log"
    env = {"PATH": os.environ["PATH"], "RECSTAGE_JAVA": str(java), "FAKE_LOG": str(log)}
    launcher = subprocess.Popen([str(root / "bin" / "recstage"), "generate", "--items", "5"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log.exists(), "the archive run never started"
    launcher.send_signal(signal.SIGTERM)
    assert launcher.wait(timeout=10) == 143
    assert sorted(p.name for p in archive.parent.iterdir()) == ["quarkus-run.jar"], "an archive file was left"
    assert not archive.exists()
    # The archive run was stopped with the launcher, not left to finish on its own.
    leftover = subprocess.run(["pgrep", "-f", f"ArchiveClassesAtExit={archive}"], capture_output=True, text=True)
    assert leftover.stdout == "", leftover.stdout
