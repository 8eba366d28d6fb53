"""Offline quality of each content text rule on MovieLens: `bin/recstage evaluate` once per setting.

The evidence for (or against) changing a content default: the content-only row (recommendations
from content neighbours alone) and the blend, per setting of CONTENT_DIGIT_TOKENS,
CONTENT_STOP_WORDS and CONTENT_FIELD_WEIGHTS, on the per-user chronological split (last 25% of
each user's ratings held out). Items: movies.csv (title with its year, genres as category); no
user tags, since tags.csv holds user events of every date, which a time split must not see.

What is a year worth? The `year-*` settings read movies_year.csv, prepared here: movies.csv with a
`description` column holding the title's year as the token `y1972` (not all digits), and run with
CONTENT_DIGIT_TOKENS=drop: the title's own year token is dropped, and CONTENT_FIELD_WEIGHTS=
description:w gives the year exactly weight w (year-1 is the default analysis up to the few other
all-digit title words, such as "2012" or "300").

    .venv/bin/python bench/content_rules_evaluate.py [--only LABEL,...]

Each setting's evaluate output lands in bench/work/content-eval/<label>/ (evaluation.md, .json);
the table is printed and written to bench/work/content-eval/summary.md. Quality does not depend
on the machine's load; the times in each evaluation.md do.
"""
import argparse
import csv
import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "movielens-ml-latest-small"
WORK = ROOT / "bench" / "work" / "content-eval"
DROP, ENGLISH = {"CONTENT_DIGIT_TOKENS": "drop"}, {"CONTENT_STOP_WORDS": "english"}
SETTINGS = {
    "default": {},
    "digits-drop": DROP,
    "stop-english": ENGLISH,
    "category-2": {"CONTENT_FIELD_WEIGHTS": "category:2"},
    "category-3": {"CONTENT_FIELD_WEIGHTS": "category:3"},
    "title-2": {"CONTENT_FIELD_WEIGHTS": "title:2"},
    "drop-english": {**DROP, **ENGLISH},
    "drop-english-category-2": {**DROP, **ENGLISH, "CONTENT_FIELD_WEIGHTS": "category:2"},
    "drop-english-category-3": {**DROP, **ENGLISH, "CONTENT_FIELD_WEIGHTS": "category:3"},
    "year-0.5": {**DROP, "CONTENT_FIELD_WEIGHTS": "description:0.5"},
    "year-1": {**DROP, "CONTENT_FIELD_WEIGHTS": "description:1"},
    "year-2": {**DROP, "CONTENT_FIELD_WEIGHTS": "description:2"},
}
YEAR = re.compile(r"\((\d{4})[^)]*\)\s*$")
METRICS = [("10", "ndcg"), ("10", "recall"), ("10", "precision"), ("20", "ndcg"), ("20", "recall"), ("20", "coverage")]


def movies_with_year_field(target: pathlib.Path) -> pathlib.Path:
    """movies.csv plus `description` = the title's year as one token, y1972 (empty when the title has none)."""
    WORK.mkdir(parents=True, exist_ok=True)
    with (DATA / "movies.csv").open(newline="", encoding="utf-8") as src, target.open("w", newline="", encoding="utf-8") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames + ["description"])
        writer.writeheader()
        for row in reader:
            year = YEAR.search(row["title"])
            writer.writerow({**row, "description": "y" + year.group(1) if year else ""})
    return target


def evaluate(label, env):
    out = WORK / label
    items = movies_with_year_field(WORK / "movies_year.csv") if label.startswith("year-") else DATA / "movies.csv"
    args = [str(ROOT / "bin" / "recstage"), "evaluate", "--items", str(items),
            "--interactions", str(DATA / "ratings.csv"), "--items-map", "item_id=movieId", "--items-map", "category=genres",
            "--interactions-map", "user_id=userId", "--interactions-map", "item_id=movieId",
            "--interactions-map", "create_time=timestamp", "--interactions-map", "weight=rating", "--out", str(out)]
    WORK.mkdir(parents=True, exist_ok=True)
    with (WORK / f"{label}.log").open("w") as log:
        result = subprocess.run(args, env=dict(os.environ, **env), stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        sys.exit(f"evaluate {label} failed ({result.returncode}); see {WORK / (label + '.log')}")
    return {row["row"]: row["metrics"] for row in json.loads((out / "evaluation.json").read_text())["rows"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated labels among: " + ", ".join(SETTINGS))
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"skipped: {DATA} is absent")
    labels = args.only.split(",") if args.only else list(SETTINGS)
    header = "| setting | row | " + " | ".join(f"{m}@{k}" for k, m in METRICS) + " |"
    lines = [header, "|" + "---|" * (len(METRICS) + 2)]
    for label in labels:
        rows = evaluate(label, SETTINGS[label])
        setting = " ".join(f"{k}={v}" for k, v in SETTINGS[label].items()) or "defaults (sklearn-equal)"
        for row in ("content", "blend"):
            lines.append(f"| {setting} | {row} | " + " | ".join(f"{rows[row][k][m]:.4f}" for k, m in METRICS) + " |")
        print("\n".join(lines[-2:]), flush=True)
    (WORK / "summary.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
