"""The recommend stage as a whole process: bad inputs (missing or foreign neighbour outputs, refused by
manifest with exit 3 naming the file or directory), its output contract, byte-identical outputs
whatever the threads, the users per block and the passes over neighbour ranges (RECOMMEND_PASSES), and
sharded neighbour outputs read as one table
(byte-identical outputs from a complete set; an incomplete or mixed set refused, naming the shard).
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

import harness
from conftest import require

RELATED, USERS = "related_items.arrow", "user_recommendations.arrow"
CONTENT_FILE, BEHAVIOR_FILE = "content_neighbors.arrow", "behavior_neighbors.arrow"


def neighbours_of(features: Path, base: Path) -> tuple[Path, Path]:
    """Both neighbour outputs of `features`, under `base`."""
    content, behavior = base / "content", base / "behavior"
    for stage, out in ((harness.CONTENT, content), (harness.BEHAVIOR, behavior)):
        result = harness.run(stage, "--features", features, "--out", out)
        assert result.code == 0, result.stderr[-3000:]
    return content, behavior


@pytest.fixture(scope="session")
def inputs_small(features_small, tmp_path_factory) -> tuple[Path, Path, Path]:
    for stage in (harness.CONTENT, harness.BEHAVIOR, harness.RECOMMEND):
        require(stage)
    content, behavior = neighbours_of(features_small, tmp_path_factory.mktemp("neighbours-small"))
    return features_small, content, behavior


@pytest.fixture(scope="session")
def other_run_small(generated_small, tmp_path_factory) -> tuple[Path, Path, Path]:
    """The same raw inputs through features again: equal files, but another features run."""
    base = tmp_path_factory.mktemp("other-run")
    features = base / "features"
    result = harness.run(harness.FEATURES, "--items", generated_small / "items.csv", "--interactions",
                         generated_small / "interactions.csv", "--embeddings", generated_small / "embeddings.arrow",
                         "--out", features)
    assert result.code == 0, result.stderr
    return (features, *neighbours_of(features, base))


# --- damage to a copy of (features, content, behavior) ----------------------------------------------------

def edit_manifest(which: str, change: Callable[[dict], None]) -> Callable[[dict[str, Path], dict], None]:
    def damage(dirs: dict[str, Path], other: dict) -> None:
        manifest = harness.read_manifest(dirs[which])
        change(manifest)
        (dirs[which] / harness.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return damage


def delete(which: str, name: str) -> Callable[[dict[str, Path], dict], None]:
    return lambda dirs, other: (dirs[which] / name).unlink()


def truncate(which: str, name: str) -> Callable[[dict[str, Path], dict], None]:
    def damage(dirs: dict[str, Path], other: dict) -> None:
        data = (dirs[which] / name).read_bytes()
        (dirs[which] / name).write_bytes(data[: len(data) // 2])
        edit_manifest(which, lambda m: [o.update(bytes=len(data) // 2) for o in m["outputs"] if o["file"] == name])(dirs, other)
    return damage


def from_other_run(which: str) -> Callable[[dict[str, Path], dict], None]:
    """Replaces one neighbour output by the same stage's output on another features run."""
    def damage(dirs: dict[str, Path], other: dict) -> None:
        shutil.rmtree(dirs[which])
        shutil.copytree(other[which], dirs[which])
    return damage


def unlist(which: str, name: str) -> Callable[[dict[str, Path], dict], None]:
    return edit_manifest(which, lambda m: m.update(outputs=[o for o in m["outputs"] if o["file"] != name]))


@dataclass(frozen=True)
class Case:
    id: str
    what: str
    damage: Callable[[dict[str, Path], dict], None] | None
    exit: int
    error: tuple[str, ...] = ()

    def expected(self) -> str:
        if self.exit:
            return f"exit {self.exit}, message matching " + " and ".join(f"`{e}`" for e in self.error)
        return "exit 0, complete output, related/recommendation contract"


