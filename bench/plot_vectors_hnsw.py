#!/usr/bin/env python3
"""Recall against search time of the HNSW contestants of bench/vectors, one point per efSearch.

  .venv/bin/python bench/plot_vectors_hnsw.py --points bench/work/out/vectors/items100000/sweep/points.json --out docs/vectors_hnsw.png
(bench/vectors --sweep writes the points and calls this.)
"""
import argparse
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.points) as f:
        sweep = json.load(f)
    figure, axes = plt.subplots(figsize=(7, 4.5))
    points = sweep["points"]
    for key in dict.fromkeys(p["key"] for p in points):
        mine = sorted((p for p in points if p["key"] == key), key=lambda p: p["ef_search"])
        axes.plot([p["search_s"] for p in mine], [p["recall"] for p in mine], marker="o", label=key)
        for p in mine:
            axes.annotate(str(p["ef_search"]), (p["search_s"], p["recall"]), textcoords="offset points", xytext=(4, -10), fontsize=7)
    axes.axhline(0.95, color="grey", linewidth=0.8, linestyle="--")
    axes.set_xlabel(f"search of all items' top {sweep['top_k']}, wall s in process ({sweep['threads']} threads, busy machine)")
    axes.set_ylabel(f"recall@{sweep['top_k']} against exact")
    axes.set_title(f"HNSW, {sweep['title']}, M={sweep['m']}, efConstruction={sweep['ef_construction']}; labels: efSearch",
                   fontsize=9)
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)


if __name__ == "__main__":
    main()
