#!/usr/bin/env python3
"""Recommendation peer: Microsoft Recommenders' SAR (recommenders.models.sar.SAR), in .venv-recommenders.

The settings of its MovieLens quick start (examples/00_quick_start/sar_movielens.ipynb):
SAR(similarity_type=jaccard or cosine, time_decay_coefficient=30, timedecay_formula=True,
normalize=True), fit on the split's training events with their weight as rating and create_time
(epoch seconds) as timestamp, then recommend_k_items(test users, top_k=N, remove_seen=True).
SAR refuses repeated (user, item) rows: they are merged first (weights summed, latest time kept);
MovieLens has none. SAR keeps dense item x item and user x item matrices.
"""
import argparse

import pandas as pd
from recommenders.models.sar import SAR

from peer_common import PhaseTimer, print_native_threading
from recommend_common import ITEM, TIME, USER, WEIGHT, read_train, users_to_score, write_lists


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--similarity", required=True, choices=["jaccard", "cosine"])
    parser.add_argument("--train", required=True, help="evaluate's split/train.csv")
    parser.add_argument("--test", required=True, help="evaluate's split/test.csv: the users to recommend for")
    parser.add_argument("--out", required=True, help="lists CSV (user_id,item_id,rank,score)")
    parser.add_argument("--top-n", type=int, default=20)
    args = parser.parse_args()

    timer = PhaseTimer(f"recommend-sar-{args.similarity}")
    print_native_threading()
    train = read_train(args.train).groupby([USER, ITEM], as_index=False, sort=False).agg({WEIGHT: "sum", TIME: "max"})
    users = users_to_score(args.test)
    timer.phase("read_csv")
    model = SAR(col_user=USER, col_item=ITEM, col_rating=WEIGHT, col_timestamp=TIME,
                similarity_type=args.similarity, time_decay_coefficient=30, timedecay_formula=True, normalize=True)
    model.fit(train)
    timer.phase("fit")
    known = pd.DataFrame({USER: [u for u in users if u in model.user2index]})
    top = model.recommend_k_items(known, top_k=args.top_n, remove_seen=True)
    timer.phase("recommend")
    print(f"users={len(users)} without_history={len(users) - len(known)}", flush=True)
    write_lists(args.out, ((user, group[ITEM].to_numpy(), group["prediction"].to_numpy())
                           for user, group in top.groupby(USER, sort=False)))
    timer.phase("write")
    timer.done()


if __name__ == "__main__":
    main()
