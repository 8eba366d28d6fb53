#!/usr/bin/env python3
"""Recommendation peer: popularity. Every user gets the items most users touched in training, less their own."""
import argparse

import numpy as np

from peer_common import PhaseTimer
from recommend_common import ITEM, USER, read_train, user_item_matrix, users_to_score, write_lists


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True, help="evaluate's split/train.csv")
    parser.add_argument("--test", required=True, help="evaluate's split/test.csv: the users to recommend for")
    parser.add_argument("--out", required=True, help="lists CSV (user_id,item_id,rank,score)")
    parser.add_argument("--top-n", type=int, default=20)
    args = parser.parse_args()

    timer = PhaseTimer("recommend-popularity")
    train = read_train(args.train)
    users = users_to_score(args.test)
    timer.phase("read_csv")
    matrix, user_ids, item_ids = user_item_matrix(train, binary=True)
    popularity = np.asarray(matrix.sum(axis=0)).ravel()
    order = np.lexsort((item_ids.astype(str), -popularity))  # most users first, ties by id
    timer.phase("fit")
    row_of = {u: r for r, u in enumerate(user_ids)}
    rows = []
    for user in users:
        seen = set(matrix.indices[matrix.indptr[row_of[user]]:matrix.indptr[row_of[user] + 1]]) if user in row_of else set()
        best = [i for i in order[:args.top_n + len(seen)] if i not in seen][:args.top_n]
        rows.append((user, item_ids[best], popularity[best]))
    timer.phase("recommend")
    write_lists(args.out, rows)
    timer.phase("write")
    timer.done()


if __name__ == "__main__":
    main()
