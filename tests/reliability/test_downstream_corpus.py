"""Bad Arrow inputs to the downstream stages: each case damages a copy of a complete features output.

content-similarity reads items.arrow and embeddings.arrow, behavior-cooccurrence reads
interactions.arrow and items.arrow; every file each one reads gets each kind of damage. Every
case also checks that a failed run publishes nothing and says why in one line, and that a
successful one writes neighbour files that keep DESIGN.md's contract.
"""

from __future__ import annotations

import json
import math
import random
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

import harness
from conftest import require
from features_cases import BASE_IDS, DIM, Corpus, _base_vectors, _embeddings

READS = {harness.CONTENT: ("items.arrow", "embeddings.arrow"), harness.BEHAVIOR: ("interactions.arrow", "items.arrow")}
NEIGHBOR_FILES = {harness.CONTENT: ("content_neighbors.arrow", "vector_neighbors.arrow"), harness.BEHAVIOR: ("behavior_neighbors.arrow",)}
DEFAULT_TOP_K = 200


# --- damage --------------------------------------------------------------------------------------------

def set_listed_size(features: Path, name: str) -> None:
    """Makes the manifest agree with the file's new size, so that the damage reaches the Arrow reader."""
    manifest = harness.read_manifest(features)
    for entry in manifest["outputs"]:
        if entry["file"] == name:
            entry["bytes"] = (features / name).stat().st_size
    (features / harness.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def truncate(name: str) -> Callable[[Path], None]:
    def damage(features: Path) -> None:
        data = (features / name).read_bytes()
        (features / name).write_bytes(data[: len(data) // 2])
        set_listed_size(features, name)
    return damage


def random_bytes(name: str) -> Callable[[Path], None]:
    def damage(features: Path) -> None:
        size = (features / name).stat().st_size
        (features / name).write_bytes(random.Random(name).randbytes(size))
    return damage


def other_table(name: str) -> Callable[[Path], None]:
    def damage(features: Path) -> None:
        shutil.copyfile(features / "users.arrow", features / name)
        set_listed_size(features, name)
    return damage


def schema_version(name: str, version: bytes = b"2") -> Callable[[Path], None]:
    """Rewrites the value "1" of recstage.schema_version in place (schema message and footer): same
    bytes otherwise, so that the version check and nothing else can refuse the file."""
    def damage(features: Path) -> None:
        data = (features / name).read_bytes()
        one = b"\x01\x00\x00\x001\x00"  # flatbuffer string: length 1, "1", NUL
        assert data.count(b"recstage.schema_version") >= 1 and data.count(one) >= 2, "schema metadata not where expected"
        (features / name).write_bytes(data.replace(one, b"\x01\x00\x00\x00" + version + b"\x00"))
    return damage


def wrong_column_types(name: str) -> Callable[[Path], None]:
    """The same rows and metadata under another schema: int32 columns widened to int64, utf8 to
    large_utf8 (pyarrow also renumbers the dictionaries, which a reader must refuse too)."""
    wider = {pa.int32(): pa.int64(), pa.string(): pa.large_string()}

    def damage(features: Path) -> None:
        table = harness.read_table(features / name)
        fields = [pa.field(f.name, wider.get(f.type, f.type), f.nullable) for f in table.schema]
        table = table.cast(pa.schema(fields, metadata=table.schema.metadata))
        with pa.OSFile(str(features / name), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        set_listed_size(features, name)
    return damage


def delete(name: str) -> Callable[[Path], None]:
    return lambda features: (features / name).unlink()


def append_bytes(name: str) -> Callable[[Path], None]:
    def damage(features: Path) -> None:
        with open(features / name, "ab") as f:
            f.write(b"\0" * 16)
    return damage


def edit_manifest(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def damage(features: Path) -> None:
        manifest = harness.read_manifest(features)
        change(manifest)
        (features / harness.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return damage


def remove_directory(features: Path) -> None:
    shutil.rmtree(features)


# --- cases ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    what: str
    damage: Callable[[Path], None] | None
    exit: int
    error: tuple[str, ...] = ()
    base: str = "small"  # which features output the case starts from (fixtures below)
    check: Callable[[str, Path], None] | None = None
    checks: str = ""

    def expected(self) -> str:
        if self.exit:
            return f"exit {self.exit}, message matching " + " and ".join(f"`{e}`" for e in self.error)
        return "exit 0, complete output, neighbour contract" + (f"; {self.checks}" if self.checks else "")


def cases_for(stage: str) -> list[Case]:
    first = READS[stage][0]
    cases = [Case("arrow-baseline", "an intact features output (control)", None, 0, check=_full_neighbor_lists,
                  checks="every item has min(K, its candidates) neighbours, the candidates counted from the features")]
    for name in READS[stage]:
        pattern = re.escape(name)
        cases += [
            Case(f"arrow-truncated-{name}", f"{name} cut in half (manifest size updated)", truncate(name), 3, (pattern, "not a readable Arrow")),
            Case(f"arrow-random-bytes-{name}", f"{name} replaced by random bytes of the same size", random_bytes(name), 3, (pattern, "not a readable Arrow")),
            Case(f"arrow-other-table-{name}", f"{name} replaced by users.arrow", other_table(name), 3, (pattern, "holds table 'users'")),
            Case(f"arrow-schema-version-{name}", f"{name} with recstage.schema_version 2", schema_version(name), 3, (pattern, "schema version 2")),
            Case(f"arrow-other-schema-{name}", f"{name} rewritten with int64 and large_utf8 columns, same table and version",
                 wrong_column_types(name), 3,
                 # the widened column, or the renumbered dictionary of a dictionary-encoded one
                 (pattern, r"column '\w+' is (Int\(64, true\)|LargeUtf8), expected|has no dictionary \d")),
        ]
    cases += [
        Case("dir-missing", "--features names a directory that does not exist", remove_directory, 3, ("does not exist",)),
        Case("dir-no-manifest", "manifest.json deleted (an unfinished output)", delete(harness.MANIFEST), 3, ("has no manifest.json",)),
        Case("manifest-lists-missing-file", f"{first} deleted, still listed", delete(first), 3, (re.escape(first), "missing")),
        Case("manifest-wrong-size", f"16 bytes appended to {first}", append_bytes(first), 3, (re.escape(first), "bytes but")),
        Case("manifest-not-json", "manifest.json holds no JSON", lambda f: (f / harness.MANIFEST).write_text("{ not json"), 3,
             ("manifest.json", "cannot be read")),
        Case("manifest-other-stage", "manifest written by stage 'content-similarity'",
             edit_manifest(lambda m: m.update(stage="content-similarity")), 3, ("written by stage 'content-similarity'",)),
        Case("manifest-format-version", "manifest format_version 2", edit_manifest(lambda m: m.update(format_version=2)), 3,
             ("format version 2",)),
    ]
    if stage == harness.CONTENT:
        cases.append(Case("features-zero-vectors", "embeddings with all-zero vectors for i04 and i08", None, 0, base="zero-vectors",
                          check=_zero_vectors, checks="finite scores; i04, i08 have no vector neighbours and are nobody's"))
    if stage == harness.BEHAVIOR:
        cases.append(Case("features-no-interactions", "a features output with 0 interactions (built with --as-of)", None, 0,
                          base="no-interactions", check=_no_neighbors, checks="0 neighbour rows"))
    return cases


# --- features outputs the cases start from ----------------------------------------------------------------

def _features_of(tmp_path_factory, name: str, *args) -> Path:
    require(harness.FEATURES)
    out = tmp_path_factory.mktemp(name) / "features"
    result = harness.run(harness.FEATURES, *args, "--out", out)
    assert result.code == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def features_zero_vectors(tmp_path_factory) -> Path:
    vectors = tmp_path_factory.mktemp("zero-vectors-input") / "vectors.arrow"
    _embeddings(_base_vectors({4: [0.0] * DIM, 8: [0.0] * DIM}))(vectors)
    return _features_of(tmp_path_factory, "zero-vectors", "--items", Corpus("base/items.csv").materialize(None),
                        "--interactions", Corpus("base/interactions.csv").materialize(None), "--embeddings", vectors)


@pytest.fixture(scope="session")
def features_no_interactions(tmp_path_factory) -> Path:
    return _features_of(tmp_path_factory, "no-interactions", "--items", Corpus("base/items.csv").materialize(None),
                        "--interactions", Corpus("header-only/interactions.csv").materialize(None),
                        "--as-of", "2024-04-01T00:00:00Z")


# --- checks -----------------------------------------------------------------------------------------------

def neighbors(path: Path) -> dict[str, list]:
    table = harness.read_table(path)
    columns = {}
    for name in ("item_id", "neighbor_id", "score", "rank"):
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        columns[name] = column.to_pylist()
    return columns


def check_neighbor_contract(path: Path, top_k: int) -> None:
    """DESIGN.md: one row per (item, neighbour), ordered by item then rank 1.., at most K per item,
    never the item itself; scores finite and not increasing with rank."""
    rows = neighbors(path)
    seen_items, current, previous_score = set(), None, None
    for item, neighbor, score, rank in zip(rows["item_id"], rows["neighbor_id"], rows["score"], rows["rank"]):
        assert item != neighbor, f"{path.name}: {item} lists itself"
        assert math.isfinite(score), f"{path.name}: {item} -> {neighbor} has score {score}"
        if item != current:
            assert item not in seen_items, f"{path.name}: rows of {item} are not contiguous"
            seen_items.add(item)
            current, expected_rank, previous_score = item, 1, None
        assert rank == expected_rank, f"{path.name}: {item} rank {rank}, expected {expected_rank}"
        assert rank <= top_k
        assert previous_score is None or score <= previous_score, f"{path.name}: {item} scores increase at rank {rank}"
        previous_score, expected_rank = score, expected_rank + 1


def _full_neighbor_lists(stage: str, out: Path) -> None:
    """The control's neighbour lists are full, not merely well-formed: for content (every generated
    item has text and a vector) each item lists min(K, N-1) neighbours; for behaviour each item lists
    min(K, the number of other items its users have), counted here from the features' interactions."""
    features = Path(harness.read_manifest(out)["inputs"][0]["path"]).parent
    items = harness.read_table(features / "items.arrow").num_rows
    if stage == harness.CONTENT:
        for name in NEIGHBOR_FILES[stage]:
            counts = Counter(neighbors(out / name)["item_id"])
            assert len(counts) == items and set(counts.values()) == {min(DEFAULT_TOP_K, items - 1)}, f"{name}: {counts}"
        return
    interactions = harness.read_table(features / "interactions.arrow")
    items_of_user: dict[int, set[int]] = {}
    for user, item in zip(interactions.column("user").to_pylist(), interactions.column("item").to_pylist()):
        items_of_user.setdefault(user, set()).add(item)
    others: dict[int, set[int]] = {}
    for history in items_of_user.values():
        for item in history:
            others.setdefault(item, set()).update(history - {item})
    ids = harness.read_table(features / "items.arrow").column("item_id").to_pylist()
    expected = {ids[item]: min(DEFAULT_TOP_K, len(o)) for item, o in others.items() if o}
    assert expected, "the control has no co-occurring items"
    assert Counter(neighbors(out / "behavior_neighbors.arrow")["item_id"]) == expected


def _zero_vectors(stage: str, out: Path) -> None:
    rows = neighbors(out / "vector_neighbors.arrow")
    pairs = list(zip(rows["item_id"], rows["neighbor_id"]))
    assert not [p for p in pairs if "i04" in p or "i08" in p], "a zero vector has no direction: it cannot be anyone's vector neighbour"
    assert all(math.isfinite(s) for s in neighbors(out / "content_neighbors.arrow")["score"])


def _no_neighbors(stage: str, out: Path) -> None:
    assert harness.read_table(out / "behavior_neighbors.arrow").num_rows == 0


# --- the test ---------------------------------------------------------------------------------------------

PARAMS = [pytest.param(stage, c, id=f"{stage}-{c.id}") for stage in READS for c in cases_for(stage)]


@pytest.mark.parametrize("stage, spec", PARAMS)
def test_downstream_case(stage: str, spec: Case, case, request, tmp_path):
    case.id, case.group, case.stage = f"{stage}:{spec.id}", "Arrow input", stage
    case.input, case.expected = spec.what, spec.expected()
    require(stage)
    base = request.getfixturevalue({"small": "features_small", "zero-vectors": "features_zero_vectors",
                                    "no-interactions": "features_no_interactions"}[spec.base])
    features = tmp_path / "features"
    shutil.copytree(base, features)
    if spec.damage:
        spec.damage(features)
    out = tmp_path / "out"
    result = harness.run(stage, "--features", features, "--out", out)
    case.outcome = result.summary()

    if harness.check_refusal(result, out, spec.exit, spec.error):
        return
    manifest = harness.check_complete_output(out)
    for name in NEIGHBOR_FILES[stage]:
        if manifest and any(o["file"] == name for o in manifest["outputs"]):
            check_neighbor_contract(out / name, DEFAULT_TOP_K)
    if spec.check:
        spec.check(stage, out)
