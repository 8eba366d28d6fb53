"""Incremental content on generated data: a catalogue that gained, changed and lost items, scored with
last week's model and merged into last week's output (`--previous`), gives the byte-identical
content_neighbors.arrow of a full run with that model, whether the previous output kept spare
neighbours or not and whether it was sharded; a previous output it cannot merge into (items
reordered) makes a full run that says why, with the same bytes."""

from __future__ import annotations

import csv
import random

import pytest

import harness
from conftest import require

NEIGHBORS = "content_neighbors.arrow"
MODEL = "tfidf_model.arrow"
TEXT_ONLY = {"USE_FAISS_RECALL": "0"}


def change_catalogue(source, target, share: float, seed: int, reorder: bool = False) -> dict[str, int]:
    """Removes, edits and adds `share`/3 of the items each (new items anywhere in the file)."""
    rng = random.Random(seed)
    with source.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    m = max(1, int(len(rows) * share / 3))
    removed = {row["item_id"] for row in rng.sample(rows, m)}
    kept = [row for row in rows if row["item_id"] not in removed]
    for row in rng.sample(kept, m):
        words = row["description"].split()
        row["description"] = " ".join(rng.sample(words, max(1, len(words) // 2))) + " " + rng.choice(rows)["title"]
    for n in range(m):
        a, b = rng.sample(rows, 2)
        kept.insert(rng.randrange(len(kept) + 1), {**a, "item_id": f"new-{seed}-{n}", "title": f"{a['title']} {b['title']}",
                                                     "description": b["description"]})
    if reorder:
        kept[0], kept[-1] = kept[-1], kept[0]
    with target.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)
    return {"removed": m, "changed": m, "added": m}


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