CASES = [
    Case("baseline", "intact features, content and behaviour outputs of one run (control)", None, 0),
    Case("content-file-missing", f"{CONTENT_FILE} deleted, still listed", delete("content", CONTENT_FILE), 3,
         (re.escape(CONTENT_FILE), "missing")),
    Case("behavior-file-missing", f"{BEHAVIOR_FILE} deleted, still listed", delete("behavior", BEHAVIOR_FILE), 3,
         (re.escape(BEHAVIOR_FILE), "missing")),
    Case("behavior-file-unlisted", f"{BEHAVIOR_FILE} not in the behaviour manifest", unlist("behavior", BEHAVIOR_FILE), 3,
         ("lists no " + re.escape(BEHAVIOR_FILE),)),
    Case("content-no-manifest", "the content output's manifest.json deleted (unfinished)", delete("content", harness.MANIFEST), 3,
         ("content", "has no manifest.json")),
    Case("behavior-other-stage", "--behavior names a content-similarity output",
         edit_manifest("behavior", lambda m: m.update(stage="content-similarity")), 3, ("written by stage 'content-similarity'",)),
    Case("content-other-features-run", "content neighbours computed from another features run of the same raw inputs",
         from_other_run("content"), 3, ("content/manifest.json", "another features run", "features")),
    Case("behavior-other-features-run", "behaviour neighbours computed from another features run of the same raw inputs",
         from_other_run("behavior"), 3, ("behavior/manifest.json", "another features run", "features")),
    Case("behavior-run-unrecorded", "behaviour manifest without input_runs (an older recstage)",
         edit_manifest("behavior", lambda m: m.pop("input_runs")), 3, ("behavior/manifest.json", r"\(unrecorded\)")),
    Case("features-no-run-id", "features manifest without run_id (an older recstage)",
         edit_manifest("features", lambda m: m.pop("run_id")), 3, ("features/manifest.json", "no run_id")),
    Case("behavior-lone-shard", "the behaviour output given is one shard (0/2) on its own", edit_manifest("behavior", lambda m: m["config"].update(shard="0/2")), 3,
         ("behavior", "shard 0/2")),
    Case("content-truncated", f"{CONTENT_FILE} cut in half (manifest size updated)", truncate("content", CONTENT_FILE), 3,
         (re.escape(CONTENT_FILE), "not a readable Arrow")),
]


# --- the output contract ------------------------------------------------------------------------------------

def decoded(path: Path) -> dict[str, list]:
    table = harness.read_table(path)
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        columns[name] = column.to_pylist()
    return columns


def check_lists(path: Path, key: str, value: str, top_n: int) -> dict[str, list]:
    """Rows grouped by `key` (contiguous), ranks 1.. up to top_n, scores finite and not increasing."""
    rows = decoded(path)
    seen, current, previous = set(), None, None
    for k, v, score, rank in zip(rows[key], rows[value], rows["score"], rows["rank"]):
        assert math.isfinite(score) and score > 0, f"{path.name}: {k} -> {v} has score {score}"
        if k != current:
            assert k not in seen, f"{path.name}: rows of {k} are not contiguous"
            seen.add(k)
            current, expected, previous, listed = k, 1, None, set()
        assert rank == expected and rank <= top_n, f"{path.name}: {k} rank {rank}, expected {expected}"
        assert previous is None or score <= previous, f"{path.name}: {k} scores increase at rank {rank}"
        assert v not in listed, f"{path.name}: {k} lists {v} twice"
        previous, expected = score, expected + 1
        listed.add(v)
    return rows


def check_contract(out: Path, features: Path) -> str:
    harness.check_complete_output(out)
    related = check_lists(out / RELATED, "item_id", "neighbor_id", 20)
    assert all(i != n for i, n in zip(related["item_id"], related["neighbor_id"])), "an item is related to itself"
    assert set(related["source"]) <= {"behavior", "content", "both"}
    users = check_lists(out / USERS, "user_id", "item_id", 20)
    assert set(users["reason"]) <= {"history", "popular"}
    for because, reason in zip(users["because"], users["reason"]):
        assert (because is None) == (reason == "popular"), "because is null exactly on popularity rows"
    interactions = harness.read_table(features / "interactions.arrow")
    user_ids = harness.read_table(features / "users.arrow").column("user_id").to_pylist()
    item_ids = harness.read_table(features / "items.arrow").column("item_id").to_pylist()
    seen = {(user_ids[u], item_ids[i]) for u, i in zip(interactions.column("user").to_pylist(), interactions.column("item").to_pylist())}
    assert not [p for p in zip(users["user_id"], users["item_id"]) if p in seen], "a seen item was recommended"
    assert not [p for p in zip(users["user_id"], users["because"]) if p[1] is not None and p not in seen], \
        "a because item is not in the user's history"
    assert set(users["user_id"]) == set(user_ids), "every user of the features gets a list"
    return f"{len(related['item_id'])} related rows, {len(users['user_id'])} recommendation rows for {len(set(users['user_id']))} users"


