"""Issue 15's friction points of a new user's first hour, each kept from coming back: the stages'
messages (unknown option, memory limit's name, unused columns) through bin/recstage, and the
quiet bin/test and bin/demo's build progress through their shell functions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from recipes import ROOT, require

RECSTAGE = str(ROOT / "bin" / "recstage")


@pytest.fixture(scope="module", autouse=True)
def built():
    require((ROOT / "tasks/features/target/quarkus-app/quarkus-run.jar").is_file(), "the stages are not built (./mvnw package)")


def clean_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("MEMORY_LIMIT") and not k.startswith("RECSTAGE_")}
    env.update(extra)
    return env


@pytest.fixture
def raw(tmp_path) -> Path:
    (tmp_path / "items.csv").write_text("item_id,titel,genre\n1,Toy Story,Animation\n2,Heat,Crime\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text("user_id,item_id,create_time\nu1,1,2020-01-01\nu1,2,2020-01-02\n", encoding="utf-8")
    return tmp_path


def features(raw: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([RECSTAGE, "features", "--items", str(raw / "items.csv"), "--interactions", str(raw / "events.csv"),
                           "--out", str(raw / "out"), *extra], capture_output=True, text=True, env=env or clean_environment(),
                          timeout=300)


def test_unknown_option_is_named_with_its_suggestion_not_as_a_missing_required_option(tmp_path):
    done = subprocess.run([RECSTAGE, "content-similarity", "--feature", str(tmp_path), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: Unknown option: '--feature'; did you mean --features? (see --help)"


def test_misspelt_and_unused_columns_are_warned_about(raw):
    done = features(raw, "--items-map", "tags=genres")
    assert done.returncode == 0, done.stderr
    log = done.stdout + done.stderr
    assert "WARN  items.csv: no column 'title', but 'titel' looks like it; title stays empty unless mapped with --items-map title=titel" in log
    assert "WARN  items.csv: --items-map tags=genres: the file has no column 'genres' (closest: 'genre'); tags stays empty" in log
    assert "WARN  items.csv: columns not used: titel, genre" in log


@pytest.mark.parametrize("variable, value, named", [
    ("FEATURES_MEMORY_LIMIT", "900Mi", "memory limit 900.0 MB (FEATURES_MEMORY_LIMIT)"),
    ("RECSTAGE_MEMORY_LIMIT", "800Mi", "memory limit 800.0 MB (RECSTAGE_MEMORY_LIMIT)"),
    (None, None, "(FEATURES_MEMORY_LIMIT from .env.memory)"),
])
def test_the_memory_limit_is_named_as_the_user_set_it(raw, variable, value, named):
    done = features(raw, env=clean_environment(**({variable: value} if variable else {})))
    assert done.returncode == 0, done.stderr
    assert named in done.stdout, done.stdout


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", script], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_bin_test_prints_one_line_per_passing_suite_and_the_log_tail_of_a_failing_one(tmp_path):
    noisy = "echo 'error: bad input, as the test wanted'; echo; echo '===== 3 passed in 0.1s ====='"
    done = shell(f"""source '{ROOT}/bin/test'; LOGS='{tmp_path}'
        suite good bash -c "{noisy}"
        suite bad bash -c "echo 'E   assert 1 == 2'; echo '===== 1 failed in 0.1s ====='; exit 1"
        echo "status $STATUS" """, tmp_path)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("good ") and " ok " in lines[0] and lines[0].count("3 passed in 0.1s") == 1, lines
    assert "error:" not in lines[0] and "error: bad input" in (tmp_path / "good.log").read_text()
    assert lines[1].startswith("bad ") and "FAILED (exit 1)" in lines[1] and "1 failed in 0.1s" in lines[1], lines
    assert "E   assert 1 == 2" in lines[3] and lines[-1] == "status 1", lines


def test_bin_test_sums_surefire_totals_and_refuses_jqwik_reports(tmp_path):
    log = tmp_path / "maven.log"
    log.write_text("[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 1 s -- in A\n"
                   "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0\n"
                   "[WARNING] Tests run: 5, Failures: 0, Errors: 0, Skipped: 2\n[INFO] BUILD SUCCESS\n")
    done = shell(f"source '{ROOT}/bin/test'; summary_of '{log}'; echo; check_quiet_maven '{log}' && echo quiet", tmp_path)
    assert done.stdout.splitlines() == ["Tests run: 8, Failures: 0, Errors: 0, Skipped: 2; BUILD SUCCESS", "quiet"]
    log.write_text(log.read_text() + "                              |-----------------------jqwik-----------------------\n")
    assert shell(f"source '{ROOT}/bin/test'; check_quiet_maven '{log}'", tmp_path).returncode == 1


def test_jqwik_reports_only_failures_in_maven_runs():
    pom = (ROOT / "pom.xml").read_text(encoding="utf-8")
    assert "<jqwik.reporting.onlyfailures>true</jqwik.reporting.onlyfailures>" in pom
    assert "<redirectTestOutputToFile>true</redirectTestOutputToFile>" in pom


def test_bin_demo_shows_each_module_as_maven_starts_it(tmp_path):
    maven = ("echo '[INFO] Scanning for projects...'; "
             "echo '[INFO] Building recstage 0.1.0-SNAPSHOT                                   [1/3]'; "
             "echo '[INFO] Downloading from central: https://repo/x.jar'; "
             "echo '[INFO] Building recstage core: Arrow contracts, top-K engine 0.1.0-SNAPSHOT [2/3]'; "
             "echo '[INFO] Building recstage tools: generate 0.1.0-SNAPSHOT [3/3]'")
    done = shell(f"""source '{ROOT}/bin/demo'; build '{tmp_path}/build.log' bash -c "{maven}" """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert [line.split(" (")[0].strip() for line in done.stdout.splitlines()] == [
        "[1/3] recstage", "downloading dependencies", "[2/3] recstage core", "[3/3] recstage tools"], done.stdout
    assert "Scanning for projects" in (tmp_path / "build.log").read_text()
    failed = shell(f"""source '{ROOT}/bin/demo'; build '{tmp_path}/build.log' bash -c "echo '[ERROR] boom'; exit 3" """, tmp_path)
    assert failed.returncode == 3 and "[ERROR] boom" in failed.stderr and "the build failed (exit 3)" in failed.stderr
