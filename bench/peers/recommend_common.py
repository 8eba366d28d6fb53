"""What the recommendation peers share: evaluate's split CSVs in, top-N lists out.

The split is `bin/recstage evaluate --split-only`'s (split/train.csv and split/test.csv: user_id,
item_id, event_type, create_time, weight with the original ids), the same files for every
contestant. A peer recommends for the users of test.csv (the only ones scored), learns from
train.csv only, and writes user_id,item_id,rank,score: the lists that
bench/peers/recommenders_metrics.py scores. Works in both venvs (pandas 2 and 3; no pyarrow).
"""
import csv

import numpy as np
import pandas as pd
import scipy.sparse as sp

USER, ITEM, TIME, WEIGHT = "user_id", "item_id", "create_time", "weight"


def read_train(path):
    """user_id, item_id (str), create_time (epoch seconds, float), weight (float; 1 where empty or absent:
    evaluate writes the column only when the raw interactions had one)."""
    frame = pd.read_csv(path, usecols=lambda c: c in (USER, ITEM, TIME, WEIGHT), dtype=str, keep_default_na=False)
    frame[WEIGHT] = pd.to_numeric(frame[WEIGHT].replace("", "1")) if WEIGHT in frame else 1.0
    frame[TIME] = epoch_seconds(frame[TIME])
    return frame


def epoch_seconds(column):
    numeric = pd.to_numeric(column, errors="coerce")
    if numeric.notna().all():
        return numeric.astype(float)
    parsed = pd.to_datetime(column, utc=True, format="ISO8601")
    return (parsed - pd.Timestamp(0, tz="UTC")).dt.total_seconds()


def users_to_score(test_csv):
    users = pd.read_csv(test_csv, usecols=[USER], dtype=str, keep_default_na=False)[USER]
    return users.drop_duplicates().to_numpy()


def user_item_matrix(train, binary):
    """(users x items CSR float32, user ids, item ids): binary (any event = 1) or summed weights."""
    users, user_ids = pd.factorize(train[USER])
    items, item_ids = pd.factorize(train[ITEM])
    values = np.ones(len(users), dtype=np.float32) if binary else train[WEIGHT].to_numpy(dtype=np.float32)
    matrix = sp.csr_matrix((values, (users, items)), shape=(len(user_ids), len(item_ids)))
    matrix.sum_duplicates()
    if binary:
        matrix.data[:] = 1.0
    return matrix, np.asarray(user_ids, dtype=object), np.asarray(item_ids, dtype=object)


def write_lists(path, rows):
    """rows: (user id, [item ids best first], [scores]) per user."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow([USER, ITEM, "rank", "score"])
        for user, items, scores in rows:
            for rank, (item, score) in enumerate(zip(items, scores), start=1):
                out.writerow([user, item, rank, f"{float(score):.7g}"])
