"""Shared fixtures of the reliability suite, and the record of every case for docs/reliability.md.

A test that is a corpus case asks for the `case` fixture and fills in what it tries and expects
before running the stage, then what happened. The outcome of the test (passed, failed, skipped)
is added by the report hook, and the whole list is written as JSON at the end of the session
(`RELIABILITY_RESULTS`, default target/reliability/results.json); render_report.py turns it into
the table of docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pytest

import harness

RESULTS_FILE = Path(os.environ.get("RELIABILITY_RESULTS", harness.ROOT / "target" / "reliability" / "results.json"))


@dataclass
class CaseRecord:
    id: str = ""
    group: str = ""
    stage: str = ""
    input: str = ""
    expected: str = ""
    outcome: str = ""
    status: str = "not run"
    seconds: float = 0.0
    kills: int = 0
    kills_survived: int = 0
    terms: int = 0
    terms_handled: int = 0
    node: str = ""


_records: list[CaseRecord] = []
_session_start = time.time()


@pytest.fixture
def case(request) -> CaseRecord:
    record = CaseRecord(node=request.node.nodeid)
    request.node.reliability_case = record
    _records.append(record)
    return record


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    record: CaseRecord | None = getattr(item, "reliability_case", None)
    if record is None:
        return
    if report.when == "call":
        record.seconds = round(report.duration, 2)
    if report.skipped and hasattr(report, "wasxfail"):
        # A known defect, marked xfail(strict=True) with its description: fails as expected.
        record.status = "known defect"
        record.outcome += f" (known defect: {report.wasxfail})"
    elif report.skipped:
        record.status = "skipped"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        record.outcome = reason.removeprefix("Skipped: ")
    elif report.failed:
        record.status = "failed"
        if not record.outcome:
            record.outcome = harness.abbreviate(str(report.longrepr).strip().splitlines()[-1], 200)
    elif report.when == "call" and record.status != "failed":
        record.status = "passed"


def pytest_sessionfinish(session, exitstatus):
    if not _records:
        return
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=harness.ROOT, capture_output=True, text=True).stdout.strip()
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps({
        "commit": commit,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(_session_start)),
        "seconds": round(time.time() - _session_start, 1),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, pyarrow {pa.__version__}",
        "cases": [asdict(r) for r in _records],
    }, indent=1, ensure_ascii=False), encoding="utf-8")


def require(stage: str) -> None:
    """Skips the calling test, with the reason, when `stage` is not built or still the placeholder (fails under CI)."""
    reason = harness.unavailable(stage)
    if reason:
        harness.missing_prerequisite(reason)


@pytest.fixture(scope="session")
def generated_small(tmp_path_factory) -> Path:
    """Synthetic raw inputs (300 items with 8-dimensional embeddings) from `bin/recstage generate`."""
    require("generate")
    out = tmp_path_factory.mktemp("generated-small") / "raw"
    result = harness.run("generate", "--items", "300", "--users", "150", "--events", "6000",
                         "--embeddings-dim", "8", "--seed", "7", "--out", out)
    assert result.code == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def features_small(generated_small, tmp_path_factory) -> Path:
    """A complete features output of `generated_small`: the input of the downstream corpus cases."""
    require(harness.FEATURES)
    out = tmp_path_factory.mktemp("features-small") / "features"
    result = harness.run(harness.FEATURES, "--items", generated_small / "items.csv",
                         "--interactions", generated_small / "interactions.csv",
                         "--embeddings", generated_small / "embeddings.arrow", "--out", out)
    assert result.code == 0, result.stderr
    harness.check_complete_output(out)
    return out


# Big enough that each stage runs for a few seconds (crash and determinism tests), small enough for 2 shared cores.
MEDIUM = ("--items", "5000", "--users", "1500", "--events", "100000", "--embeddings-dim", "16", "--seed", "11")


@pytest.fixture(scope="session")
def generated_medium(tmp_path_factory) -> Path:
    require("generate")
    out = tmp_path_factory.mktemp("generated-medium") / "raw"
    result = harness.run("generate", *MEDIUM, "--out", out)
    assert result.code == 0, result.stderr
    return out


def features_args(raw: Path) -> list:
    return ["--items", raw / "items.csv", "--interactions", raw / "interactions.csv", "--embeddings", raw / "embeddings.arrow"]


@pytest.fixture(scope="session")
def features_medium(generated_medium, tmp_path_factory) -> Path:
    require(harness.FEATURES)
    out = tmp_path_factory.mktemp("features-medium") / "features"
    result = harness.run(harness.FEATURES, *features_args(generated_medium), "--out", out)
    assert result.code == 0, result.stderr
    return out
