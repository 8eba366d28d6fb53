"""Environment cases of every stage: malformed configuration values and options (exit 2 with a
message that names the setting), and the output directory: not writable, not a previous output
(left alone), or a previous output (replaced atomically: a reader watching it during the run
sees the old output, the new one or nothing, never a mix, and no old file survives)."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import harness
from conftest import require
from features_cases import CORPUS, _base_vectors, _embeddings

F, C, B = harness.FEATURES, harness.CONTENT, harness.BEHAVIOR


@dataclass(frozen=True)
class Setting:
    stage: str
    env: tuple[tuple[str, str], ...] = ()
    args: tuple[str, ...] = ()
    exit: int = 2
    error: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        given = [f"{k}={v}" for k, v in self.env] + list(self.args)
        return f"{self.stage}:" + " ".join(given)

    def expected(self) -> str:
        if self.exit == 0:
            return "exit 0 (the stage reads no such setting)"
        return f"exit {self.exit}, message matching " + " and ".join(f"`{e}`" for e in self.error)


def env(stage: str, name: str, value: str, *error: str, exit: int = 2) -> Setting:
    return Setting(stage, ((name, value),), (), exit, error or (name, re.escape(value)))


def opt(stage: str, *args: str, error: tuple[str, ...]) -> Setting:
    return Setting(stage, (), args, 2, error)


SETTINGS = [
    *(env(stage, "SIMILARITY_TOP_K", value) for stage in (C, B) for value in ("abc", "-5", "0")),
    env(B, "BEHAVIOR_SIMILARITY_TOP_K", "abc"),
    env(B, "BEHAVIOR_SIMILARITY_TOP_K", "0"),
    *(env(stage, "SIMILARITY_BATCH_SIZE", value) for stage in (C, B) for value in ("abc", "0", "-3")),
    *(env(stage, "SIMILARITY_THREADS", value) for stage in (C, B) for value in ("abc", "0")),
    env(C, "USE_FAISS_RECALL", "maybe"),
    *(env(stage, "USE_LEGACY_SIMILARITY", "2") for stage in (C, B)),
    env(B, "BEHAVIOR_MAX_ITEMS_PER_USER", "-1"),
    env(B, "BEHAVIOR_METRIC", "euclid"),
    opt(C, "--top-k", "-5", error=("--top-k", "-5")),
    opt(B, "--top-k", "0", error=("--top-k",)),
    opt(C, "--threads", "0", error=("--threads",)),
    opt(C, "--batch-size", "many", error=("--batch-size", "many")),
    opt(B, "--shard", "3/2", error=("--shard", "3/2")),
    env(F, "SIMILARITY_TOP_K", "abc", exit=0),
    opt(F, "--max-reject-ratio", "2", error=("--max-reject-ratio",)),
    opt(F, "--since", "yesterday", error=("--since", "yesterday")),
    opt(F, "--items-map", "item_id", error=("--items-map",)),
    opt(F, "--no-such-option", error=("--no-such-option",)),
    *(env(stage, "RECSTAGE_MEMORY_LIMIT", "lots", "lots", "memory quantity") for stage in harness.STAGES),
    # With the heap given, the launcher passes the limit on unread: the stage itself must refuse it.
    *(Setting(stage, (("RECSTAGE_MAX_HEAP", "256Mi"), ("RECSTAGE_MEMORY_LIMIT", "lots")), (), 2, ("RECSTAGE_MEMORY_LIMIT", "lots"))
      for stage in harness.STAGES),
]


def stage_inputs(stage: str, request) -> list:
    if stage == F:
        return ["--items", CORPUS / "base" / "items.csv", "--interactions", CORPUS / "base" / "interactions.csv"]
    return ["--features", request.getfixturevalue("features_small")]


def error_message(result: harness.Run) -> str:
    """The stage's `error:` line, or for the launcher's own refusals its stderr."""
    return result.error or result.stderr.strip()


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.id)
def test_setting(setting: Setting, case, request, tmp_path):
    case.id, case.group, case.stage = setting.id, "configuration", setting.stage
    case.input = "environment " + " ".join(f"{k}={v}" for k, v in setting.env) if setting.env else "option " + " ".join(setting.args)
    case.expected = setting.expected()
    require(setting.stage)
    out = tmp_path / "out"
    result = harness.run(setting.stage, *stage_inputs(setting.stage, request), *setting.args, "--out", out, env=dict(setting.env))
    case.outcome = result.summary() if result.error or result.code == 0 else f"exit {result.code}: {harness.abbreviate(error_message(result), 160)}"
    assert harness.no_stack_trace(result), result.stderr[-3000:]
    assert result.code == setting.exit, result.stderr[-3000:]
    if setting.exit:
        assert not out.exists()
        message = error_message(result)
        assert len(message.splitlines()) <= 2, f"not a short message: {message!r}"
        for pattern in setting.error:
            assert re.search(pattern, message), f"{pattern!r} not in {message!r}"


# --- the output directory ---------------------------------------------------------------------------------

def unwritable_directory(tmp_path: Path) -> Path | None:
    """A directory this process cannot create entries in: a read-only one for a normal user; for
    root (which ignores permissions) /sys, which refuses everyone."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        return locked
    try:
        (Path("/sys") / f"recstage-probe-{os.getpid()}").mkdir()
    except OSError:
        return Path("/sys")
    return None


