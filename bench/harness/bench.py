"""The shared shape of the three benchmarks: cases, contestants, interleaved runs, the report.

A case is one data set; a contestant is one or more whole processes run in sequence on it
(recstage: features then the stage; a peer: one script). Runs are interleaved (run 1 of every
contestant, then run 2, ...) so that drift on a shared machine hits all alike. Per contestant the
report gives the median wall time (sum of its processes) and the median peak RSS (max of its
processes, /usr/bin/time -v's "Maximum resident set size"), and ratios peer/recstage.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from . import machine
from .runner import GIB, Limits, read_text, run_measured

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH_DIR)
PEERS = os.path.join(BENCH_DIR, "peers")
RECSTAGE = os.path.join(REPO, "bin", "recstage")
STOPPED = ("oom", "low-memory", "timeout")  # failures that a bigger input would only repeat
TIMING_LINE = re.compile(r"^timing (\S+) ([0-9.]+) s$", re.MULTILINE)
DATA = "{data}"  # stands for the case's raw data directory in a step's arguments


def data_file(name):
    return os.path.join(DATA, name)


@dataclass
class Step:
    label: str
    argv: list
    output: str  # file or directory removed before each run
    python_peer: bool = False


@dataclass
class Contestant:
    key: str  # short name for --only and the JSON
    label: str
    steps: list
    is_recstage: bool = False


@dataclass
class Case:
    title: str
    series: str  # cases of one series grow in size: a peer stopped by a limit is not run again
    data: dict  # arguments of `bin/recstage generate` (items, users, events, seed, crawler_share)
    contestants: list = field(default_factory=list)


def common_arguments(description, epilog=""):
    parser = argparse.ArgumentParser(description=description, epilog=epilog,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and one run: a smoke test of the harness")
    parser.add_argument("--runs", type=int, help="runs per contestant (default 3, --quick 1)")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                        help="threads for recstage and the threaded peers (default: nproc)")
    parser.add_argument("--only", help="comma-separated contestant keys to run, e.g. recstage,a")
    parser.add_argument("--data", help="use this directory of items.csv and interactions.csv instead of generating")
    parser.add_argument("--mem-cap-gb", type=float, default=14.0,
                        help="kill a process whose resident memory passes this (default 14)")
    parser.add_argument("--timeout", type=float, help="seconds before a process is killed (default 7200, --quick 600)")
    parser.add_argument("--python", default=os.path.join(REPO, ".venv", "bin", "python"),
                        help="interpreter of the peers (default: .venv/bin/python with bench/requirements.txt)")
    parser.add_argument("--work", default=os.path.join(BENCH_DIR, "work"), help="generated data and outputs")
    parser.add_argument("--results", default=os.path.join(BENCH_DIR, "results"), help="reports")
    return parser


def peer_step(args, label, script, arguments, output):
    return Step(label, [args.python, os.path.join(PEERS, script)] + arguments, output, python_peer=True)


def recstage_step(label, arguments, output):
    return Step(label, [RECSTAGE] + arguments, output)


def features_step(out_dir):
    return recstage_step("features", ["features", "--items", data_file("items.csv"),
                                      "--interactions", data_file("interactions.csv"), "--out", out_dir], out_dir)


def output_dir(args, bench, case_name, contestant_key):
    return os.path.join(args.work, "out", bench, case_name, contestant_key)


def run_benchmark(name, args, cases, notes, after_case=None):
    """Prepares data, runs every case, prints the Markdown report and saves it with the JSON.

    Each case's table is printed and saved as soon as it is done, so a long run that is stopped
    keeps what it measured. after_case(case, rows) may return (Markdown, dict) to add to the case's
    section and JSON: what a bench measures on the contestants' outputs besides time and memory.
    """
    runs = args.runs or (1 if args.quick else 3)
    limits = Limits(int(args.mem_cap_gb * GIB), args.timeout or (600 if args.quick else 7200))
    only = set(args.only.split(",")) if args.only else None
    # One given data set instead of generated ones (a bench that made its case from --data itself,
    # with "dir" in the case's data, keeps that case's title and data).
    if args.data and "dir" not in cases[0].data:
        cases = [cases[0]]
        cases[0].title, cases[0].data = f"raw data in {args.data}", {"dir": os.path.abspath(args.data)}
    _check_prerequisites(args, cases, only)
    _prepare_recstage(cases, only)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out_dir = os.path.join(args.results, f"{name}-{stamp}")
    os.makedirs(os.path.join(out_dir, "logs"), exist_ok=True)
    env = machine.benchmark_environment()
    about = machine.describe(REPO, args.python)
    command = " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])
    header = [
        f"# {name} benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        machine.as_markdown(about),
        "",
        f"Command: `{command}`. {runs} run(s) per contestant, interleaved; medians. Wall time: from process start "
        f"to exit, summed over a contestant's processes; peak RSS: `/usr/bin/time -v` maximum resident set size, "
        f"max over its processes. Each process is killed above {args.mem_cap_gb:g} GB RSS or after "
        f"{limits.timeout_seconds:g} s. Threads: {args.threads}.",
    ]
    header += [""] + notes
    print("\n".join(header) + "\n", flush=True)
    stopped = {}  # (series, contestant key) -> case title where a limit stopped it
    sections, results = [], []
    for case in cases:
        data_dir = args.data or case.data.get("dir") or generate_data(args.work, case.data)
        contestants = [c for c in case.contestants if only is None or c.key in only]
        measured = {c.key: [] for c in contestants}
        for run in range(1, runs + 1):
            for contestant in contestants:
                if (case.series, contestant.key) in stopped or _failed(measured[contestant.key]):
                    continue
                steps = _run_contestant(contestant, data_dir, case, run, out_dir, limits, env)
                measured[contestant.key].append(steps)
                _progress(case, run, contestant, steps)
                if any(s.status in STOPPED for s in steps):
                    stopped[(case.series, contestant.key)] = case.title
        rows = [_summarise(c, measured[c.key], stopped.get((case.series, c.key))) for c in contestants]
        sections.append(_table(case, rows))
        result = {"title": case.title, "series": case.series, "data": case.data, "contestants": rows}
        if after_case:
            markdown, extra = after_case(case, rows)
            sections[-1] += "\n" + markdown
            result.update(extra)
        print(sections[-1], flush=True)
        results.append(result)
        _save(args.results, out_dir, name, "\n".join(header + [""] + sections),
              {"bench": name, "machine": about, "command": command, "runs": runs, "threads": args.threads,
               "cases": results})
    print(f"saved: {os.path.relpath(out_dir, REPO)}/ (report.md, results.json, logs/)", file=sys.stderr)


def _check_prerequisites(args, cases, only):
    wanted = [c for case in cases for c in case.contestants if only is None or c.key in only]
    if any(c.is_recstage for c in wanted) or not args.data:
        if not os.access(RECSTAGE, os.X_OK):
            sys.exit(f"{RECSTAGE} not found: build recstage (see README.md), or pass --data DIR and --only with peers")
    if any(s.python_peer for c in wanted for s in c.steps) and not os.access(args.python, os.X_OK):
        sys.exit(f"{args.python} not found: python3 -m venv .venv && .venv/bin/pip install -r bench/requirements.txt")


def _prepare_recstage(cases, only):
    """Runs each recstage stage once with --help, so that no measured run includes making the stage's
    class-data archive (bin/recstage makes it on the first run after a build)."""
    stages = {s.argv[1] for case in cases for c in case.contestants if only is None or c.key in only
              for s in c.steps if s.argv[0] == RECSTAGE}
    for stage in sorted(stages):
        subprocess.run([RECSTAGE, stage, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def generate_data(work, data):
    """Generates the raw CSVs once per set of arguments; later runs reuse them."""
    name = "-".join(f"{k}{v}" for k, v in sorted(data.items()))
    target = os.path.join(work, "data", name)
    marker = os.path.join(target, "generate-arguments.json")
    if os.path.exists(marker):
        with open(marker) as f:
            if json.load(f) == data:
                return target
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    argv = [RECSTAGE, "generate"]
    for key, value in data.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    argv += ["--out", target]
    print(f"generating: {' '.join(argv)}", file=sys.stderr, flush=True)
    if subprocess.run(argv, stdout=sys.stderr).returncode != 0:
        sys.exit(f"`{' '.join(argv)}` failed (see above); pass --data DIR to use existing raw CSVs")
    with open(marker, "w") as f:
        json.dump(data, f)
    return target


def _run_contestant(contestant, data_dir, case, run, out_dir, limits, env):
    """Runs the contestant's processes in order; stops at the first that fails."""
    measurements = []
    for step in contestant.steps:
        _remove(step.output)
        os.makedirs(os.path.dirname(step.output), exist_ok=True)
        prefix = os.path.join(out_dir, "logs", _slug(f"{case.title}-{contestant.key}-{step.label}-run{run}"))
        argv = [a.replace(DATA, data_dir) for a in step.argv]
        m = run_measured(argv, prefix, limits, env, address_space_limit=step.python_peer)
        measurements.append(m)
        if not m.ok:
            break
    return measurements


