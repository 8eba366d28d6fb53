#!/usr/bin/env python3
"""Scores recommendation lists with Microsoft Recommenders' python_evaluation (the metric reference).

Runs in .venv-recommenders (bin/setup-venv-recommenders): recommenders 1.2.1 needs numpy<2. Used by
tests/peers/test_metrics_recommenders.py (recstage's metrics must equal these within 1e-9) and by
bench/recommend_quality (every contestant's lists scored by the same code on the same split).

--truth: held-out events, CSV with user_id,item_id (evaluate's split/test.csv). A held-out
(user, item) pair is one relevant item however many events it has: recommenders counts rows, so
duplicates would count twice in recall's denominator and in the hits.
--lists NAME=CSV: user_id,item_id,rank (evaluate's lists/ROW.csv; any score column is ignored).
recommenders orders each user's rows by a prediction column; it gets -rank, so that its order is
exactly the list's, ties in score included (its sort is not stable).
Prints JSON: per list precision/recall/ndcg/map (recommenders' precision_at_k, recall_at_k,
ndcg_at_k, map_at_k), and hit_rate (users with a hit in the top k over users with a list and
held-out items, the population of recommenders' precision; recommenders has no hit rate).
With --train and --catalogue-size, also evaluate's catalogue figures (not recommenders'): coverage@k,
distinct items in the top k of all lists over the catalogue size; popularity_percentile@k, the mean
over every listed (user, item) in the top k of the item's percentile of training popularity
(distinct users) among all catalogue items, scipy's percentileofscore(kind="mean").
"""
import argparse
import json
import sys

import numpy as np
import pandas as pd
from recommenders.evaluation.python_evaluation import map_at_k, ndcg_at_k, precision_at_k, recall_at_k

USER, ITEM, PREDICTION, RATING = "user_id", "item_id", "prediction", "rating"
RECOMMENDERS_METRICS = {"precision": precision_at_k, "recall": recall_at_k, "ndcg": ndcg_at_k, "map": map_at_k}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", required=True, help="held-out events CSV (user_id,item_id,...)")
    parser.add_argument("--lists", action="append", required=True, metavar="NAME=CSV",
                        help="recommendation lists (user_id,item_id,rank); repeatable")
    parser.add_argument("--k", default="10,20", help="comma-separated cut-offs (default 10,20)")
    parser.add_argument("--train", help="training events CSV (user_id,item_id,...): item popularity")
    parser.add_argument("--catalogue-size", type=int, help="items in the catalogue (evaluation.json split.items)")
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    args = parser.parse_args()

    truth = relevant_pairs(args.truth)
    ks = [int(k) for k in args.k.split(",")]
    result = {"truth": {"users": int(truth[USER].nunique()), "pairs": len(truth)}, "lists": {}}
    catalogue = Catalogue(args.train, args.catalogue_size) if args.train and args.catalogue_size else None
    for spec in args.lists:
        name, _, path = spec.partition("=")
        lists = ranked_lists(path)
        result["lists"][name] = score(truth, lists, ks)
        if catalogue:
            result["lists"][name].update(catalogue.score(lists, ks))
    text = json.dumps(result, indent=1, sort_keys=True)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


def relevant_pairs(path):
    frame = pd.read_csv(path, usecols=[USER, ITEM], dtype=str, keep_default_na=False)
    pairs = frame.drop_duplicates().reset_index(drop=True)
    pairs[RATING] = 1.0  # binary relevance; ndcg_at_k's default score_type="binary" reads the column
    return pairs


def ranked_lists(path):
    frame = pd.read_csv(path, usecols=[USER, ITEM, "rank"], dtype={USER: str, ITEM: str, "rank": int},
                        keep_default_na=False)
    duplicated = frame.duplicated([USER, ITEM])
    if duplicated.any():
        sys.exit(f"error: {path}: user {frame[USER][duplicated].iloc[0]} lists an item twice")
    frame[PREDICTION] = -frame.pop("rank").astype(float)
    return frame


def score(truth, lists, ks):
    row = {"users_listed": int(lists[USER].nunique()),
           "users_scored": len(set(lists[USER]) & set(truth[USER]))}
    for k in ks:
        for name, metric in RECOMMENDERS_METRICS.items():
            row[f"{name}@{k}"] = float(metric(truth, lists, col_user=USER, col_item=ITEM,
                                              col_prediction=PREDICTION, col_rating=RATING, k=k))
        row[f"hit_rate@{k}"] = hit_rate(truth, lists, k)
    return row


class Catalogue:
    def __init__(self, train_csv, size):
        train = pd.read_csv(train_csv, usecols=[USER, ITEM], dtype=str, keep_default_na=False).drop_duplicates()
        users_per_item = train.groupby(ITEM).size()
        if len(users_per_item) > size:
            sys.exit(f"error: {train_csv} has {len(users_per_item)} items, more than the catalogue's {size}")
        everything = np.sort(np.concatenate([users_per_item.to_numpy(), np.zeros(size - len(users_per_item), int)]))
        less = np.searchsorted(everything, users_per_item.to_numpy(), side="left")
        equal = np.searchsorted(everything, users_per_item.to_numpy(), side="right") - less
        self.percentile = pd.Series(100.0 * (less + 0.5 * equal) / size, index=users_per_item.index)
        zeros = size - len(users_per_item)
        self.unseen_percentile = 100.0 * 0.5 * zeros / size  # an item without training users
        self.size = size

    def score(self, lists, ks):
        row = {}
        for k in ks:
            top = lists.sort_values([USER, PREDICTION], ascending=[True, False]).groupby(USER).head(k)
            row[f"coverage@{k}"] = top[ITEM].nunique() / self.size
            percentiles = top[ITEM].map(self.percentile).fillna(self.unseen_percentile)
            row[f"popularity_percentile@{k}"] = float(percentiles.mean()) if len(top) else 0.0
        return row


def hit_rate(truth, lists, k):
    scored = lists[lists[USER].isin(set(truth[USER]))]
    if scored.empty:
        return 0.0
    top = scored.sort_values([USER, PREDICTION], ascending=[True, False]).groupby(USER).head(k)
    hits = top.merge(truth[[USER, ITEM]], on=[USER, ITEM])
    return hits[USER].nunique() / scored[USER].nunique()


if __name__ == "__main__":
    main()