@pytest.mark.parametrize("stage", harness.STAGES)
def test_output_not_writable(stage, case, request, tmp_path):
    case.id, case.group, case.stage = f"{stage}:out-not-writable", "output directory", stage
    case.input = "--out inside a directory that cannot be written"
    case.expected = "exit 2, message naming --out and its parent and what to do, without the staging directory or a Java name"
    require(stage)
    parent = unwritable_directory(tmp_path)
    if parent is None:
        harness.missing_prerequisite("no unwritable directory available to this user")
    result = harness.run(stage, *stage_inputs(stage, request), "--out", parent / "out")
    case.outcome = result.summary()
    assert harness.no_stack_trace(result)
    assert result.code == 2, result.stderr[-3000:]
    out = parent / "out"
    assert re.fullmatch(rf"error: cannot create --out {re.escape(str(out))}: [a-z ]+ in {re.escape(str(parent))} "
                        rf"\(choose another --out, or make {re.escape(str(parent))} writable\)", result.error), result.error
    assert ".staging-" not in result.error and "Exception" not in result.error


@pytest.mark.parametrize("stage", harness.STAGES)
def test_output_is_not_an_output(stage, case, request, tmp_path):
    """--out pointing at someone's files (a directory without manifest.json, or a file) is refused,
    not deleted: only a previous output is ever replaced."""
    case.id, case.group, case.stage = f"{stage}:out-foreign", "output directory", stage
    case.input = "--out is a non-empty directory without manifest.json; then --out is a regular file"
    case.expected = "exit 2 both times, message naming --out; the directory and the file untouched"
    require(stage)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not recstage's")
    first = harness.run(stage, *stage_inputs(stage, request), "--out", foreign)
    a_file = tmp_path / "report.csv"
    a_file.write_text("a,b\n")
    second = harness.run(stage, *stage_inputs(stage, request), "--out", a_file)
    case.outcome = f"directory: {first.summary()}; file: {second.summary()}"
    assert (foreign / "notes.txt").read_text() == "not recstage's" and sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
    assert a_file.read_text() == "a,b\n"
    for result in (first, second):
        assert harness.no_stack_trace(result)
        assert result.code == 2, result.stderr[-3000:]
        assert "--out" in result.error
    assert not harness.leftovers(foreign) and not harness.leftovers(a_file)