@pytest.mark.parametrize("spec", CASES, ids=[c.id for c in CASES])
def test_recommend_input_case(spec: Case, case, request, tmp_path):
    case.id, case.group, case.stage = f"recommend:{spec.id}", "Arrow input", harness.RECOMMEND
    case.input, case.expected = spec.what, spec.expected()
    features, content, behavior = request.getfixturevalue("inputs_small")
    dirs = {"features": tmp_path / "features", "content": tmp_path / "content", "behavior": tmp_path / "behavior"}
    for source, copy in zip((features, content, behavior), dirs.values()):
        shutil.copytree(source, copy)
    if spec.damage:
        other = dict(zip(("features", "content", "behavior"), request.getfixturevalue("other_run_small")))
        spec.damage(dirs, other)
    out = tmp_path / "out"
    result = harness.run(harness.RECOMMEND, "--features", dirs["features"], "--content", dirs["content"],
                         "--behavior", dirs["behavior"], "--out", out)
    case.outcome = result.summary()

    if harness.check_refusal(result, out, spec.exit, spec.error):
        return
    case.outcome += "; " + check_contract(out, dirs["features"])


# --- determinism ----------------------------------------------------------------------------------------------

RUNS = [
    ("threads 2, 1000 users per block", (), {"SIMILARITY_THREADS": "2", "RECOMMEND_BATCH_SIZE": "1000"}),
    ("the same again", (), {"SIMILARITY_THREADS": "2", "RECOMMEND_BATCH_SIZE": "1000"}),
    ("--threads 1", ("--threads", "1"), {"RECOMMEND_BATCH_SIZE": "1000"}),
    ("threads 4, 7 users per block", (), {"SIMILARITY_THREADS": "4", "RECOMMEND_BATCH_SIZE": "7"}),
    ("--batch-size 1, threads 3", ("--batch-size", "1"), {"SIMILARITY_THREADS": "3"}),
]
VARIED = ("SIMILARITY_THREADS", "RECOMMEND_BATCH_SIZE")


def test_recommend_outputs_are_byte_identical(case, request, tmp_path):
    case.id, case.group, case.stage = "recommend:determinism", "determinism", harness.RECOMMEND
    case.input = "the medium input; runs: " + "; ".join(label for label, _, _ in RUNS)
    case.expected = "every run's files byte-identical to the first's, manifests equal but for timings, memory and the varied settings"
    for stage in (harness.CONTENT, harness.BEHAVIOR, harness.RECOMMEND):
        require(stage)
    features = request.getfixturevalue("features_medium")
    content, behavior = neighbours_of(features, tmp_path)
    outputs = []
    for n, (label, args, env) in enumerate(RUNS):
        out = tmp_path / f"run{n}"
        result = harness.run(harness.RECOMMEND, "--features", features, "--content", content, "--behavior", behavior,
                             *args, "--out", out, env=env)
        assert result.code == 0, f"{label}: {result.stderr[-3000:]}"
        outputs.append((label, out))
    differing = harness.differences_from_first(outputs, ignore_config=VARIED)
    case.outcome = f"{len(outputs)} runs: " + ("all identical to the first" if not differing else "differ: " + "; ".join(differing))
    assert not differing, differing


# Under a 20 MiB max heap the medium input's lists (about 14 MB) do not fit beside the rest (the plan
# needs about 27 MB of usable heap with them); 1,000 users per block would need 6 MB more.
SMALL_HEAP = {"RECSTAGE_MAX_HEAP": "20m", "RECOMMEND_BATCH_SIZE": "10"}
PASS_RUNS = [
    ("one pass", {}),
    ("RECOMMEND_PASSES=3", {"RECOMMEND_PASSES": "3"}),
    ("RECOMMEND_PASSES=40, threads 3", {"RECOMMEND_PASSES": "40", "SIMILARITY_THREADS": "3"}),
    ("auto under a 20 MiB heap", SMALL_HEAP),
]


