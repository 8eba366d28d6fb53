#!/usr/bin/env python3
"""Recall of one neighbours file against another: the share of the reference's (item, neighbour)
pairs that the other file lists too. Prints the figure alone (bench/vectors runs it).

Pairs are compared as integer codes over the reference's item ids (numpy, not Python sets of
strings: 20 million pairs at 100k items × K=200 take seconds instead of minutes)."""
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc


def columns(path):
    table = ipc.open_file(path).read_all()
    return table.column("item_id").combine_chunks(), table.column("neighbor_id").combine_chunks()


def distinct_ids(column):
    return column.dictionary if pa.types.is_dictionary(column.type) else column


def codes(column, ids):
    """Each entry's position in ids; for a dictionary column through its (small) dictionary."""
    if pa.types.is_dictionary(column.type):
        positions = pc.index_in(column.dictionary, value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)
        return positions[column.indices.to_numpy(zero_copy_only=False)]
    return pc.index_in(column, value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)


def main():
    reference, other = columns(sys.argv[1]), columns(sys.argv[2])
    ids = pc.unique(pa.concat_arrays([distinct_ids(c).cast(pa.string()) for c in reference + other]))
    n = len(ids)
    ref_keys = np.unique(codes(reference[0], ids) * n + codes(reference[1], ids))
    other_keys = codes(other[0], ids) * n + codes(other[1], ids)
    print(f"{np.isin(ref_keys, other_keys).sum() / max(1, len(ref_keys)):.6f}")


if __name__ == "__main__":
    main()
