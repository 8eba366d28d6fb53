#!/usr/bin/env python3
"""Checks that the benchmark peers compute what they claim, against each other and a dense oracle.

Writes a small random raw data set (a tiny vocabulary so that items share terms and scores tie,
a fifth of the titles Chinese, users with very uneven histories, duplicated interaction rows),
runs every peer script on it as a whole process, and compares:
- content: (a) sklearn batched and (b) sparse_dot_topn against a dense X·Xᵀ oracle;
- behaviour: (a) Python dicts, (b) scipy BᵀB, (c) implicit against a dense BᵀB cosine oracle;
  neighbour lists must agree in scores (within 1e-5) and in sets up to ties at the K-th score;
- features: the pandas peer's tables against a plain csv-module reading of the same files.
Run with the benchmark venv: `.venv/bin/python bench/check_peers.py`. Not a test of recstage.
"""
import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import numpy as np
import pyarrow as pa
from sklearn.feature_extraction.text import TfidfVectorizer

from peers.peer_common import read_binary_user_items, read_item_texts

PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers")
TOLERANCE = 1e-5
ENGLISH = "data river climate census survey health school budget traffic energy water crop soil rain map".split()
CHINESE = ["气候数据", "人口普查", "交通流量", "能源消耗", "水质监测", "土壤调查"]
EVENTS = ["view", "download", "favorite"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--users", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", help="check on this directory's items.csv and interactions.csv instead "
                                       "(e.g. a small `bin/recstage generate` output; the oracles are dense)")
    args = parser.parse_args()

    failures = []
    checks = 0
    with tempfile.TemporaryDirectory(prefix="check-peers-") as work:
        if args.data:
            items_csv, interactions_csv = (os.path.join(args.data, f) for f in ("items.csv", "interactions.csv"))
        else:
            items_csv, interactions_csv = write_raw_data(work, args.items, args.users, random.Random(args.seed))
        for k in (10, args.items + 5 if not args.data else 200):
            oracle = content_oracle(items_csv, k)
            for script, extra in (("content_sklearn_batched.py", ["--batch-size", "64"]),
                                  ("content_sparse_dot_topn.py", ["--threads", "2"])):
                out = os.path.join(work, f"{script}.{k}.arrow")
                run_peer(script, ["--items", items_csv, "--out", out, "--top-k", str(k)] + extra)
                checks += 1
                failures += report(f"{script} K={k}", compare(oracle, read_neighbors(out), k), oracle)
            oracle = behavior_oracle(interactions_csv, k)
            for script, extra in (("behavior_python_dicts.py", []),
                                  ("behavior_scipy_product.py", []),
                                  ("behavior_implicit_cosine.py", ["--threads", "2"])):
                out = os.path.join(work, f"{script}.{k}.arrow")
                run_peer(script, ["--interactions", interactions_csv, "--out", out, "--top-k", str(k)] + extra)
                checks += 1
                failures += report(f"{script} K={k}", compare(oracle, read_neighbors(out), k), oracle)
        out = os.path.join(work, "features")
        run_peer("features_pandas.py", ["--items", items_csv, "--interactions", interactions_csv, "--out", out])
        checks += 1
        failures += report("features_pandas.py", check_features(items_csv, interactions_csv, out))

    for failure in failures[:40]:
        print("  ", failure)
    failed_checks = len({f.split(": ")[0] for f in failures})
    print(f"{checks - failed_checks} passed, {failed_checks} failed")
    sys.exit(1 if failures else 0)


def report(name, problems, oracle=None):
    """Prints one line per check, with what was compared, and returns the problems named."""
    if oracle is not None:
        pairs = sum(len(v) for v in oracle.values())
        ties = sum(1 for v in oracle.values() for _, s in v if v and abs(s - v[-1][1]) <= TOLERANCE and len(v) > 1)
        what = f"{sum(1 for v in oracle.values() if v)} items with neighbours, {pairs} neighbours, {ties} at the last score"
    else:
        what = "tables against the csv module"
    print(f"{'FAIL' if problems else 'ok  '} {name}: {what}" + (f", {len(problems)} problems" if problems else ""))
    return [f"{name}: {p}" for p in problems]


def write_raw_data(directory, n_items, n_users, rng):
    """Raw CSVs in the columns of `bin/recstage generate`."""
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    items_csv = os.path.join(directory, "items.csv")
    with open(items_csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["item_id", "title", "description", "tags", "category", "create_time"])
        for i in range(n_items):
            words = lambda n: " ".join(rng.choice(ENGLISH) for _ in range(n))  # noqa: E731
            title = rng.choice(CHINESE) + rng.choice(CHINESE) if rng.random() < 0.2 else words(3)
            tags = "|".join(rng.sample(ENGLISH, 2))
            created = start + timedelta(hours=rng.randrange(24 * 300))
            writer.writerow([f"item-{i:05d}", title, words(rng.randrange(0, 6)), tags,
                             rng.choice(["open", "geo", "stats"]), created.isoformat()])
    interactions_csv = os.path.join(directory, "interactions.csv")
    with open(interactions_csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["user_id", "item_id", "event_type", "create_time"])
        for u in range(n_users):
            history = int(rng.lognormvariate(1.5, 1.0)) + 1 if u else n_items // 2  # user 0: a crawler
            for _ in range(history):
                popular = u and rng.random() < 0.5
                item = min(int(rng.paretovariate(0.8)), n_items) - 1 if popular else rng.randrange(n_items)
                row = [f"user-{u:04d}", f"item-{item:05d}",
                       rng.choice(EVENTS), (start + timedelta(minutes=rng.randrange(400000))).isoformat()]
                writer.writerow(row)
                if rng.random() < 0.05:
                    writer.writerow(row)  # exact duplicate row
    return items_csv, interactions_csv


