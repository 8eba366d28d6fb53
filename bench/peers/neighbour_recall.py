#!/usr/bin/env python3
"""Recall of one neighbours file against another: the share of the reference's (item, neighbour)
pairs that the other file lists too. Prints the figure alone (bench/vectors runs it)."""
import sys

import pyarrow.ipc as ipc


def pairs(path):
    table = ipc.open_file(path).read_all()
    return set(zip(table.column("item_id").to_pylist(), table.column("neighbor_id").to_pylist()))


def main():
    reference, other = pairs(sys.argv[1]), pairs(sys.argv[2])
    print(f"{len(reference & other) / max(1, len(reference)):.6f}")


if __name__ == "__main__":
    main()
