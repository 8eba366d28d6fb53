"""Neighbours on the real data sets of ../shared/data, with titles, for README.md.

Runs the stages through bin/recstage as a user would (column mapping options), then prints the
top neighbours of a few well-known items. Usage: .venv/bin/python bench/real_data_examples.py
"""
import pathlib
import subprocess
import sys

import pyarrow.ipc as ipc

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
WORK = ROOT / "bench" / "work" / "real"


def stage(*args, env=None):
    subprocess.run([str(ROOT / "bin" / "recstage"), *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def neighbours(features, neighbours_file, titles, k):
    items = ipc.open_file(features / "items.arrow").read_all().to_pydict()
    title_of = dict(zip(items["item_id"], items["title"]))
    table = ipc.open_file(neighbours_file).read_all().to_pydict()
    for wanted in titles:
        item = next(i for i, t in title_of.items() if t == wanted)
        rows = [(table["rank"][r], title_of[table["neighbor_id"][r]], table["score"][r])
                for r in range(len(table["rank"])) if table["item_id"][r] == item and table["rank"][r] <= k]
        listed = ", ".join(f"{t} ({s:.2f})" for _, t, s in sorted(rows))
        print(f"- **{wanted}** → {listed}")


def movielens():
    src = DATA / "movielens-ml-latest-small"
    features, behavior = WORK / "movielens-features", WORK / "movielens-behavior"
    stage("features", "--items", str(src / "movies.csv"), "--interactions", str(src / "ratings.csv"),
          "--items-map", "item_id=movieId", "--items-map", "category=genres",
          "--interactions-map", "user_id=userId", "--interactions-map", "item_id=movieId",
          "--interactions-map", "create_time=timestamp", "--interactions-map", "weight=rating",
          "--out", str(features))
    stage("behavior-cooccurrence", "--features", str(features), "--out", str(behavior), "--top-k", "20")
    print("MovieLens ml-latest-small, behavior-cooccurrence (cosine on ratings):")
    neighbours(features, behavior / "behavior_neighbors.arrow",
               ["Toy Story (1995)", "Matrix, The (1999)", "Star Wars: Episode IV - A New Hope (1977)",
                "Lord of the Rings: The Fellowship of the Ring, The (2001)"], 5)


def goodbooks():
    src = DATA / "goodbooks-10k"
    raw = WORK / "goodbooks-interactions.csv"
    raw.parent.mkdir(parents=True, exist_ok=True)
    # The features stage needs interactions; the content stage does not use them.
    raw.write_text("user_id,item_id,create_time\nreader,1,2017-01-01T00:00:00Z\n")
    features, content = WORK / "goodbooks-features", WORK / "goodbooks-content"
    stage("features", "--items", str(src / "books.csv"), "--interactions", str(raw),
          "--items-map", "item_id=book_id", "--items-map", "description=authors", "--out", str(features))
    stage("content-similarity", "--features", str(features), "--out", str(content), "--top-k", "10")
    print("goodbooks-10k, content-similarity (TF-IDF on title and authors):")
    neighbours(features, content / "content_neighbors.arrow",
               ["The Great Gatsby", "Gone Girl", "The Hunger Games (The Hunger Games, #1)",
                "Harry Potter and the Sorcerer's Stone (Harry Potter, #1)"], 4)


if __name__ == "__main__":
    if not DATA.is_dir():
        sys.exit(f"skipped: {DATA} is absent")
    movielens()
    goodbooks()
