#!/usr/bin/env python3
"""Behaviour peer (a): the old system's co-occurrence counting in Python dictionaries.

Per-user item sets; every pair of items in a user's set counted in a dict of dicts (both
directions); only then the top K per item by cosine-normalised count,
count(i, j) / sqrt(users(i) * users(j)). Memory grows with the number of distinct co-occurring
pairs, which grows with the square of the longest user histories: a crawler exhausts it.
"""
import argparse
import heapq
import math
from collections import defaultdict
from itertools import combinations

import numpy as np
import pandas as pd

from peer_common import PhaseTimer, write_neighbors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", required=True, help="raw interactions.csv")
    parser.add_argument("--out", required=True, help="output Arrow IPC file")
    parser.add_argument("--top-k", type=int, default=200)
    args = parser.parse_args()

    timer = PhaseTimer("behavior-python-dicts")
    frame = pd.read_csv(args.interactions, usecols=["user_id", "item_id"], dtype=str)
    user_items = frame.groupby("user_id")["item_id"].agg(set)
    del frame
    timer.phase("read_csv")
    cooccurrence, item_users = count_pairs(user_items)
    del user_items
    print(f"items={len(item_users)} distinct_pairs={sum(len(c) for c in cooccurrence.values()) // 2}", flush=True)
    timer.phase("count_pairs")
    neighbors = top_k_cosine(cooccurrence, item_users, args.top_k)
    del cooccurrence
    timer.phase("top_k")
    write_output(args.out, item_users, neighbors)
    timer.phase("write")
    timer.done()


def count_pairs(user_items):
    cooccurrence = defaultdict(lambda: defaultdict(int))
    item_users = defaultdict(int)
    for items in user_items:
        for item in items:
            item_users[item] += 1
        for a, b in combinations(sorted(items), 2):
            cooccurrence[a][b] += 1
            cooccurrence[b][a] += 1
    return cooccurrence, item_users


def top_k_cosine(cooccurrence, item_users, k):
    neighbors = {}
    for item, counts in cooccurrence.items():
        norm = item_users[item]
        neighbors[item] = heapq.nlargest(
            k,
            ((count / math.sqrt(norm * item_users[other]), other) for other, count in counts.items()),
        )
    return neighbors


def write_output(path, item_users, neighbors):
    item_ids = sorted(item_users)
    index = {item: i for i, item in enumerate(item_ids)}
    rows, cols, scores = [], [], []
    for item in item_ids:
        ranked = sorted(((-score, index[other]) for score, other in neighbors.get(item, [])))
        for negative_score, other in ranked:
            rows.append(index[item])
            cols.append(other)
            scores.append(-negative_score)
    write_neighbors(path, item_ids, np.array(rows, dtype=np.int32), np.array(cols, dtype=np.int32), scores)


if __name__ == "__main__":
    main()