def test_recommend_in_passes_over_neighbour_ranges_gives_the_one_pass_bytes(case, request, tmp_path):
    case.id, case.group, case.stage = "recommend:passes", "out of memory", harness.RECOMMEND
    case.input = "the medium input; runs: " + "; ".join(label for label, _ in PASS_RUNS) + "; RECOMMEND_PASSES=0"
    case.expected = ("output files byte-identical whatever the passes; auto reads the lists in passes when they do not fit the "
                     "heap at once; the same neighbour counts in every manifest; RECOMMEND_PASSES=0 is exit 2")
    for stage in (harness.CONTENT, harness.BEHAVIOR, harness.RECOMMEND):
        require(stage)
    features = request.getfixturevalue("features_medium")
    content, behavior = neighbours_of(features, tmp_path)
    args = ("--features", features, "--content", content, "--behavior", behavior)
    outputs = []
    for n, (label, env) in enumerate(PASS_RUNS):
        out = tmp_path / f"run{n}"
        result = harness.run(harness.RECOMMEND, *args, "--out", out, env=env)
        assert result.code == 0, f"{label}: {result.stderr[-3000:]}"
        stats = json.loads((out / "manifest.json").read_text())["stats"]
        outputs.append((label, out, stats))
        assert ("do not fit the heap at once" in result.stdout + result.stderr) == label.startswith("auto"), label
    passes = [stats["passes"] for _, _, stats in outputs]
    assert passes[0] == 1 and passes[1] >= 3 and passes[2] >= 40 and passes[3] >= 2, passes
    _, first, first_stats = outputs[0]
    for label, out, stats in outputs[1:]:
        for name in (RELATED, USERS):
            assert (out / name).read_bytes() == (first / name).read_bytes(), f"{label}: {name} differs from the one-pass run's"
        for key in ("behavior_neighbors", "content_neighbors", "behavior_neighbors_not_positive", "users_from_history",
                    "users_from_popularity", "related_by_source", "items_without_related"):
            assert stats[key] == first_stats[key], f"{label}: {key}"
    refused = harness.run(harness.RECOMMEND, *args, "--out", tmp_path / "refused", env={"RECOMMEND_PASSES": "0"})
    assert harness.check_refusal(refused, tmp_path / "refused", 2, [r"RECOMMEND_PASSES"])
    case.outcome = f"{len(outputs)} runs identical, passes {passes}; RECOMMEND_PASSES=0 refused with exit 2"


def id_bytes(table: Path, column: str) -> int:
    """The bytes a column of ids takes as one Arrow string array: its UTF-8 data, offsets and validity."""
    ids = harness.read_table(table).column(column).to_pylist()
    return sum(len(i.encode("utf-8")) for i in ids) + 4 * (len(ids) + 1) + (len(ids) + 7) // 8


def test_recommend_plans_the_ids_it_reads_not_the_files(case, request, tmp_path):
    case.id, case.group, case.stage = "recommend:memory plan ids", "out of memory", harness.RECOMMEND
    case.input = "the medium input"
    case.expected = "the plan's off-heap item and user ids are the ids read (as allocated), not items.arrow + users.arrow"
    for stage in (harness.CONTENT, harness.BEHAVIOR, harness.RECOMMEND):
        require(stage)
    features = request.getfixturevalue("features_medium")
    content, behavior = neighbours_of(features, tmp_path)
    result = harness.run(harness.RECOMMEND, "--features", features, "--content", content, "--behavior", behavior, "--out", tmp_path / "out")
    assert result.code == 0, result.stderr[-3000:]
    planned = re.search(r"item and user ids ([0-9.]+) MB off-heap", result.stdout + result.stderr)
    assert planned, (result.stdout + result.stderr)[-3000:]
    mib = 1 << 20
    used = id_bytes(features / "items.arrow", "item_id") + id_bytes(features / "users.arrow", "user_id")
    files = (features / "items.arrow").stat().st_size + (features / "users.arrow").stat().st_size
    case.outcome = f"planned {planned.group(1)} MB; ids {used / mib:.2f} MiB used; files {files / mib:.1f} MiB"
    # Shown to 0.1 MB: at least the bytes the ids use, at most the allocator's doubling of them (and a page each).
    assert used / mib - 0.05 <= float(planned.group(1)) <= 2 * used / mib + 0.15, case.outcome
    assert float(planned.group(1)) * mib < files / 4, case.outcome


# --- sharded neighbour outputs ----------------------------------------------------------------------------

SHARDS = 3


def shard_dir(out: Path, i: int, n: int = SHARDS) -> Path:
    return out / f"shard-{i}-of-{n}"


def sharded_neighbours_of(features: Path, base: Path) -> tuple[Path, Path]:
    """Both neighbour stages run as SHARDS shards each, into shard-i-of-n/ under one directory per stage."""
    content, behavior = base / "content", base / "behavior"
    for stage, out in ((harness.CONTENT, content), (harness.BEHAVIOR, behavior)):
        for i in range(SHARDS):
            result = harness.run(stage, "--features", features, "--shard", f"{i}/{SHARDS}", "--out", shard_dir(out, i))
            assert result.code == 0, result.stderr[-3000:]
    return content, behavior


