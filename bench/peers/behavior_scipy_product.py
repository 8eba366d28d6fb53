#!/usr/bin/env python3
"""Behaviour peer (b): the same co-occurrence counts as a scipy sparse product BᵀB.

B is the binary users x items matrix; C = BᵀB counts the users two items share and its diagonal
the users of each item; cosine = C[i, j] / sqrt(C[i, i] * C[j, j]); then the top K of each row.
Memory grows with the number of non-zeros of C (all co-occurring pairs), as in peer (a), but in
compact arrays instead of dictionaries.
"""
import argparse

import numpy as np

from peer_common import PhaseTimer, print_native_threading, read_binary_user_items, top_k_per_row, write_neighbors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", required=True, help="raw interactions.csv")
    parser.add_argument("--out", required=True, help="output Arrow IPC file")
    parser.add_argument("--top-k", type=int, default=200)
    args = parser.parse_args()

    timer = PhaseTimer("behavior-scipy-product")
    print_native_threading()
    binary, item_ids = read_binary_user_items(args.interactions)
    timer.phase("read_csv")
    counts = (binary.T @ binary).tocsr()
    del binary
    print(f"items={counts.shape[0]} product_nnz={counts.nnz}", flush=True)
    timer.phase("product")
    inverse_norm = 1.0 / np.sqrt(counts.diagonal())
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    counts.data *= inverse_norm[rows] * inverse_norm[counts.indices]
    del rows
    timer.phase("normalise")
    rows, cols, scores = top_k_per_row(counts, args.top_k)
    del counts
    timer.phase("top_k")
    write_neighbors(args.out, item_ids, rows, cols, scores)
    timer.phase("write")
    timer.done()


if __name__ == "__main__":
    main()
