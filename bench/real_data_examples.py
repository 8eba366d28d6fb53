"""Neighbours on the real data sets of ../shared/data, with titles, for README.md.

Runs the stages through bin/recstage as a user would (column mapping options), then prints the
top neighbours of a few well-known items. Usage: .venv/bin/python bench/real_data_examples.py

With --minilm [DIR] (default bench/work/minilm, written by bench/embed_minilm.py) it instead
compares, on each data set's items.csv and MiniLM embeddings.arrow there, the content stage's
text-only neighbours (USE_FAISS_RECALL=0), its vector neighbours (vector_neighbors.arrow) and its
text+vector blend (content_neighbors.arrow with USE_FAISS_RECALL=1), as Markdown tables.
"""
import argparse
import os
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


def titles_of(features):
    items = ipc.open_file(features / "items.arrow").read_all().to_pydict()
    return dict(zip(items["item_id"], items["title"]))


def top(title_of, neighbours_file, wanted, k):
    """The first k neighbours (title, score) of the item titled `wanted`, by rank."""
    item = next(i for i, t in title_of.items() if t == wanted)
    table = ipc.open_file(neighbours_file).read_all().to_pydict()
    rows = [(table["rank"][r], title_of[table["neighbor_id"][r]], table["score"][r])
            for r in range(len(table["rank"])) if table["item_id"][r] == item and table["rank"][r] <= k]
    return [(t, s) for _, t, s in sorted(rows)]


def neighbours(features, neighbours_file, titles, k):
    title_of = titles_of(features)
    for wanted in titles:
        listed = ", ".join(f"{t} ({s:.2f})" for t, s in top(title_of, neighbours_file, wanted, k))
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


MINILM_ITEMS = {
    "movielens": ["Godfather, The (1972)", "Toy Story (1995)", "Matrix, The (1999)"],
    "goodbooks": ["Harry Potter and the Sorcerer's Stone (Harry Potter, #1)", "The Hunger Games (The Hunger Games, #1)",
                  "Pride and Prejudice"],
}


def minilm(directory, k=5):
    """Text only, vectors only and the blend, side by side, for a few known items of each data set."""
    for name, wanted in MINILM_ITEMS.items():
        source, work = directory / name, WORK / f"minilm-{name}"
        features, text, vectors = work / "features", work / "content-text", work / "content-vectors"
        stage("features", "--items", str(source / "items.csv"), "--interactions", str(source / "interactions.csv"),
              "--embeddings", str(source / "embeddings.arrow"), "--out", str(features))
        stage("content-similarity", "--features", str(features), "--out", str(text), "--top-k", str(k),
              env={**os.environ, "USE_FAISS_RECALL": "0"})
        stage("content-similarity", "--features", str(features), "--out", str(vectors), "--top-k", str(k),
              env={**os.environ, "USE_FAISS_RECALL": "1", "VECTOR_INDEX": "exact"})
        title_of = titles_of(features)
        print(f"\n{name}: {source / 'items.csv'} with its MiniLM vectors, top {k} (cosine)\n")
        print(f"| item | neighbours by | top {k} |\n|---|---|---|")
        for item in wanted:
            for label, output in (("text only (TF-IDF)", text / "content_neighbors.arrow"),
                                  ("vectors only (MiniLM)", vectors / "vector_neighbors.arrow"),
                                  ("blend 0.7·text + 0.3·vector", vectors / "content_neighbors.arrow")):
                listed = ", ".join(f"{t} ({s:.2f})" for t, s in top(title_of, output, item, k))
                print(f"| {item} | {label} | {listed} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minilm", nargs="?", const=ROOT / "bench" / "work" / "minilm", type=pathlib.Path,
                        help="compare text, MiniLM vectors and the blend (embeddings from bench/embed_minilm.py)")
    args = parser.parse_args()
    if args.minilm:
        if not (args.minilm / "movielens" / "embeddings.arrow").exists():
            sys.exit(f"error: no embeddings under {args.minilm}: run .venv-embed/bin/python bench/embed_minilm.py first")
        minilm(args.minilm)
    elif not DATA.is_dir():
        sys.exit(f"skipped: {DATA} is absent")
    else:
        movielens()
        goodbooks()
