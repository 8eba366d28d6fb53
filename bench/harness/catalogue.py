"""Changes a generated catalogue's items.csv as a day of edits would: removals, edits, additions.
Used by the benches and, loaded by its path, by tests/reliability/test_incremental.py."""
import csv
import random


def change_catalogue(source, target, removed, edited, added, seed, reorder=False):
    """Writes target as source less `removed` items, with `edited` descriptions rewritten and `added`
    new items (ids new-SEED-0, new-SEED-1, …, text mixed from two existing items) inserted anywhere in
    the file; with `reorder`, the first and last rows swapped too (which an incremental run cannot merge).
    Returns the counts of each change."""
    rng = random.Random(seed)
    with open(source, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    gone = {row["item_id"] for row in rng.sample(rows, removed)}
    kept = [row for row in rows if row["item_id"] not in gone]
    for row in rng.sample(kept, edited):
        words = row["description"].split()
        row["description"] = " ".join(rng.sample(words, max(1, len(words) // 2))) + " " + rng.choice(rows)["title"]
    for n in range(added):
        a, b = rng.sample(rows, 2)
        kept.insert(rng.randrange(len(kept) + 1), {**a, "item_id": f"new-{seed}-{n}", "title": f"{a['title']} {b['title']}",
                                                     "description": b["description"]})
    if reorder:
        kept[0], kept[-1] = kept[-1], kept[0]
    with open(target, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return {"removed": removed, "changed": edited, "added": added}
