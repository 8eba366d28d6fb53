#!/usr/bin/env python3
"""Behaviour peer (c): implicit's CosineRecommender fit on the same binary users x items matrix.

implicit keeps the K most similar items of each item, itself included, so it is fit with K+1
and the item itself is dropped, leaving K neighbours as in recstage's output.
"""
import argparse
import warnings

from implicit.nearest_neighbours import CosineRecommender

from peer_common import PhaseTimer, print_native_threading, read_binary_user_items, top_k_per_row, write_neighbors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", required=True, help="raw interactions.csv")
    parser.add_argument("--out", required=True, help="output Arrow IPC file")
    parser.add_argument("--top-k", type=int, default=200)
    parser.add_argument("--threads", type=int, default=0, help="0: implicit's default, all cores")
    args = parser.parse_args()

    timer = PhaseTimer("behavior-implicit-cosine")
    print_native_threading()
    user_items, item_ids = read_binary_user_items(args.interactions)
    timer.phase("read_csv")
    # implicit's own fit hands its all_pairs_knn a COO matrix and warns about it; nothing to act on
    warnings.filterwarnings("ignore", message="Method expects CSR input")
    model = CosineRecommender(K=args.top_k + 1, num_threads=args.threads)
    model.fit(user_items, show_progress=False)
    print(f"items={model.similarity.shape[0]} similarity_nnz={model.similarity.nnz}", flush=True)
    timer.phase("fit")
    rows, cols, scores = top_k_per_row(model.similarity, args.top_k)
    timer.phase("top_k")
    write_neighbors(args.out, item_ids, rows, cols, scores)
    timer.phase("write")
    timer.done()


if __name__ == "__main__":
    main()
