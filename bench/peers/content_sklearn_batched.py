#!/usr/bin/env python3
"""Content peer (a): the old system's batched similarity, rebuilt from its memory guide.

sklearn TfidfVectorizer with its defaults on title, description, tags and category; then
cosine_similarity of 1000-row batches against all rows into a dense block, np.argpartition to
keep the top K of each row, and the kept neighbours written out. Memory per batch is
batch x N float64, so time grows with N^2 and the block with N.

Deviations from the old code, all in its favour or neutral: the kept neighbours are held as
numpy arrays (not a dict of Python tuples), zero scores and the item itself are not kept (so
the output compares with the other peers and with recstage), ties ordered by neighbour index.
"""
import argparse

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from peer_common import PhaseTimer, print_native_threading, read_item_texts, write_neighbors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", required=True, help="raw items.csv")
    parser.add_argument("--out", required=True, help="output Arrow IPC file")
    parser.add_argument("--top-k", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()

    timer = PhaseTimer("content-sklearn-batched")
    print_native_threading()
    item_ids, texts = read_item_texts(args.items)
    timer.phase("read_csv")
    matrix = TfidfVectorizer().fit_transform(texts)
    del texts
    print(f"tfidf shape={matrix.shape} nnz={matrix.nnz}", flush=True)
    timer.phase("tfidf")
    rows, neighbors, scores = batched_top_k(matrix, args.top_k, args.batch_size)
    timer.phase("similarity")
    write_neighbors(args.out, item_ids, rows, neighbors, scores)
    timer.phase("write")
    timer.done()


def batched_top_k(matrix, top_k, batch_size):
    n = matrix.shape[0]
    k = min(top_k, n - 1)
    batches = (n + batch_size - 1) // batch_size
    print(f"Computing similarity in batches (total={n}, batch_size={batch_size}, top_k={top_k})", flush=True)
    out_rows, out_neighbors, out_scores = [], [], []
    for batch, start in enumerate(range(0, n, batch_size), start=1):
        end = min(start + batch_size, n)
        block = cosine_similarity(matrix[start:end], matrix)
        block[np.arange(end - start), np.arange(start, end)] = -np.inf
        if k > 0:
            best = np.argpartition(-block, k - 1, axis=1)[:, :k]
            best_scores = np.take_along_axis(block, best, axis=1)
            order = np.lexsort((best, -best_scores), axis=1)
            best = np.take_along_axis(best, order, axis=1)
            best_scores = np.take_along_axis(best_scores, order, axis=1)
            kept = best_scores > 0
            block_rows = np.broadcast_to(np.arange(start, end)[:, None], best.shape)
            out_rows.append(block_rows[kept].astype(np.int32))
            out_neighbors.append(best[kept].astype(np.int32))
            out_scores.append(best_scores[kept].astype(np.float32))
        del block
        print(f"Progress: {batch}/{batches} batches ({100.0 * batch / batches:.1f}%)", flush=True)
    if not out_rows:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(out_rows), np.concatenate(out_neighbors), np.concatenate(out_scores)


if __name__ == "__main__":
    main()
