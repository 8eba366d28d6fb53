#!/usr/bin/env python3
"""A real short-text catalogue for the content benchmarks: npm package names and summaries.

The machines' package lists (`/work/.library/env/packages/npm.tsv`: name, version, monthly downloads,
summary; about 227k packages, 197k with a summary) are real short texts of the kind a data catalogue
holds, unlike generated text, and larger than MovieLens or goodbooks. This writes the raw inputs of
`bin/recstage features` from them: items.csv (item_id, title = the package name with its separators
as spaces, description = the summary) for the N packages with a summary, taken by a seeded sample so
that the same N always gives the same catalogue, and a small interactions.csv (the features stage
needs one; content ignores it). Then, for example:

    bench/npm_corpus.py --items 100000 --out bench/work/npm-100k
    bench/content_similarity --data bench/work/npm-100k --only recstage,b
"""
import argparse
import csv
import random
import re
from pathlib import Path

DEFAULT_TSV = "/work/.library/env/packages/npm.tsv"
# A note the list's compilers put at the start of some summaries; not the authors' text.
TESTED_NOTE = re.compile(r"^\[tested here:[^\]]*\]\s*")
EVENTS_PER_ITEM = 2
USERS = 1000


def summaries(tsv: Path) -> list[tuple[str, str]]:
    with open(tsv, newline="", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        packages = [(row[0], TESTED_NOTE.sub("", row[3]).strip()) for row in rows if len(row) >= 4]
    return sorted((name, summary) for name, summary in packages if summary)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=Path(DEFAULT_TSV), help=f"the npm package list (default {DEFAULT_TSV})")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if not args.tsv.is_file():
        parser.error(f"{args.tsv} is missing: this bench needs the machine's npm package list (--tsv)")
    packages = summaries(args.tsv)
    if args.items > len(packages):
        parser.error(f"{args.tsv} has {len(packages):,} packages with a summary, fewer than --items {args.items:,}")
    rng = random.Random(args.seed)
    chosen = sorted(rng.sample(packages, args.items))
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "items.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["item_id", "title", "description", "tags", "category", "create_time"])
        for i, (name, summary) in enumerate(chosen):
            out.writerow([f"npm{i:07d}", re.sub(r"[@/._-]+", " ", name).strip(), summary, "", "", "2025-01-01T00:00:00Z"])
    with open(args.out / "interactions.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["user_id", "item_id", "event_type", "create_time"])
        for i in range(args.items * EVENTS_PER_ITEM):
            out.writerow([f"u{rng.randrange(USERS):05d}", f"npm{rng.randrange(args.items):07d}", "view",
                          f"2025-01-01T00:00:{i % 60:02d}Z"])
    print(f"wrote {args.out}/items.csv: {args.items:,} of {len(packages):,} npm packages with a summary (seed {args.seed}); "
          f"interactions.csv: {args.items * EVENTS_PER_ITEM:,} events")


if __name__ == "__main__":
    main()
