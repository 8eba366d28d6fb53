"""What every peer script shares: phase timings, the neighbour output file, per-row top-K.

The peers are standalone scripts (run as `python bench/peers/NAME.py ...`); Python puts the
script's own directory on sys.path, so they import this module without any packaging.
"""
import resource
import time

import numpy as np


class PhaseTimer:
    """Prints `timing PHASE SECONDS` lines as phases end, and a total at the end.

    The harness keeps each peer's stdout in its logs; the lines let a reader see where a peer
    spends its time without re-running it.
    """

    def __init__(self, name):
        self.name = name
        self.start = time.perf_counter()
        self.last = self.start

    def phase(self, label):
        now = time.perf_counter()
        print(f"timing {label} {now - self.last:.3f} s", flush=True)
        self.last = now

    def done(self):
        total = time.perf_counter() - self.start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"timing total {total:.3f} s", flush=True)
        print(f"peak_rss_self {peak_mb:.1f} MB", flush=True)


def print_native_threading():
    """Which BLAS kernel and OpenMP runtime run, and with how many threads (see bench/README.md)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return
    for pool in threadpool_info():
        print(
            f"threads {pool.get('internal_api')} {pool.get('version')} "
            f"arch={pool.get('architecture', '-')} n={pool.get('num_threads')}",
            flush=True,
        )


def write_neighbors(path, item_ids, rows, neighbors, scores):
    """Writes one row per (item, neighbour) as an Arrow IPC file, the columns of DESIGN.md.

    rows/neighbors are dense item indices into item_ids, already ordered by row then rank.
    Ids are dictionary-encoded over the item id array, as DESIGN.md allows.
    """
    import pyarrow as pa  # here, not at the top: .venv-recommenders' peers import this module without pyarrow

    rows = np.asarray(rows, dtype=np.int32)
    neighbors = np.asarray(neighbors, dtype=np.int32)
    dictionary = pa.array(np.asarray(item_ids, dtype=object), type=pa.string())
    table = pa.table(
        {
            "item_id": pa.DictionaryArray.from_arrays(pa.array(rows), dictionary),
            "neighbor_id": pa.DictionaryArray.from_arrays(pa.array(neighbors), dictionary),
            "score": pa.array(np.asarray(scores, dtype=np.float32)),
            "rank": pa.array(ranks_within_rows(rows)),
        }
    )
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=1 << 20)


def ranks_within_rows(rows):
    """1-based position of each entry within its run of equal row values (rows are grouped)."""
    n = len(rows)
    if n == 0:
        return np.zeros(0, dtype=np.int16)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    run_lengths = np.diff(np.r_[starts, n])
    return (np.arange(n) - np.repeat(starts, run_lengths) + 1).astype(np.int16)


def top_k_per_row(matrix, k):
    """Top k entries of each CSR row, the diagonal excluded, ordered by score then column.

    A plain per-row loop with np.argpartition: how one would write it with numpy and scipy.
    Returns (rows, columns, scores) in output order.
    """
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    out_rows, out_cols, out_scores = [], [], []
    for row in range(matrix.shape[0]):
        cols = indices[indptr[row]:indptr[row + 1]]
        vals = data[indptr[row]:indptr[row + 1]]
        keep = (cols != row) & (vals > 0)
        cols, vals = cols[keep], vals[keep]
        if len(cols) > k:
            best = np.argpartition(-vals, k - 1)[:k]
            cols, vals = cols[best], vals[best]
        order = np.lexsort((cols, -vals))
        out_rows.append(np.full(len(cols), row, dtype=np.int32))
        out_cols.append(cols[order])
        out_scores.append(vals[order])
    return concat(out_rows, np.int32), concat(out_cols, np.int32), concat(out_scores, np.float32)


def concat(parts, dtype):
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)


CONTENT_FIELDS = ["title", "description", "tags", "category"]


def read_item_texts(items_csv):
    """(item ids, texts): title, description, tags and category joined by spaces, as the stage does."""
    import pandas as pd

    items = pd.read_csv(items_csv, usecols=["item_id"] + CONTENT_FIELDS, dtype=str, keep_default_na=False)
    texts = items[CONTENT_FIELDS[0]].str.cat(items[CONTENT_FIELDS[1:]], sep=" ")
    return items["item_id"].to_numpy(), texts.tolist()


def read_binary_user_items(interactions_csv):
    """(binary users x items CSR float32, item id of each column).

    The behaviour peers all work on this matrix: a user either touched an item (any event type,
    any number of times) or not.
    """
    import pandas as pd
    import scipy.sparse as sp

    frame = pd.read_csv(interactions_csv, usecols=["user_id", "item_id"], dtype=str)
    users, user_ids = pd.factorize(frame["user_id"])
    items, item_ids = pd.factorize(frame["item_id"])
    del frame
    matrix = sp.csr_matrix(
        (np.ones(len(users), dtype=np.float32), (users, items)), shape=(len(user_ids), len(item_ids))
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix, np.asarray(item_ids, dtype=object)
