"""Content neighbours of well-known MovieLens films under each content text rule, with titles, for README.md.

MovieLens titles end with the year, "Godfather, The (1972)": with the default (sklearn-equal) analysis
the year is a token whose idf is far above that of a genre, so films of the same year crowd out
films of the same kind. This runs features once and content-similarity once per setting, through
bin/recstage as a user would, and prints the top neighbours of a few films per setting.

    .venv/bin/python bench/content_rules_movielens.py [--tags] [--top N]

--tags adds the users' tags of tags.csv as the items' `tags` field (distinct tags per film, joined
with '|'; prepared here, not in the stages). Only about 1,600 of the 9,742 films have a tag, and
the tags are user events of every date, so an evaluation with a time split must not use them.
Work files land in bench/work/content-rules/.
"""
import argparse
import csv
import os
import pathlib
import subprocess
import sys

import pyarrow.ipc as ipc

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "movielens-ml-latest-small"
WORK = ROOT / "bench" / "work" / "content-rules"
FILMS = ["Godfather, The (1972)", "Toy Story (1995)", "Matrix, The (1999)", "Star Wars: Episode IV - A New Hope (1977)"]
# (label, environment): the sklearn-equal default first, then one rule at a time, then together.
SETTINGS = [
    ("default (sklearn-equal)", {}),
    ("CONTENT_DIGIT_TOKENS=drop", {"CONTENT_DIGIT_TOKENS": "drop"}),
    ("CONTENT_FIELD_WEIGHTS=category:3", {"CONTENT_FIELD_WEIGHTS": "category:3"}),
    ("CONTENT_STOP_WORDS=english", {"CONTENT_STOP_WORDS": "english"}),
    ("drop + english + category:2,tags:2", {"CONTENT_DIGIT_TOKENS": "drop", "CONTENT_STOP_WORDS": "english",
                                            "CONTENT_FIELD_WEIGHTS": "tags:2,category:2"}),
]


def stage(*args, env=None):
    run_env = dict(os.environ, **(env or {}))
    result = subprocess.run([str(ROOT / "bin" / "recstage"), *map(str, args)], env=run_env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"recstage {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr[-2000:]}")


def movies_with_tags(target: pathlib.Path) -> pathlib.Path:
    """movies.csv plus a `tags` column: each film's distinct user tags (lower-cased, first-seen order), '|'-joined."""
    tags = {}
    with (DATA / "tags.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            tag = row["tag"].strip().lower().replace("|", " ")
            film = tags.setdefault(row["movieId"], [])
            if tag and tag not in film:
                film.append(tag)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (DATA / "movies.csv").open(newline="", encoding="utf-8") as src, target.open("w", newline="", encoding="utf-8") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames + ["tags"])
        writer.writeheader()
        for row in reader:
            writer.writerow({**row, "tags": "|".join(tags.get(row["movieId"], []))})
    return target


def features(with_tags: bool) -> pathlib.Path:
    items = movies_with_tags(WORK / "movies_with_tags.csv") if with_tags else DATA / "movies.csv"
    out = WORK / ("features-tags" if with_tags else "features")
    stage("features", "--items", items, "--interactions", DATA / "ratings.csv",
          "--items-map", "item_id=movieId", "--items-map", "category=genres",
          "--interactions-map", "user_id=userId", "--interactions-map", "item_id=movieId",
          "--interactions-map", "create_time=timestamp", "--interactions-map", "weight=rating", "--out", out)
    return out


def print_neighbours(features_dir: pathlib.Path, neighbours_file: pathlib.Path, top: int):
    items = ipc.open_file(features_dir / "items.arrow").read_all().to_pydict()
    title_of = dict(zip(items["item_id"], items["title"]))
    table = ipc.open_file(neighbours_file).read_all().to_pydict()
    for film in FILMS:
        item = next(i for i, t in title_of.items() if t == film)
        rows = sorted((table["rank"][r], title_of[table["neighbor_id"][r]], table["score"][r])
                      for r in range(len(table["rank"])) if table["item_id"][r] == item and table["rank"][r] <= top)
        print(f"- **{film}** → " + ", ".join(f"{t} ({s:.2f})" for _, t, s in rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", action="store_true", help="add tags.csv's user tags as the items' tags field")
    parser.add_argument("--top", type=int, default=6, help="neighbours shown per film (default 6)")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"skipped: {DATA} is absent")
    features_dir = features(args.tags)
    print(f"MovieLens ml-latest-small, content-similarity on title + genres{' + user tags' if args.tags else ''} "
          f"(top {args.top}, cosine in brackets):")
    for label, env in SETTINGS:
        out = WORK / ("content-" + "".join(c if c.isalnum() else "-" for c in label) + ("-tags" if args.tags else ""))
        stage("content-similarity", "--features", features_dir, "--out", out, "--top-k", 20, env=env)
        print(f"\n{label}:")
        print_neighbours(features_dir, out / "content_neighbors.arrow", args.top)


if __name__ == "__main__":
    main()
