#!/usr/bin/env python3
"""Recommendation peer: implicit 0.7's CosineRecommender, BM25Recommender or AlternatingLeastSquares.

Settings of implicit's own MovieLens example (examples/movielens.py): a binary users x items
matrix (every event of the split counts, as every held-out event is relevant; the example also
drops ratings below 4), BM25Recommender(B=0.2), CosineRecommender() with its default K=20
neighbours, and ALS with its defaults fitted on bm25_weight(matrix, B=0.9) * 5, seeded.
recommend(..., filter_already_liked_items=True) for the users of test.csv.
"""
import argparse
import warnings

import numpy as np
from implicit.als import AlternatingLeastSquares
from implicit.nearest_neighbours import BM25Recommender, CosineRecommender, bm25_weight
from threadpoolctl import threadpool_limits

from peer_common import PhaseTimer, print_native_threading
from recommend_common import read_train, user_item_matrix, users_to_score, write_lists

SEED = 42


def model_and_matrix(name, matrix, threads):
    if name == "cosine":
        return CosineRecommender(num_threads=threads), matrix
    if name == "bm25":
        return BM25Recommender(B=0.2, num_threads=threads), matrix
    if name == "als":
        return AlternatingLeastSquares(num_threads=threads, random_state=SEED), (bm25_weight(matrix, B=0.9) * 5).tocsr()
    raise SystemExit(f"error: unknown model {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, choices=["cosine", "bm25", "als"])
    parser.add_argument("--train", required=True, help="evaluate's split/train.csv")
    parser.add_argument("--test", required=True, help="evaluate's split/test.csv: the users to recommend for")
    parser.add_argument("--out", required=True, help="lists CSV (user_id,item_id,rank,score)")
    parser.add_argument("--top-n", type=int, default=20)
    parser.add_argument("--threads", type=int, default=0, help="0: implicit's default, all cores")
    args = parser.parse_args()

    timer = PhaseTimer(f"recommend-implicit-{args.model}")
    print_native_threading()
    train = read_train(args.train)
    users = users_to_score(args.test)
    timer.phase("read_csv")
    matrix, user_ids, item_ids = user_item_matrix(train, binary=True)
    model, fit_matrix = model_and_matrix(args.model, matrix, args.threads)
    warnings.filterwarnings("ignore", message="Method expects CSR input")  # implicit's own conversion
    with threadpool_limits(1, "blas"):  # implicit's advice: its ALS threads, not OpenBLAS', do the work
        model.fit(fit_matrix, show_progress=False)
    timer.phase("fit")
    row_of = {u: r for r, u in enumerate(user_ids)}
    known = np.array([row_of[u] for u in users if u in row_of], dtype=np.int32)
    ids, scores = model.recommend(known, matrix[known], N=args.top_n, filter_already_liked_items=True)
    timer.phase("recommend")
    rows = []
    for r, row in enumerate(known):
        keep = (ids[r] >= 0) & np.isfinite(scores[r])  # padding where fewer than N candidates exist
        if args.model != "als":
            keep &= scores[r] > 0  # item-item: zero means no neighbour of the history, not a recommendation
        rows.append((user_ids[row], item_ids[ids[r][keep]], scores[r][keep]))
    print(f"users={len(users)} without_history={len(users) - len(known)}", flush=True)
    write_lists(args.out, rows)
    timer.phase("write")
    timer.done()


if __name__ == "__main__":
    main()
