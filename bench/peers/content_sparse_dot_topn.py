#!/usr/bin/env python3
"""Content peer (b): sparse_dot_topn's sp_matmul_topn on the same TF-IDF matrix.

TfidfVectorizer with sklearn's defaults except dtype float32 (the precision recstage works in,
and sparse_dot_topn's faster path), then X·Xᵀ keeping the top K+1 of each row with the given
thread count; the item itself is dropped so that K neighbours remain, as in recstage's output.
"""
import argparse

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sparse_dot_topn import sp_matmul_topn

from peer_common import PhaseTimer, print_native_threading, ranks_within_rows, read_item_texts, write_neighbors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", required=True, help="raw items.csv")
    parser.add_argument("--out", required=True, help="output Arrow IPC file")
    parser.add_argument("--top-k", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    args = parser.parse_args()

    timer = PhaseTimer("content-sparse-dot-topn")
    print_native_threading()
    item_ids, texts = read_item_texts(args.items)
    timer.phase("read_csv")
    matrix = TfidfVectorizer(dtype=np.dtype(args.dtype)).fit_transform(texts)
    del texts
    print(f"tfidf shape={matrix.shape} nnz={matrix.nnz}", flush=True)
    timer.phase("tfidf")
    product = sp_matmul_topn(
        matrix, matrix.T.tocsr(), top_n=args.top_k + 1, sort=True, n_threads=args.threads
    )
    timer.phase("sp_matmul_topn")
    rows, neighbors, scores = drop_self_and_truncate(product, args.top_k)
    timer.phase("drop_self")
    write_neighbors(args.out, item_ids, rows, neighbors, scores)
    timer.phase("write")
    timer.done()


def drop_self_and_truncate(product, k):
    """Rows come sorted by score; removes the diagonal and keeps the first k of each row."""
    rows = np.repeat(np.arange(product.shape[0], dtype=np.int32), np.diff(product.indptr))
    keep = (product.indices != rows) & (product.data > 0)
    rows, cols, vals = rows[keep], product.indices[keep], product.data[keep]
    within = ranks_within_rows(rows) <= k
    return rows[within], cols[within], vals[within]


if __name__ == "__main__":
    main()