def _failed(runs):
    return any(not m.ok for steps in runs for m in steps)


def _summarise(contestant, runs, stopped_in):
    row = {"key": contestant.key, "label": contestant.label, "recstage": contestant.is_recstage,
           "steps": [s.label for s in contestant.steps], "runs": [
               [{"status": m.status, "wall_s": round(m.wall_seconds, 3), "peak_rss_mb": _mb(m.peak_rss_bytes),
                 "detail": m.detail, "log": os.path.relpath(m.log_prefix, REPO)} for m in steps] for steps in runs]}
    if not runs:
        row.update(status="skipped", detail=f"not run: stopped by a limit at {stopped_in}")
        return row
    failure = next((m for steps in runs for m in steps if not m.ok), None)
    if failure:
        failed_steps = next(steps for steps in runs if any(not m.ok for m in steps))
        row.update(status=failure.status, detail=failure.detail,
                   wall_s=sum(m.wall_seconds for m in failed_steps),
                   peak_rss_mb=max(_mb(m.peak_rss_bytes) for m in failed_steps))
        return row
    row.update(status="ok", detail="",
               wall_s=statistics.median(sum(m.wall_seconds for m in steps) for steps in runs),
               peak_rss_mb=statistics.median(max(_mb(m.peak_rss_bytes) for m in steps) for steps in runs),
               step_medians=[{"label": label,
                              "wall_s": statistics.median(steps[i].wall_seconds for steps in runs),
                              "peak_rss_mb": statistics.median(_mb(steps[i].peak_rss_bytes) for steps in runs)}
                             for i, label in enumerate(row["steps"])] if len(contestant.steps) > 1 else [],
               in_process=_in_process_medians(runs))
    return row


