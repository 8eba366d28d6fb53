#!/usr/bin/env python3
"""Vector peer: an HNSW index from Faiss (IndexHNSWFlat, inner product), hnswlib or USearch ('ip' metric).

Reads and normalises the embeddings as vectors_faiss_flat.py does, builds the index with the given
M and efConstruction on the given threads, then for each efSearch of --ef-search searches every
item's top K+1 and drops the item itself. Prints one `vectors {json}` line per efSearch (build
time, search time, wall and CPU) and writes the neighbours of each efSearch as Arrow, to --out with
`{ef}` replaced, for the recall check.
"""
import argparse
import json
import os
import time

import numpy as np

from peer_common import PhaseTimer, print_native_threading, write_neighbors
from vectors_faiss_flat import blas_core_type, unit_vectors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", choices=["faiss", "hnswlib", "usearch"], required=True)
    parser.add_argument("--embeddings", required=True, help="embeddings.arrow of `bin/recstage generate --embeddings-dim`")
    parser.add_argument("--out", required=True, help="output Arrow IPC file; {ef} stands for the efSearch")
    parser.add_argument("--top-k", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--m", type=int, default=16)
    parser.add_argument("--ef-construction", type=int, default=100)
    parser.add_argument("--ef-search", default="400", help="comma-separated; the index is built once")
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    os.environ["OPENBLAS_CORETYPE"] = blas_core_type()
    timer = PhaseTimer(f"vectors-{args.library}-hnsw")
    item_ids, present, unit = unit_vectors(args.embeddings)
    timer.phase("read_and_normalise")
    index, version, search = {"faiss": faiss_index, "hnswlib": hnswlib_index, "usearch": usearch_index}[args.library](unit, args)
    print_native_threading()
    timer.phase("build")
    n, d = unit.shape
    for ef in [int(e) for e in args.ef_search.split(",")]:
        wall, cpu = time.perf_counter(), time.process_time()
        scores, neighbors = search(ef, args.top_k + 1)
        search_wall, search_cpu = time.perf_counter() - wall, time.process_time() - cpu
        print("vectors " + json.dumps({"items": int(n), "dimension": int(d), "library": args.library, "version": version,
                                       "m": args.m, "ef_construction": args.ef_construction, "ef_search": ef,
                                       "build_s": index["build_s"], "build_cpu_s": index["build_cpu_s"],
                                       "search_s": search_wall, "search_cpu_s": search_cpu}), flush=True)
        rows = np.repeat(np.arange(n, dtype=np.int64), args.top_k + 1).reshape(n, -1)
        keep = (neighbors != rows) & (neighbors >= 0)
        keep &= np.cumsum(keep, axis=1) <= args.top_k
        write_neighbors(args.out.replace("{ef}", str(ef)), item_ids[present], rows[keep], neighbors[keep], scores[keep])
        timer.phase(f"search_ef{ef}")
    timer.done()


def faiss_index(unit, args):
    import faiss

    faiss.omp_set_num_threads(args.threads)
    wall, cpu = time.perf_counter(), time.process_time()
    index = faiss.IndexHNSWFlat(unit.shape[1], args.m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = args.ef_construction
    index.add(unit)
    built = {"build_s": time.perf_counter() - wall, "build_cpu_s": time.process_time() - cpu}

    def search(ef, k):
        index.hnsw.efSearch = ef
        return index.search(unit, k)

    return built, faiss.__version__, search


def hnswlib_index(unit, args):
    import hnswlib

    n, d = unit.shape
    wall, cpu = time.perf_counter(), time.process_time()
    index = hnswlib.Index(space="ip", dim=d)
    index.init_index(max_elements=n, ef_construction=args.ef_construction, M=args.m, random_seed=42)
    index.add_items(unit, np.arange(n), num_threads=args.threads)
    built = {"build_s": time.perf_counter() - wall, "build_cpu_s": time.process_time() - cpu}

    def search(ef, k):
        index.set_ef(ef)
        labels, distances = index.knn_query(unit, k=k, num_threads=args.threads)
        return 1.0 - distances, labels.astype(np.int64)  # 'ip' distance is 1 - inner product

    return built, "0.8.0", search


def usearch_index(unit, args):
    import usearch
    from usearch.index import Index

    n, d = unit.shape
    wall, cpu = time.perf_counter(), time.process_time()
    index = Index(ndim=d, metric="ip", dtype="f32", connectivity=args.m, expansion_add=args.ef_construction)
    index.add(np.arange(n), unit, threads=args.threads)
    built = {"build_s": time.perf_counter() - wall, "build_cpu_s": time.process_time() - cpu}

    def search(ef, k):
        index.expansion_search = ef
        matches = index.search(unit, k, threads=args.threads)
        # 'ip' distance is 1 - inner product; a missing neighbour's key (the largest uint64) becomes -1
        return 1.0 - matches.distances, matches.keys.astype(np.int64)

    return built, usearch.__version__, search


if __name__ == "__main__":
    main()
