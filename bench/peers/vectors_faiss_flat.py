#!/usr/bin/env python3
"""Vector peer: Faiss IndexFlatIP, the exact inner-product index the old system used (USE_FAISS_RECALL).

Reads the embeddings (item_id, embedding list<float>), L2-normalises them as recstage does (in
double, stored as float32; zero or non-finite vectors are left out), builds IndexFlatIP, searches
every item's top K+1 with the given threads and drops the item itself. Prints the in-process build
and search times (wall and CPU) and writes the neighbours as Arrow for the recall check.

faiss-cpu 1.15.1 bundles OpenBLAS 0.3.15, which does not recognise this machine's CPU (AMD EPYC
with AVX-512) and falls back to its Barcelona kernels, 2.6× the CPU time of its SkylakeX ones here
(20k items: search 9.2 CPU s against 3.6). So this peer names the best kernel of that OpenBLAS for
the CPU's instruction set (OPENBLAS_CORETYPE, read when faiss loads; numpy's own OpenBLAS is
loaded before and keeps detecting for itself).
"""
import argparse
import json
import os
import time

import numpy as np

from peer_common import PhaseTimer, print_native_threading, write_neighbors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embeddings", required=True, help="embeddings.arrow of `bin/recstage generate --embeddings-dim`")
    parser.add_argument("--out", required=True, help="output Arrow IPC file")
    parser.add_argument("--top-k", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    os.environ["OPENBLAS_CORETYPE"] = blas_core_type()
    import faiss  # after the thread variables, which the BLAS inside reads when it loads

    faiss.omp_set_num_threads(args.threads)
    timer = PhaseTimer("vectors-faiss-flat")
    print_native_threading()
    item_ids, present, unit = unit_vectors(args.embeddings)
    timer.phase("read_and_normalise")

    wall, cpu = time.perf_counter(), time.process_time()
    index = faiss.IndexFlatIP(unit.shape[1])
    index.add(unit)
    build_wall, build_cpu = time.perf_counter() - wall, time.process_time() - cpu
    timer.phase("build")
    wall, cpu = time.perf_counter(), time.process_time()
    scores, neighbors = index.search(unit, args.top_k + 1)
    search_wall, search_cpu = time.perf_counter() - wall, time.process_time() - cpu
    timer.phase("search")
    n, d = unit.shape
    print("vectors " + json.dumps({"items": int(n), "dimension": int(d), "build_s": build_wall, "search_s": search_wall,
                                   "build_cpu_s": build_cpu, "search_cpu_s": search_cpu,
                                   "gflop": 2.0 * n * n * d / 1e9, "faiss": faiss.__version__}), flush=True)

    rows = np.repeat(np.arange(n, dtype=np.int64), args.top_k + 1).reshape(n, -1)
    keep = (neighbors != rows) & (neighbors >= 0)
    keep &= np.cumsum(keep, axis=1) <= args.top_k
    write_neighbors(args.out, item_ids[present], rows[keep], neighbors[keep], scores[keep])
    timer.phase("write")
    timer.done()


def unit_vectors(embeddings):
    """The item ids, the indexes of the items with a usable vector (non-zero, finite) and those
    vectors L2-normalised as recstage does them: in double, stored as float32, row-major."""
    import pyarrow.ipc as ipc

    table = ipc.open_file(embeddings).read_all()
    item_ids = table.column("item_id").to_numpy(zero_copy_only=False)
    vectors = np.asarray(table.column("embedding").combine_chunks().flatten(), dtype=np.float64).reshape(len(item_ids), -1)
    norms = np.linalg.norm(vectors, axis=1)
    present = np.flatnonzero((norms > 0) & np.isfinite(norms))
    return item_ids, present, np.ascontiguousarray((vectors[present] / norms[present, None]).astype(np.float32))


def blas_core_type():
    with open("/proc/cpuinfo") as f:
        flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    return "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else "Prescott"


if __name__ == "__main__":
    main()
