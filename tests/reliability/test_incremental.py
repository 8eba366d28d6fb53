"""Incremental content on generated data: a catalogue that gained, changed and lost items, scored with
last week's model and merged into last week's output (`--previous`), gives the byte-identical
content_neighbors.arrow of a full run with that model, whether the previous output kept spare
neighbours or not and whether it was sharded; a previous output it cannot merge into (items
reordered) makes a full run that says why, with the same bytes."""

from __future__ import annotations

import csv
import importlib.util

import pytest

import harness
from conftest import require

NEIGHBORS = "content_neighbors.arrow"
MODEL = "tfidf_model.arrow"
TEXT_ONLY = {"USE_FAISS_RECALL": "0"}

# The benches' catalogue edits, loaded by path: bench/harness and this suite's harness share a name.
_spec = importlib.util.spec_from_file_location("bench_catalogue", harness.ROOT / "bench" / "harness" / "catalogue.py")
_catalogue = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_catalogue)


def change_catalogue(source, target, share: float, seed: int, reorder: bool = False) -> dict[str, int]:
    """Removes, edits and adds `share`/3 of the items each (new items anywhere in the file)."""
    with source.open(newline="", encoding="utf-8") as f:
        m = max(1, int(sum(1 for _ in csv.DictReader(f)) * share / 3))
    return _catalogue.change_catalogue(source, target, m, m, m, seed, reorder=reorder)


def features(raw_items, raw, out):
    result = harness.run(harness.FEATURES, "--items", raw_items, "--interactions", raw / "interactions.csv",
                         "--max-reject-ratio", "1", "--out", out)
    assert result.code == 0, result.stderr[-3000:]
    return out


def content(features_dir, out, *args, env=None):
    result = harness.run(harness.CONTENT, "--features", features_dir, "--out", out, *args, env={**TEXT_ONLY, **(env or {})})
    assert result.code == 0, result.stderr[-3000:]
    return harness.check_complete_output(out)


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    require("generate")
    require(harness.CONTENT)
    base = tmp_path_factory.mktemp("incremental")
    raw = base / "raw"
    result = harness.run("generate", "--items", "3000", "--users", "800", "--events", "30000", "--seed", "23", "--out", raw)
    assert result.code == 0, result.stderr
    week = features(raw / "items.csv", raw, base / "features-week")
    counts = change_catalogue(raw / "items.csv", raw / "items-today.csv", 0.03, seed=5)
    today = features(raw / "items-today.csv", raw, base / "features-today")
    return base, raw, week, today, counts


@pytest.mark.parametrize("spares, shards", [("20", 1), ("0", 1), ("20", 3)], ids=["20 spares", "no spares", "20 spares, 3 shards"])
def test_merge_equals_a_full_run_with_the_same_model(catalogues, spares, shards, case):
    base, _, week, today, counts = catalogues
    case.id, case.group, case.stage = f"content-similarity:incremental-{spares}-spares-{shards}-shards", "incremental", harness.CONTENT
    case.input = (f"3,000 generated items; last week's full output (CONTENT_INCREMENTAL_SPARES={spares}, {shards} shard(s)); today "
                  f"{counts['added']} added, {counts['changed']} changed, {counts['removed']} removed")
    case.expected = "--model last week's + --previous last week's output: content_neighbors.arrow byte-identical to a full run with that model"
    previous = base / f"week-{spares}-{shards}"
    env = {"CONTENT_INCREMENTAL_SPARES": spares}
    if shards == 1:
        content(week, previous, env=env)
        model = previous / MODEL
    else:
        for i in range(shards):
            content(week, previous / f"shard-{i}-of-{shards}", "--shard", f"{i}/{shards}", env=env)
        model = previous / "shard-0-of-3" / MODEL
    full = base / f"full-{spares}-{shards}"
    content(today, full, "--model", model)
    merged = base / f"merged-{spares}-{shards}"
    manifest = content(today, merged, "--model", model, "--previous", previous)

    stats = manifest["stats"]["incremental"]
    assert stats["mode"] == "merged", stats
    assert (stats["added"], stats["changed"], stats["removed"]) == (counts["added"], counts["changed"], counts["removed"])
    assert stats["dirty_rows"] == counts["added"] + counts["changed"]
    assert (merged / NEIGHBORS).read_bytes() == (full / NEIGHBORS).read_bytes()
    assert (merged / "item_text_hashes.arrow").read_bytes() == (full / "item_text_hashes.arrow").read_bytes()
    if spares != "0":
        assert stats["knocked_rows"] <= stats["dirty_rows"], stats
    rescored = stats["dirty_rows"] + stats["knocked_rows"]
    case.outcome = (f"byte-identical; rows scored whole: {stats['dirty_rows']} dirty + {stats['knocked_rows']} knocked out of "
                    f"{manifest['stats']['items']} ({100 * rescored / manifest['stats']['items']:.1f}%)")


def test_a_reordered_catalogue_runs_in_full_and_says_why(catalogues, case):
    base, raw, week, _, _ = catalogues
    case.id, case.group, case.stage = "content-similarity:incremental-reordered", "incremental", harness.CONTENT
    case.input = "today's items file with two unchanged items swapped"
    case.expected = "a full run (stats.incremental.mode = full, with the reason), byte-identical to a full run"
    change_catalogue(raw / "items.csv", raw / "items-reordered.csv", 0.03, seed=5, reorder=True)
    today = features(raw / "items-reordered.csv", raw, base / "features-reordered")
    previous = base / "week-reorder"
    content(week, previous)
    full = content(today, base / "full-reordered", "--model", previous / MODEL)
    manifest = content(today, base / "merged-reordered", "--model", previous / MODEL, "--previous", previous)
    stats = manifest["stats"]["incremental"]
    assert stats["mode"] == "full" and "order" in stats["reason"], stats
    assert (base / "merged-reordered" / NEIGHBORS).read_bytes() == (base / "full-reordered" / NEIGHBORS).read_bytes()
    assert full
    case.outcome = f"full run: {stats['reason'].split(': ')[-1] if ': ' in stats['reason'] else stats['reason']}"


def test_another_model_runs_in_full(catalogues, tmp_path):
    base, _, week, today, _ = catalogues
    previous = base / "week-20-1"
    if not previous.exists():
        content(week, previous)
    other = content(today, tmp_path / "today-fitted")  # a model fitted on today's items: not last week's
    manifest = content(today, tmp_path / "merged", "--model", tmp_path / "today-fitted" / MODEL, "--previous", previous)
    assert other and manifest["stats"]["incremental"]["mode"] == "full"
    assert "another model" in manifest["stats"]["incremental"]["reason"]


def test_previous_needs_a_model(catalogues, tmp_path):
    _, _, _, today, _ = catalogues
    result = harness.run(harness.CONTENT, "--features", today, "--out", tmp_path / "out", "--previous", tmp_path, env=TEXT_ONLY)
    assert result.code == 2 and "--previous needs --model" in result.error, result.stderr
