"""Sharded outputs read as one table: the shards' neighbour files, concatenated in shard order, hold
byte for byte the unsharded output's rows (content with its vector channel, and behaviour), and every
reader downstream takes the sharded directory as the table: `export`, `inspect`, pyarrow.dataset
(the recipe of README "Sharded outputs"). An incomplete set of shards is refused, naming the shard."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

import harness
from conftest import require

SHARDS = 3
TABLES = {harness.CONTENT: ("content_neighbors.arrow", "vector_neighbors.arrow"),
          harness.BEHAVIOR: ("behavior_neighbors.arrow",)}
# Whole-catalogue files every shard writes in full (not split by rows).
SHARED_FILES = {harness.CONTENT: ("tfidf_model.arrow",), harness.BEHAVIOR: ()}


def shard_dir(out, i: int, n: int = SHARDS):
    return out / f"shard-{i}-of-{n}"


def ipc_body(table: pa.Table) -> bytes:
    """The table's rows as one record batch in an IPC stream: equal bytes mean equal schema,
    dictionaries and column buffers, whatever batches the rows came in."""
    sink = pa.BufferOutputStream()
    combined = table.combine_chunks()
    with pa.ipc.new_stream(sink, combined.schema) as writer:
        writer.write_table(combined, max_chunksize=max(1, combined.num_rows))
    return sink.getvalue().to_pybytes()


@pytest.fixture(scope="module", params=sorted(TABLES))
def whole_and_shards(request, features_medium, tmp_path_factory):
    stage = request.param
    require(stage)
    base = tmp_path_factory.mktemp(f"shards-{stage}")
    whole = base / "whole"
    result = harness.run(stage, "--features", features_medium, "--out", whole)
    assert result.code == 0, result.stderr[-3000:]
    sharded = base / "sharded"
    for i in range(SHARDS):
        result = harness.run(stage, "--features", features_medium, "--shard", f"{i}/{SHARDS}", "--out", shard_dir(sharded, i))
        assert result.code == 0, result.stderr[-3000:]
        harness.check_complete_output(shard_dir(sharded, i))
    return stage, whole, sharded


def test_concatenated_shards_are_byte_identical_to_the_unsharded_output(whole_and_shards, case):
    stage, whole, sharded = whole_and_shards
    case.id, case.group, case.stage = f"{stage}:shards-concatenate", "shards", stage
    case.input = f"the medium input, unsharded and as --shard i/{SHARDS} into shard-i-of-{SHARDS}/"
    case.expected = "each neighbour file's shards, concatenated in order, byte-identical (IPC body) to the unsharded file; manifests' rows add up"
    for name in TABLES[stage]:
        expected = harness.read_table(whole / name)
        parts = [harness.read_table(shard_dir(sharded, i) / name) for i in range(SHARDS)]
        assert all(part.num_rows > 0 for part in parts), f"{name}: a shard is empty, the test would prove little"
        assert all(part.schema.equals(expected.schema, check_metadata=True) for part in parts)
        assert ipc_body(pa.concat_tables(parts)) == ipc_body(expected), f"{name}: shards differ from the unsharded output"
        rows = sum(entry["rows"] for i in range(SHARDS) for entry in harness.read_manifest(shard_dir(sharded, i))["outputs"]
                   if entry["file"] == name)
        assert rows == expected.num_rows
    for name in SHARED_FILES[stage]:
        for i in range(SHARDS):
            assert (shard_dir(sharded, i) / name).read_bytes() == (whole / name).read_bytes(), f"{name} of shard {i}"
    case.outcome = f"{', '.join(TABLES[stage])}: {SHARDS} shards concatenate to the unsharded bytes"


def test_pyarrow_dataset_over_the_shard_files_in_order_is_the_table(whole_and_shards):
    stage, whole, sharded = whole_and_shards
    for name in TABLES[stage]:
        files = [str(shard_dir(sharded, i) / name) for i in range(SHARDS)]
        table = ds.dataset(files, format="ipc").to_table()
        assert table.equals(harness.read_table(whole / name))


def test_export_and_inspect_read_the_sharded_directory_as_one_table(whole_and_shards, tmp_path):
    stage, whole, sharded = whole_and_shards
    require("generate")  # the tools jar
    name = TABLES[stage][0]
    exported = {}
    for label, out in (("whole", whole), ("sharded", sharded)):
        csv = tmp_path / f"{label}.csv"
        result = harness.run("export", out / name, "--format", "csv", "--out", csv)
        assert result.code == 0, result.stderr
        exported[label] = csv.read_bytes()
    assert exported["sharded"] == exported["whole"]
    result = harness.run("inspect", sharded / name, "--rows", "2")
    assert result.code == 0, result.stderr
    rows = harness.read_table(whole / name).num_rows
    assert f"in {SHARDS} shards: shard-0-of-3, shard-1-of-3, shard-2-of-3)" in result.stdout, result.stdout
    assert f"rows: {rows} in " in result.stdout, result.stdout


def test_an_incomplete_set_of_shards_is_refused_naming_the_missing_shard(whole_and_shards, tmp_path, case):
    stage, whole, sharded = whole_and_shards
    case.id, case.group, case.stage = f"{stage}:shards-incomplete", "shards", stage
    case.input = f"{SHARDS} shards of which shard 1 has no manifest.json (still running, or killed)"
    case.expected = "export exits 3 naming shard 1 of 3; nothing written"
    require("generate")
    partial = tmp_path / "partial"
    shutil.copytree(sharded, partial)
    (shard_dir(partial, 1) / harness.MANIFEST).unlink()
    csv = tmp_path / "out.csv"
    result = harness.run("export", partial / TABLES[stage][0], "--format", "csv", "--out", csv)
    assert result.code == 3, result.stderr
    assert "shard 1 of 3 is missing" in result.stderr, result.stderr
    assert not csv.exists()
    case.outcome = f"exit {result.code}: {result.error}"
