#!/usr/bin/env python3
"""Plots wall time and peak RSS against the number of items from the benchmarks' results.json.

Reads the content scaling series (`bench/content_similarity --scaling`) and the behaviour one
(`bench/behavior_cooccurrence --scaling`, else its default run; crawler cases are left out) and
draws one line per contestant that finished at two or more sizes; a contestant stopped by a
limit says so in the legend. Run with the benchmark venv (matplotlib):
  .venv/bin/python bench/plot_scaling.py [--content FILE] [--behavior FILE] [--out docs/content_scaling.png]
"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(BENCH_DIR, "results")
STYLES = {"content": {"color": "tab:blue"}, "behaviour": {"color": "tab:orange"}}
MARKERS = {"recstage": "o", "a": "s", "b": "^", "c": "D"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=_first_existing("content_similarity-scaling", "content_similarity"))
    parser.add_argument("--behavior", default=_first_existing("behavior_cooccurrence-scaling", "behavior_cooccurrence"))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(BENCH_DIR), "docs", "content_scaling.png"))
    args = parser.parse_args()

    figure, (time_axis, rss_axis) = plt.subplots(1, 2, figsize=(13, 6.2))
    machine = None
    for kind, path in (("content", args.content), ("behaviour", args.behavior)):
        if not path or not os.path.exists(path):
            print(f"no {kind} results ({path}); left out")
            continue
        with open(path) as f:
            results = json.load(f)
        machine = machine or results["machine"]
        for label, key, points, stopped in series(results):
            style = dict(STYLES[kind], marker=MARKERS.get(key, "o"),
                         linewidth=2.5 if key == "recstage" else 1.2,
                         linestyle="-" if key == "recstage" else "--")
            legend = f"{kind}: {label}" + (f" (stopped at {stopped})" if stopped else "")
            sizes = [p["items"] for p in points]
            time_axis.plot(sizes, [p["wall_s"] for p in points], label=legend, **style)
            rss_axis.plot(sizes, [p["peak_rss_mb"] for p in points], label=legend, **style)
    for axis, what in ((time_axis, "wall time, s (median)"), (rss_axis, "peak RSS, MB (median)")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("items (N)")
        axis.set_ylabel(what)
        axis.grid(True, which="both", alpha=0.3)
    handles, labels = time_axis.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=2, fontsize=8, frameon=False)
    if machine:
        figure.suptitle(f"recstage against its peers: whole processes from the raw CSVs, K=200 "
                        f"({machine['cpu']}, {machine['nproc']} CPUs, {machine['memory_gib']} GiB)")
    figure.tight_layout(rect=(0, 0.04 + 0.035 * ((len(labels) + 1) // 2), 1, 1))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    figure.savefig(args.out, dpi=120)
    print(f"wrote {args.out}")


def series(results):
    """(label, key, finished points by size, size where a limit stopped it) per contestant."""
    by_key = {}
    for case in results["cases"]:
        if "items" not in case["data"] or case["data"].get("crawler_share"):
            continue
        for row in case["contestants"]:
            entry = by_key.setdefault(row["key"], {"label": row["label"], "points": [], "stopped": None})
            if row["status"] == "ok":
                entry["points"].append({"items": case["data"]["items"], "wall_s": row["wall_s"],
                                        "peak_rss_mb": row["peak_rss_mb"]})
            elif entry["stopped"] is None:
                entry["stopped"] = f"{case['data']['items']:,} items: {row['detail']}"
    return [(e["label"], key, sorted(e["points"], key=lambda p: p["items"]), e["stopped"])
            for key, e in by_key.items() if e["points"]]


def _first_existing(*names):
    for name in names:
        path = os.path.join(RESULTS, f"latest-{name}.json")
        if os.path.exists(path):
            return path
    return None


if __name__ == "__main__":
    main()
