"""Runs every case of features_cases.py through the built features stage and checks its outcome.

Every case, whatever its expectation, also checks the output discipline: a failed run publishes
nothing (no --out directory, no staging leftovers) and says why in one `error:` line without a
stack trace; a successful run leaves a complete output whose rejects.csv lists exactly the
expected rows and whose manifest counts them by reason.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

import harness
from conftest import require
from features_cases import ALL, Case


@pytest.mark.parametrize("spec", ALL, ids=lambda c: c.id)
def test_features_case(spec: Case, case, tmp_path):
    case.id, case.group, case.stage = spec.id, "features input", harness.FEATURES
    case.input, case.expected = spec.describe_input(), spec.expect.describe()
    require(harness.FEATURES)

    inputs = tmp_path / "in"
    inputs.mkdir()
    args = ["--items", spec.items.materialize(inputs), "--interactions", spec.interactions.materialize(inputs)]
    if spec.embeddings is not None:
        args += ["--embeddings", spec.embeddings.materialize(inputs)]
    out = tmp_path / "out"
    result = harness.run(harness.FEATURES, *args, *spec.args, "--out", out)
    case.outcome = result.summary()

    assert harness.no_stack_trace(result), result.stderr[-3000:]
    assert result.code == spec.expect.exit, result.stderr[-3000:]
    assert not harness.leftovers(out), harness.leftovers(out)
    if spec.expect.exit != 0:
        assert not out.exists(), "a failed run must not publish an output directory"
        for pattern in spec.expect.error:
            assert re.search(pattern, result.error), f"{pattern!r} not in {result.error!r}"
        return

    manifest = harness.check_complete_output(out)
    found = reject_rows(out)
    case.outcome += "; rejects " + (", ".join(f"{f}:{line} {reason}" for f, line, reason in sorted(found)) or "none")
    assert set(found) == spec.expect.rejects
    assert len(found) == len(set(found)), "a row rejected twice"
    counted = Counter()
    for name, counts in manifest["counts"].items():
        for reason, n in counts["rejected"].items():
            counted[(name, reason)] += n
    assert counted == Counter((f, reason) for f, _, reason in found), "manifest counts disagree with rejects.csv"
    if spec.expect.check:
        spec.expect.check(out)


def reject_rows(out) -> list[tuple[str, int, str]]:
    with open(out / "rejects.csv", newline="", encoding="utf-8") as f:
        return [(row["file"], int(row["line"]), row["reason"]) for row in csv.DictReader(f)]