class DirectoryWatcher:
    """Looks at an output directory as fast as it can from another thread, as a reader would: each
    look lists it and reads its manifest through one open directory handle (so a look never mixes two
    directories), and records the manifest's `created` or 'absent'. A look that finds a directory
    without a manifest, or files that disagree with it, is a failure unless that directory was
    being moved away or deleted during the look."""

    def __init__(self, out: Path):
        self.out = out
        self.seen: list[str] = []
        self.broken: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _watch(self):
        while not self._stop.is_set():
            state = self.look()
            if not self.seen or self.seen[-1] != state:
                self.seen.append(state)
            time.sleep(0.002)

    def look(self) -> str:
        try:
            fd = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            return "absent"
        try:
            names = set(os.listdir(fd))
            if harness.MANIFEST not in names:
                raise AssertionError(f"no manifest; files {sorted(names)}")
            with open(os.open(harness.MANIFEST, os.O_RDONLY, dir_fd=fd), encoding="utf-8") as f:
                manifest = json.load(f)
            listed = {o["file"]: o["bytes"] for o in manifest["outputs"]}
            if names != set(listed) | {harness.MANIFEST}:
                raise AssertionError(f"files {sorted(names)}, manifest lists {sorted(listed)}")
            for name, size in listed.items():
                if os.stat(name, dir_fd=fd).st_size != size:
                    raise AssertionError(f"{name} is not of its listed size")
            return manifest["created"]
        except (AssertionError, OSError, ValueError) as problem:
            if self._moved(fd):
                return "in transition"
            self.broken.append(str(problem))
            return "broken"
        finally:
            os.close(fd)

    def _moved(self, fd: int) -> bool:
        handle = os.fstat(fd)
        try:
            return handle.st_nlink == 0 or os.stat(self.out).st_ino != handle.st_ino
        except FileNotFoundError:
            return True


def previous_run_variants(stage: str, request, tmp_path: Path) -> tuple[list, list, str]:
    """Arguments of a first run and of a second run whose output lacks a file of the first."""
    if stage == F:
        vectors = tmp_path / "vectors.arrow"
        _embeddings(_base_vectors())(vectors)
        inputs = stage_inputs(F, request)
        return inputs + ["--embeddings", vectors], inputs, "embeddings.arrow"
    inputs = stage_inputs(stage, request)
    # content-similarity writes vector_neighbors.arrow only with USE_FAISS_RECALL=1 (first run).
    return inputs, inputs, "vector_neighbors.arrow" if stage == C else ""


@pytest.mark.parametrize("stage", harness.STAGES)
def test_output_replaces_previous_run(stage, case, request, tmp_path):
    case.id, case.group, case.stage = f"{stage}:out-previous-run", "output directory", stage
    case.input = "--out holds a complete earlier output with a file the new run does not write"
    case.expected = ("exit 0; the new output is complete and the old file gone; a reader polling --out during the run "
                     "sees only the old output, nothing, or the new one")
    require(stage)
    first_args, second_args, dropped = previous_run_variants(stage, request, tmp_path)
    out = tmp_path / "out"
    first = harness.run(stage, *first_args, "--out", out, env={"USE_FAISS_RECALL": "1"})
    assert first.code == 0, first.stderr[-3000:]
    old = harness.check_complete_output(out)
    if not dropped:
        # No option makes this stage write fewer files: list an extra file in the old manifest, as an older version might have.
        dropped = "from_an_older_version.arrow"
        (out / dropped).write_bytes(b"old")
        old["outputs"].append({"file": dropped, "bytes": 3, "rows": None})
        (out / harness.MANIFEST).write_text(json.dumps(old), encoding="utf-8")
    assert (out / dropped).exists()

    with DirectoryWatcher(out) as watcher:
        second = harness.run(stage, *second_args, "--out", out, env={"USE_FAISS_RECALL": "0"})
    new = harness.check_complete_output(out)
    states = [s if s in ("absent", "in transition", "broken") else ("old" if s == old["created"] else "new" if s == new["created"] else s)
              for s in watcher.seen]
    case.outcome = f"{second.summary()}; {dropped} gone: {not (out / dropped).exists()}; reader saw {' -> '.join(states)}"
    assert second.code == 0, second.stderr[-3000:]
    assert not (out / dropped).exists()
    assert not watcher.broken, watcher.broken
    assert set(states) <= {"old", "new", "absent", "in transition"}, states
    assert states[0] == "old" and states[-1] == "new", states
    assert not harness.leftovers(out)
