#!/usr/bin/env python3
"""Recall@K of a vector neighbours file on a random sample of items, against a brute force.

Where the exact lists of every item are out of reach (a million items: the all-pairs search takes
hours), the exact top K of a seeded sample of items is not: each sampled item's cosine with every
vector, in float32 on the vectors normalised as recstage normalises them (bench/peers/
vectors_faiss_flat.py's unit_vectors), the item itself left out. Prints the mean recall@K over the
sample with its 95% interval (normal approximation over the per-item recalls) as one JSON line.

  .venv/bin/python bench/peers/sampled_vector_recall.py --embeddings E --neighbors vector_neighbors.arrow
"""
import argparse
import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from vectors_faiss_flat import unit_vectors

QUERIES_PER_BLOCK = 50


def exact_lists(unit, present, rows, k):
    """The exact top k item indexes of each of `rows` (positions in `present`), best first, itself left out."""
    lists = []
    for start in range(0, len(rows), QUERIES_PER_BLOCK):
        block = rows[start:start + QUERIES_PER_BLOCK]
        scores = unit[block] @ unit.T
        scores[np.arange(len(block)), block] = -np.inf
        best = np.argpartition(-scores, k, axis=1)[:, :k]
        lists.extend(set(present[b].tolist()) for b in best)
    return lists


def among(column, wanted_ids):
    """Which entries of a (possibly dictionary-encoded) string column are among wanted_ids."""
    if pa.types.is_dictionary(column.type):
        hits = np.flatnonzero(pc.is_in(column.dictionary, value_set=wanted_ids).to_numpy(zero_copy_only=False))
        return pc.is_in(column.indices, value_set=pa.array(hits, type=column.indices.type))
    return pc.is_in(column, value_set=wanted_ids)


def listed(neighbors, item_ids, wanted):
    """The neighbour item indexes the file lists for each wanted item index, read batch by batch."""
    position = {item_id: i for i, item_id in enumerate(item_ids)}
    wanted_ids = pa.array([item_ids[i] for i in wanted], type=pa.string())
    found = {i: set() for i in wanted}
    reader = ipc.open_file(neighbors)
    for b in range(reader.num_record_batches):
        batch = reader.get_batch(b)
        mask = among(batch.column("item_id"), wanted_ids)
        if not pc.any(mask).as_py():
            continue
        items = pc.filter(batch.column("item_id"), mask).cast(pa.string()).to_pylist()
        neighbours = pc.filter(batch.column("neighbor_id"), mask).cast(pa.string()).to_pylist()
        for item, neighbor in zip(items, neighbours):
            found[position[item]].add(position[neighbor])
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embeddings", required=True)
    parser.add_argument("--neighbors", required=True, help="vector_neighbors.arrow")
    parser.add_argument("--top-k", type=int, default=200)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    item_ids, present, unit = unit_vectors(args.embeddings)
    item_ids = [str(x) for x in item_ids]
    rows = np.sort(np.random.default_rng(args.seed).choice(len(present), size=min(args.sample, len(present)), replace=False))
    exact = exact_lists(unit, present, rows, args.top_k)
    found = listed(args.neighbors, item_ids, present[rows].tolist())
    recalls = np.array([len(e & found[present[r]]) / len(e) for r, e in zip(rows, exact)])
    half = 1.96 * recalls.std(ddof=1) / np.sqrt(len(recalls)) if len(recalls) > 1 else 0.0
    print(json.dumps({"recall": round(float(recalls.mean()), 4), "interval95": [round(float(recalls.mean() - half), 4), round(float(recalls.mean() + half), 4)],
                      "sample": len(recalls), "items_with_vectors": len(present), "top_k": args.top_k, "seed": args.seed}))


if __name__ == "__main__":
    main()
