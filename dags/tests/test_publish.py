"""The publish step: all manifests or nothing, relative pointers, replaced by one atomic rename."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from recstage_dags import publish
from tests.conftest import DAGS_DIR

STAGES = ["features", "content-similarity", "behavior-cooccurrence", "recommend"]


def make_run(root, name, stages=STAGES):
    run = root / "runs" / "dag" / name
    for stage in stages:
        (run / stage).mkdir(parents=True)
        (run / stage / "manifest.json").write_text("{}")
    return f"runs/dag/{name}"


def test_publish_points_latest_at_the_run_with_a_relative_link(tmp_path):
    run = make_run(tmp_path, "r1")
    publish.publish(tmp_path, run, STAGES, [("latest", "."), ("models/tfidf-current", "content-similarity")])
    assert os.readlink(tmp_path / "latest") == "runs/dag/r1"
    assert os.readlink(tmp_path / "models" / "tfidf-current") == "../runs/dag/r1/content-similarity"
    assert (tmp_path / "models" / "tfidf-current" / "manifest.json").is_file()


def test_a_new_run_replaces_the_pointer_and_leaves_no_temporary(tmp_path):
    publish.publish(tmp_path, make_run(tmp_path, "r1"), STAGES, [("latest", ".")])
    publish.publish(tmp_path, make_run(tmp_path, "r2"), STAGES, [("latest", ".")])
    assert os.readlink(tmp_path / "latest") == "runs/dag/r2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest", "runs"]


def test_a_run_missing_a_manifest_is_not_published(tmp_path):
    publish.publish(tmp_path, make_run(tmp_path, "r1"), STAGES, [("latest", ".")])
    half = make_run(tmp_path, "r2", stages=STAGES[:2])
    (tmp_path / half / "behavior-cooccurrence").mkdir()  # a stage that died before its manifest
    with pytest.raises(publish.PublishError, match="behavior-cooccurrence"):
        publish.publish(tmp_path, half, STAGES, [("latest", ".")])
    assert os.readlink(tmp_path / "latest") == "runs/dag/r1"


def test_a_real_directory_is_never_replaced(tmp_path):
    (tmp_path / "latest").mkdir()
    with pytest.raises(publish.PublishError, match="not a symlink"):
        publish.publish(tmp_path, make_run(tmp_path, "r1"), STAGES, [("latest", ".")])


def test_the_switch_is_a_rename_over_the_old_link(tmp_path, monkeypatch):
    """Readers never see a missing pointer: the link is created aside and moved over with os.replace."""
    publish.publish(tmp_path, make_run(tmp_path, "r1"), STAGES, [("latest", ".")])
    run2 = make_run(tmp_path, "r2")
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((os.readlink(src), os.readlink(dst)))  # old link still in place at this moment
        real_replace(src, dst)

    monkeypatch.setattr(publish.os, "replace", spy)
    publish.publish(tmp_path, run2, STAGES, [("latest", ".")])
    assert calls == [("runs/dag/r2", "runs/dag/r1")]


@pytest.mark.parametrize("spec", ["latest", "=.", "/abs=.", "../out=."])
def test_pointer_must_stay_below_the_root(tmp_path, spec):
    with pytest.raises(SystemExit):
        publish.main(["--root", str(tmp_path), "--run", "runs/x", "--link", spec])


def test_runs_as_python_c_like_in_the_publish_pod(tmp_path):
    run = make_run(tmp_path, "r1")
    source = (DAGS_DIR / "recstage_dags" / "publish.py").read_text()
    argv = ["--root", str(tmp_path), "--run", run, *[a for s in STAGES for a in ("--stage", s)], "--link", "latest=."]
    done = subprocess.run([sys.executable, "-I", "-c", source, *argv], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert os.readlink(tmp_path / "latest") == "runs/dag/r1"

    (tmp_path / make_run(tmp_path, "r2") / "features" / "manifest.json").unlink()
    refused = subprocess.run([sys.executable, "-I", "-c", source, *argv[:3], "runs/dag/r2", *argv[4:]],
                             capture_output=True, text=True)
    assert refused.returncode == 3 and "features" in refused.stderr
    assert os.readlink(tmp_path / "latest") == "runs/dag/r1"