@pytest.fixture(scope="module")
def sharded_small(inputs_small, tmp_path_factory) -> tuple[Path, Path, Path]:
    features, _, _ = inputs_small
    return (features, *sharded_neighbours_of(features, tmp_path_factory.mktemp("sharded-small")))


def test_recommend_reads_a_complete_sharded_set_as_the_unsharded_output(inputs_small, sharded_small, case, tmp_path):
    case.id, case.group, case.stage = "recommend:sharded", "shards", harness.RECOMMEND
    case.input = f"the small input's content and behaviour neighbours, unsharded and as {SHARDS} shards each"
    case.expected = "exit 0 on both; related_items.arrow and user_recommendations.arrow byte-identical"
    features, content, behavior = inputs_small
    _, sharded_content, sharded_behavior = sharded_small
    outputs = {}
    for label, (c, b) in {"unsharded": (content, behavior), "sharded": (sharded_content, sharded_behavior)}.items():
        out = tmp_path / label
        result = harness.run(harness.RECOMMEND, "--features", features, "--content", c, "--behavior", b, "--out", out)
        assert result.code == 0, f"{label}: {result.stderr[-3000:]}"
        check_contract(out, features)
        outputs[label] = out
    for name in (RELATED, USERS):
        assert (outputs["unsharded"] / name).read_bytes() == (outputs["sharded"] / name).read_bytes(), f"{name} differs"
    manifest = harness.read_manifest(outputs["sharded"])
    assert manifest["stats"]["behavior_neighbors"] == harness.read_manifest(outputs["unsharded"])["stats"]["behavior_neighbors"]
    case.outcome = "both outputs byte-identical"


def break_one_shard(which: str, how: str) -> Callable[[dict[str, Path], dict], None]:
    def damage(dirs: dict[str, Path], other: dict) -> None:
        victim = shard_dir(dirs[which], 1)
        if how == "missing":
            shutil.rmtree(victim)
        elif how == "run id":
            manifest = harness.read_manifest(victim)
            manifest["input_runs"]["features"] = "another-run"
            (victim / harness.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        else:  # computed from another features run
            shutil.rmtree(victim)
            stage = harness.CONTENT if which == "content" else harness.BEHAVIOR
            result = harness.run(stage, "--features", other["features"], "--shard", f"1/{SHARDS}", "--out", victim)
            assert result.code == 0, result.stderr[-3000:]
    return damage


SHARD_CASES = [
    Case("content-shard-missing", f"shard 1 of the {SHARDS} content shards removed", break_one_shard("content", "missing"), 3,
         ("content", f"shard 1 of {SHARDS} is missing", "incomplete set")),
    Case("behavior-shard-other-features-run", f"behaviour shard 1 of {SHARDS} computed from another features run",
         break_one_shard("behavior", "foreign"), 3, (f"behavior/shard-1-of-{SHARDS}/manifest.json", "not of one run")),
    Case("content-shard-run-id", f"content shard 1 of {SHARDS} records another features run id (same input files)",
         break_one_shard("content", "run id"), 3, (f"content/shard-1-of-{SHARDS}/manifest.json", "another features run")),
]


@pytest.mark.parametrize("spec", SHARD_CASES, ids=[c.id for c in SHARD_CASES])
def test_recommend_refuses_a_broken_sharded_set(spec: Case, sharded_small, case, request, tmp_path):
    case.id, case.group, case.stage = f"recommend:{spec.id}", "shards", harness.RECOMMEND
    case.input, case.expected = spec.what, spec.expected()
    dirs = {"features": sharded_small[0], "content": tmp_path / "content", "behavior": tmp_path / "behavior"}
    shutil.copytree(sharded_small[1], dirs["content"])
    shutil.copytree(sharded_small[2], dirs["behavior"])
    other = {"features": request.getfixturevalue("other_run_small")[0]}
    spec.damage(dirs, other)
    out = tmp_path / "out"
    result = harness.run(harness.RECOMMEND, "--features", dirs["features"], "--content", dirs["content"],
                         "--behavior", dirs["behavior"], "--out", out)
    case.outcome = result.summary()
    assert harness.no_stack_trace(result), result.stderr[-3000:]
    assert result.code == spec.exit, result.stderr[-3000:]
    assert not out.exists(), "a failed run must not publish an output directory"
    for pattern in spec.error:
        assert re.search(pattern, result.error), f"{pattern!r} not in {result.error!r}"