def run_peer(script, arguments):
    subprocess.run([sys.executable, os.path.join(PEERS, script)] + arguments,
                   check=True, stdout=subprocess.DEVNULL)


def content_oracle(items_csv, k):
    item_ids, texts = read_item_texts(items_csv)
    matrix = TfidfVectorizer().fit_transform(texts)
    return dense_top_k(item_ids, (matrix @ matrix.T).toarray(), k)


def behavior_oracle(interactions_csv, k):
    binary, item_ids = read_binary_user_items(interactions_csv)
    dense = binary.toarray().astype(np.float64)
    counts = dense.T @ dense
    norms = np.sqrt(np.diag(counts))
    return dense_top_k(item_ids, counts / np.outer(norms, norms), k)


def dense_top_k(item_ids, scores, k):
    """{item: [(neighbour, score)]}: positive scores, the item itself excluded, best k."""
    result = {}
    for i, item in enumerate(item_ids):
        ranked = sorted((-scores[i, j], item_ids[j]) for j in range(len(item_ids)) if j != i and scores[i, j] > 0)
        result[item] = [(other, -negative) for negative, other in ranked[:k]]
    return result


def read_neighbors(path):
    with pa.memory_map(path) as source:
        table = pa.ipc.open_file(source).read_all()
    result = defaultdict(list)
    for item, other, score, rank in zip(*(table.column(c).to_pylist() for c in ("item_id", "neighbor_id", "score", "rank"))):
        result[item].append((other, score, rank))
    return result


def compare(expected, actual, k):
    """Problems found; empty when the neighbour lists agree up to ties at the K-th score."""
    problems = []
    for item in sorted(set(expected) | set(actual)):
        want = expected.get(item, [])
        got = actual.get(item, [])
        if [rank for _, _, rank in got] != list(range(1, len(got) + 1)):
            problems.append(f"{item}: ranks not 1..{len(got)}")
        if any(other == item for other, _, _ in got):
            problems.append(f"{item}: lists itself")
        if len(got) != len(want) or len(got) > k:
            problems.append(f"{item}: {len(got)} neighbours, expected {len(want)}")
            continue
        if not np.allclose([s for _, s, _ in got], [s for _, s in want], atol=TOLERANCE, rtol=0):
            problems.append(f"{item}: scores differ")
            continue
        if not want:
            continue
        kth = want[-1][1]
        want_scores = dict(want)
        for other, score, _ in got:
            if other in want_scores:
                if abs(want_scores[other] - score) > TOLERANCE:
                    problems.append(f"{item}->{other}: score {score} expected {want_scores[other]}")
            elif abs(score - kth) > TOLERANCE or len(want) < k:
                problems.append(f"{item}: unexpected neighbour {other} ({score})")
    return problems


def check_features(items_csv, interactions_csv, out):
    """The pandas peer against a plain reading: same items, users and distinct interactions."""
    with open(items_csv, encoding="utf-8") as f:
        item_ids = {row["item_id"] for row in csv.DictReader(f)}
    with open(interactions_csv, encoding="utf-8") as f:
        distinct = {(r["user_id"], r["item_id"], r["event_type"], datetime.fromisoformat(r["create_time"]))
                    for r in csv.DictReader(f) if r["item_id"] in item_ids}
    tables = {}
    for name in ("items", "users", "interactions", "item_features"):
        with pa.memory_map(os.path.join(out, f"{name}.arrow")) as source:
            tables[name] = pa.ipc.open_file(source).read_all().to_pydict()
    items, users, interactions = tables["items"], tables["users"], tables["interactions"]
    problems = []
    if sorted(items["item_id"]) != sorted(item_ids) or items["item"] != list(range(len(item_ids))):
        problems.append("items are not the distinct item ids with dense indices 0..N-1")
    if users["user"] != list(range(len(users["user"]))):
        problems.append("users do not have dense indices 0..U-1")
    item_of = dict(zip(items["item"], items["item_id"]))
    user_of = dict(zip(users["user"], users["user_id"]))
    mapped = [(user_of[u], item_of[i], e, t) for u, i, e, t in
              zip(interactions["user"], interactions["item"], interactions["event"], interactions["ts"])]
    if len(mapped) != len(distinct) or set(mapped) != distinct:
        problems.append(f"{len(mapped)} interactions written, {len(distinct)} distinct expected")
    order = list(zip(interactions["user"], interactions["ts"]))
    if order != sorted(order):
        problems.append("interactions not sorted by user then time")
    if len(tables["item_features"]["item"]) != len(item_ids):
        problems.append("item_features does not have one row per item")
    return problems


if __name__ == "__main__":
    main()
