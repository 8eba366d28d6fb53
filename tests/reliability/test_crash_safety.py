"""SIGKILL at random moments of every stage's run: after each kill the output directory is absent
or a complete, readable output (never a partial one), and a final rerun equals an uninterrupted run.

The kills are seeded and stratified: the k-th of N falls at a random point of the k-th N-th of the
uninterrupted run's wall time (shortened when a later run finishes before its kill), so that they cover start-up, every step and the commit. Every other
run starts with --out absent, the others with an earlier complete output there (which a killed run
must leave whole). All runs of a stage write to the same --out, so the staging directories that
killed runs leave behind must be cleaned up by the next run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time

import pytest

import harness
from conftest import features_args, require

KILLS = int(os.environ.get("RELIABILITY_KILLS", "20"))
SEED = 6


def stage_args(stage: str, request) -> list:
    if stage == harness.FEATURES:
        return features_args(request.getfixturevalue("generated_medium"))
    return ["--features", request.getfixturevalue("features_medium")]


def state_of(out) -> str:
    """'absent' or 'complete'; anything else raises AssertionError saying what is wrong."""
    if not out.exists():
        return "absent"
    harness.check_complete_output(out)
    return "complete"


@pytest.mark.parametrize("stage", harness.STAGES)
def test_sigkill_at_random_moments(stage, case, request, tmp_path):
    case.id, case.group, case.stage = f"{stage}:sigkill", "crash safety", stage
    case.input = f"the medium generated input (5,000 items, 100,000 events); {KILLS} SIGKILLs spread over the run, seed {SEED}"
    case.expected = "after every kill --out is absent or complete and readable; the rerun equals an uninterrupted run"
    require(stage)
    args = stage_args(stage, request)
    reference = tmp_path / "reference"
    uninterrupted = harness.run(stage, *args, "--out", reference)
    assert uninterrupted.code == 0, uninterrupted.stderr[-3000:]
    duration = uninterrupted.seconds

    rng = random.Random(f"{SEED}:{stage}")
    out = tmp_path / "out"
    log = tmp_path / "runs.log"
    moments, states, broken, finished = [], [], [], 0
    while len(moments) < KILLS:
        assert len(moments) + finished < 3 * KILLS, "the runs keep finishing before their kill"
        moment = duration * 0.97 * (len(moments) + rng.random()) / KILLS
        if len(moments) % 2 == 0:
            shutil.rmtree(out, ignore_errors=True)
        elif not out.exists():
            shutil.copytree(reference, out)
        process = harness.launch(stage, *args, "--out", out, log=log)
        started = time.monotonic()
        try:
            process.wait(timeout=moment)
            # Faster than the reference this time (the machine is shared): no kill; rescale and draw again.
            finished += 1
            duration = min(duration, time.monotonic() - started)
            continue
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        moments.append(moment)
        try:
            states.append(state_of(out))
        except AssertionError as problem:
            states.append("broken")
            broken.append(f"kill at {moment:.2f} s: {problem}")

    rerun = harness.run(stage, *args, "--out", out)
    survived = states.count("absent") + states.count("complete")
    case.kills, case.kills_survived = len(moments), survived
    case.outcome = (f"{len(moments)} kills between {min(moments):.1f} and {max(moments):.1f} s of a {duration:.1f} s run: "
                    f"{states.count('absent')} absent, {states.count('complete')} complete, {states.count('broken')} broken; "
                    f"of the {len(moments) // 2} started over an earlier output, {states[1::2].count('complete')} left it complete "
                    f"({finished} runs ended before their kill); rerun {rerun.summary()}")
    assert not broken, broken
    assert rerun.code == 0, rerun.stderr[-3000:]
    harness.assert_same_output(reference, out)
    assert not harness.leftovers(out), "staging directories of killed runs were not cleaned up"
    case.outcome += ", equal to the uninterrupted run"
