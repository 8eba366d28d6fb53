"""Determinism: the same inputs and configuration give byte-identical files (the manifest equal apart
from timings, memory figures and the settings varied on purpose), across repeated runs, thread
counts 1, 2 and 4 and batch sizes, for every stage."""

from __future__ import annotations

import pytest

import harness
from conftest import features_args, require

# (label, extra arguments, environment) of each run; the first is the one the others must equal.
SIMILARITY_RUNS = [
    ("threads 2, batch 1000", (), {"SIMILARITY_THREADS": "2", "SIMILARITY_BATCH_SIZE": "1000"}),
    ("the same again", (), {"SIMILARITY_THREADS": "2", "SIMILARITY_BATCH_SIZE": "1000"}),
    ("--threads 1", ("--threads", "1"), {"SIMILARITY_BATCH_SIZE": "1000"}),
    ("SIMILARITY_THREADS=4", (), {"SIMILARITY_THREADS": "4", "SIMILARITY_BATCH_SIZE": "1000"}),
    ("batch 64, threads 4", (), {"SIMILARITY_THREADS": "4", "SIMILARITY_BATCH_SIZE": "64"}),
    ("batch 777, threads 1", (), {"SIMILARITY_THREADS": "1", "SIMILARITY_BATCH_SIZE": "777"}),
    ("batch auto", (), {"SIMILARITY_THREADS": "2", "SIMILARITY_BATCH_SIZE": "auto"}),
]
FEATURES_RUNS = [
    ("default", (), {}),
    ("the same again", (), {}),
    # features has no threads or batches: settings of the other stages and another heap must not matter.
    ("SIMILARITY_THREADS=1, SIMILARITY_BATCH_SIZE=7, 256 MB heap", (), {"SIMILARITY_THREADS": "1", "SIMILARITY_BATCH_SIZE": "7",
                                                                       "RECSTAGE_MAX_HEAP": "256Mi"}),
]
# Manifest config entries that record the varied settings themselves.
VARIED = ("SIMILARITY_THREADS", "SIMILARITY_BATCH_SIZE", "effective_batch_size")


@pytest.mark.parametrize("stage", harness.STAGES)
def test_outputs_are_byte_identical(stage, case, request, tmp_path):
    runs = FEATURES_RUNS if stage == harness.FEATURES else SIMILARITY_RUNS
    case.id, case.group, case.stage = f"{stage}:determinism", "determinism", stage
    case.input = "the medium input; runs: " + "; ".join(label for label, _, _ in runs)
    case.expected = "every run's files byte-identical to the first's, manifests equal but for timings, memory and the varied settings"
    require(stage)
    inputs = (features_args(request.getfixturevalue("generated_medium")) if stage == harness.FEATURES
              else ["--features", request.getfixturevalue("features_medium")])
    outputs = []
    for n, (label, args, env) in enumerate(runs):
        out = tmp_path / f"run{n}"
        result = harness.run(stage, *inputs, *args, "--out", out, env=env)
        assert result.code == 0, f"{label}: {result.stderr[-3000:]}"
        outputs.append((label, out))
    first = outputs[0][1]
    differing = harness.differences_from_first(outputs, ignore_config=VARIED)
    files = sorted(p.name for p in first.iterdir() if p.name != harness.MANIFEST)
    case.outcome = (f"{len(outputs)} runs, {len(files)} files each ({', '.join(files)}): "
                    + ("all identical to the first" if not differing else "differ: " + "; ".join(differing)))
    assert not differing, differing
