#!/usr/bin/env python3
"""Plots bench/scale's wall time and peak RSS per stage against items, log-log, with the fitted exponents.

Reads bench/results/latest-scale.json (or --results FILE); one line per stage over the sizes where
it finished, the incremental content update beside them, and the pods' memory limit on the RSS
panel. Run with the benchmark venv (matplotlib):
  .venv/bin/python bench/plot_scale.py [--results FILE] [--out docs/scale.png]
"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
COLORS = {"features": "tab:green", "content-similarity": "tab:blue", "behavior-cooccurrence": "tab:orange",
          "recommend": "tab:red", "incremental content": "tab:purple"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=os.path.join(BENCH_DIR, "results", "latest-scale.json"))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(BENCH_DIR), "docs", "scale.png"))
    args = parser.parse_args()
    with open(args.results) as f:
        results = json.load(f)

    figure, (time_axis, rss_axis) = plt.subplots(1, 2, figsize=(13, 6))
    analysis = results["analysis"]["stages"]
    for stage, entry in analysis.items():
        points = [(s["items"], s["stages"][stage]) for s in results["sizes"] if s["stages"][stage]["status"] == "ok"]
        if not points:
            continue
        sizes = [n for n, _ in points]
        time_axis.plot(sizes, [p["wall_s"] for _, p in points], marker="o", color=COLORS[stage],
                       label=f"{stage} (time ∝ N^{_exp(entry['time_exponent'])})")
        projected = [(n, p) for n, p in points if "projected_from" in p]
        if projected:  # a content time projected from some of its shards: hollow, with the measured shard below
            time_axis.scatter([n for n, _ in projected], [p["wall_s"] for _, p in projected], s=120, facecolors="white",
                              edgecolors=COLORS[stage], zorder=3,
                              label=f"{stage} at {projected[0][0]:,}: projected from {projected[0][1]['projected_from']}")
            time_axis.scatter([n for n, _ in projected], [p["measured_wall_s"] for _, p in projected], marker="v",
                              color=COLORS[stage], label=f"{stage} at {projected[0][0]:,}: the shard measured")
        rss_axis.plot(sizes, [p["peak_rss_mb"] for _, p in points], marker="o", color=COLORS[stage],
                      label=f"{stage} (RSS ∝ N^{_exp(entry['rss_exponent'])})")
        for s in results["sizes"]:  # a stage that did not finish at a size: where it stopped
            st = s["stages"][stage]
            if st["status"] not in ("ok", "not run"):
                rss_axis.scatter([s["items"]], [st["peak_rss_mb"]], marker="x", s=80, color=COLORS[stage],
                                 label=f"{stage} at {s['items']:,}: {st['detail'][:60]}")
    updated = [s for s in results["sizes"] if s["incremental"].get("status") == "ok"]
    incremental = [(s["items"], s["incremental"]["content"]) for s in updated]
    if incremental:
        sizes = [n for n, _ in incremental]
        share = updated[0]["incremental"]["added"] / updated[0]["items"]
        style = dict(marker="s", linestyle="--", color=COLORS["incremental content"],
                     label=f"content --previous after {share:.0%} new items")
        time_axis.plot(sizes, [c["wall_s"] for _, c in incremental], **style)
        rss_axis.plot(sizes, [c["peak_rss_mb"] for _, c in incremental], **style)
    rss_axis.axhline(2048, color="grey", linestyle=":", label=f"pod memory limit ({results['memory_limit']})")
    for axis, what in ((time_axis, "wall time, s (sharded: sum of shards)"), (rss_axis, "peak RSS, MB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("items (N), 20 events per item")
        axis.set_ylabel(what)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    m = results["machine"]
    figure.suptitle(f"recstage stages against catalogue size, each under {results['memory_limit']} "
                    f"({m['cpu']}, {m['nproc']} CPUs shared, recstage {m['recstage_commit']})")
    figure.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    figure.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


def _exp(value):
    return "?" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    main()