def _in_process_medians(runs):
    """Medians over the runs of the `timing PHASE SECONDS s` lines that peers print (bench/peers/peer_common.py
    PhaseTimer): the time inside the process, without interpreter start-up and imports."""
    per_run = []
    for steps in runs:
        phases = {}
        for m in steps:
            for match in TIMING_LINE.finditer(read_text(m.log_prefix + ".out")):
                phases[match.group(1)] = phases.get(match.group(1), 0.0) + float(match.group(2))
        per_run.append(phases)
    names = [name for name in per_run[0] if all(name in phases for phases in per_run)]
    return {name: round(statistics.median(phases[name] for phases in per_run), 3) for name in names}


def _table(case, rows):
    reference = next((r for r in rows if r["recstage"] and r["status"] == "ok"), None)
    lines = [f"## {case.title}", "",
             "| contestant | wall s (median) | peak RSS MB (median) | wall ratio peer/recstage | RSS ratio peer/recstage | runs |",
             "|---|---:|---:|---:|---:|---|"]
    for row in rows:
        if row["status"] == "skipped":
            lines.append(f"| {row['label']} | | | | | {row['detail']} |")
            continue
        stopped = "≥ " if row["status"] in STOPPED else ""  # a killed process would have gone on
        ratio_wall = ratio_rss = ""
        if reference and not row["recstage"] and row["status"] in ("ok",) + STOPPED:
            ratio_wall = f"{stopped}{row['wall_s'] / reference['wall_s']:.2f}"
            ratio_rss = f"{stopped}{row['peak_rss_mb'] / reference['peak_rss_mb']:.2f}"
        status = f"{len(row['runs'])} ok" if row["status"] == "ok" else row["detail"]
        lines.append(f"| {row['label']} | {stopped}{_seconds(row['wall_s'])} | {stopped}{row['peak_rss_mb']:,.0f} "
                     f"| {ratio_wall} | {ratio_rss} | {status} |")
        for step in row.get("step_medians", []):
            lines.append(f"| ↳ {step['label']} | {_seconds(step['wall_s'])} | {step['peak_rss_mb']:,.0f} | | | |")
        if row.get("in_process"):
            phases = ", ".join(f"{name} {_seconds(seconds)}" for name, seconds in row["in_process"].items())
            lines.append(f"| ↳ in process (medians, s): {phases} | | | | | |")
    return "\n".join(lines + [""])


def _progress(case, run, contestant, steps):
    wall = sum(m.wall_seconds for m in steps)
    rss = max(_mb(m.peak_rss_bytes) for m in steps)
    state = "ok" if all(m.ok for m in steps) else steps[-1].detail
    print(f"[{case.title}] run {run} {contestant.label}: {wall:.2f} s, {rss:,.0f} MB, {state}",
          file=sys.stderr, flush=True)


def _save(results_dir, out_dir, name, report, data):
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(report + "\n")
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(data, f, indent=1)
    for suffix in (".md", ".json"):
        source = os.path.join(out_dir, "report.md" if suffix == ".md" else "results.json")
        shutil.copyfile(source, os.path.join(results_dir, f"latest-{name}{suffix}"))


def _remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def _slug(text):
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)


def _mb(num_bytes):
    return num_bytes / (1 << 20)


def _seconds(value):
    return f"{value:.2f}" if value < 100 else f"{value:,.0f}"
