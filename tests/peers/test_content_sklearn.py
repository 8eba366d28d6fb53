"""content-similarity against the old system's computation: sklearn TfidfVectorizer + brute-force cosine.

Runs the built stages (bin/recstage features, then content-similarity) on generated ASCII text full
of tokenisation traps and checks: the vocabulary, document frequencies and idf of tfidf_model.arrow
equal sklearn's; every neighbour score equals sklearn's cosine within 1e-5; each item's neighbour
set equals sklearn's top K up to ties at the K-th score.

The text rules beyond sklearn's defaults are checked against the sklearn options that do the same:
CONTENT_STOP_WORDS=english against stop_words= Lucene's English set, CONTENT_DIGIT_TOKENS=drop against
a token_pattern that refuses all-digit tokens, and integer CONTENT_FIELD_WEIGHTS against each field's
text repeated weight times.

Run from a venv with numpy, scipy, scikit-learn, pyarrow, pytest:  pytest tests/peers
"""
import csv
import os
import random
import subprocess
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "bin" / "recstage"
JARS = [ROOT / "tasks" / m / "target" / "quarkus-app" / "quarkus-run.jar" for m in ("features", "content-similarity")]
TOLERANCE = 1e-5

# Words and fragments that separate a correct port of (?u)\b\w\w+\b from a near miss.
TRAPS = [
    "don't", "O'Neil's", "e.g.", "U.S.A.", "state-of-the-art", "v2.0", "3.14", "snake_case", "_private", "__init__",
    "a", "I", "x", "7", "42", "C++", "C#", "x86_64", "Rock'n'Roll", "co-op", "e-mail", "AT&T", "node.js", "R2-D2",
    "HTML5", "<b>bold</b>", "(parenthesised)", "semi;colon", "comma,separated", "UPPER", "MiXeD", "tab\tseparated",
    "well...", "end.", "--dash--", "#hashtag", "@mention", "100%", "$5", "a1b2", "1a", "__", "_", "ab", "AB",
    "The", "and", "of", "IS", "not", "(1972)", "007", "2nd",
]
# Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, which CONTENT_STOP_WORDS=english drops, written out here.
LUCENE_ENGLISH_STOP_WORDS = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on",
    "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
]
# sklearn's default token pattern, refusing a token made only of digits (what CONTENT_DIGIT_TOKENS=drop drops).
NO_DIGIT_TOKENS = r"(?u)\b(?!\d+\b)\w\w+\b"
FIELDS = ("title", "description", "tags", "category")
COMMON = ["data", "model", "guide", "learning", "python", "history", "art", "music", "travel", "science", "cooking",
          "design", "network", "energy", "health", "finance", "ocean", "forest", "city", "space"]


def words(rng, count):
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.3:
            out.append(rng.choice(TRAPS))
        elif roll < 0.8:
            out.append(rng.choice(COMMON[: rng.randint(3, len(COMMON))]))
        else:
            out.append("w%d" % int(300 ** rng.random()))
    return " ".join(out)


def generate(directory: Path, count: int, seed: int):
    rng = random.Random(seed)
    items = directory / "items.csv"
    with items.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["item_id", "title", "description", "tags", "category", "create_time"])
        for i in range(count):
            tags = "|".join(words(rng, 1) for _ in range(rng.randint(0, 3)))
            w.writerow([f"item-{i}", words(rng, rng.randint(1, 5)), words(rng, rng.randint(0, 15)), tags,
                        rng.choice(["books", "Sci-Fi", "e.g. misc", "arts_and_crafts"]), 1_700_000_000 + i])
    interactions = directory / "interactions.csv"
    with interactions.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user_id", "item_id", "event_type", "create_time"])
        for u in range(50):
            for _ in range(5):
                w.writerow([f"u{u}", f"item-{rng.randrange(count)}", "view", 1_700_100_000 + rng.randrange(10_000)])
    return items, interactions


def recstage(*args, env=None):
    run_env = dict(os.environ, **(env or {}))
    result = subprocess.run([str(LAUNCHER), *map(str, args)], capture_output=True, text=True, env=run_env)
    assert result.returncode == 0, f"recstage {' '.join(map(str, args))} failed:\n{result.stderr}\n{result.stdout}"
    return result


@pytest.fixture(scope="session")
def built():
    if not all(j.exists() for j in JARS):
        subprocess.run([str(ROOT / "mvnw"), "-B", "package", "-DskipTests", "-pl", "tasks/features,tasks/content-similarity",
                        "-am"], cwd=ROOT, check=True, capture_output=True)
    return True


@pytest.fixture(scope="session")
def features(built, tmp_path_factory):
    work = tmp_path_factory.mktemp("content")
    items, interactions = generate(work, 700, seed=11)
    out = work / "features"
    recstage("features", "--items", items, "--interactions", interactions, "--out", out)
    return out


def read_table(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def documents(features_dir: Path, weights=None):
    """The items' fields joined by spaces; a field of integer weight w is written w times (sklearn's view of a weight)."""
    weights = weights or {}
    items = read_table(features_dir / "items.arrow").to_pydict()
    ids = items["item_id"]
    docs = [" ".join(v for f in FIELDS for v in [items[f][i]] * weights.get(f, 1) if v is not None) for i in range(len(ids))]
    return ids, docs


def neighbours(path: Path, index):
    table = read_table(path).to_pydict()
    lists = {}
    for item, neighbour, score, rank in zip(table["item_id"], table["neighbor_id"], table["score"], table["rank"]):
        lists.setdefault(index[item], []).append((index[neighbour], score, rank))
    return lists


def check_against_sklearn(features_dir, out, k, vectorizer, weights=None):
    ids, docs = documents(features_dir, weights)
    index = {item_id: i for i, item_id in enumerate(ids)}
    matrix = vectorizer.fit_transform(docs)

    model = read_table(out / "tfidf_model.arrow")
    terms = model.column("term").to_pylist()
    assert terms == sorted(vectorizer.vocabulary_), "vocabulary (sorted as sklearn sorts it) differs"
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    assert model.column("df").to_pylist() == df.tolist()
    np.testing.assert_allclose(model.column("idf").to_numpy(), vectorizer.idf_, rtol=1e-6)
    assert int(model.schema.metadata[b"n_docs"]) == len(docs)

    cosine = (matrix @ matrix.T).toarray()
    ours = neighbours(out / "content_neighbors.arrow", index)
    checked_ties = 0
    for i in range(len(ids)):
        row = cosine[i].copy()
        row[i] = -1
        candidates = np.flatnonzero(row > 0)  # pairs sharing a term: positive weights make their cosine > 0
        expected = sorted(candidates, key=lambda j: (-row[j], j))[:k]
        got = ours.get(i, [])
        assert [r for _, _, r in got] == list(range(1, len(got) + 1))
        assert len(got) == len(expected), f"item {ids[i]}: {len(got)} neighbours, sklearn has {len(expected)}"
        for j, score, _ in got:
            assert abs(score - row[j]) <= TOLERANCE, f"{ids[i]}-{ids[j]}: {score} vs sklearn {row[j]}"
        scores = [s for _, s, _ in got]
        assert scores == sorted(scores, reverse=True)
        if expected:
            kth = row[expected[-1]]
            must = {j for j in expected if row[j] > kth + TOLERANCE}
            may = {j for j in candidates if row[j] >= kth - TOLERANCE}
            mine = {j for j, _, _ in got}
            assert must <= mine <= may, f"item {ids[i]}: neighbour set differs beyond ties at the K-th score"
            checked_ties += len(may) > len(expected)
    return checked_ties


def test_default_tfidf_matches_sklearn(features, tmp_path):
    out = tmp_path / "content"
    recstage("content-similarity", "--features", features, "--out", out, "--top-k", 25)
    ties = check_against_sklearn(features, out, 25, TfidfVectorizer())
    assert ties > 0, "the generated text should produce ties at the K-th score"


def test_df_bounds_and_sublinear_tf_match_sklearn(features, tmp_path):
    out = tmp_path / "content"
    env = {"TFIDF_MIN_DF": "3", "TFIDF_MAX_DF": "0.4", "TFIDF_SUBLINEAR_TF": "1"}
    recstage("content-similarity", "--features", features, "--out", out, "--top-k", 10, env=env)
    check_against_sklearn(features, out, 10, TfidfVectorizer(min_df=3, max_df=0.4, sublinear_tf=True))


def test_max_features_matches_sklearn(features, tmp_path):
    # A cut where term frequencies do not tie, since sklearn breaks ties there with an unstable sort.
    _, docs = documents(features)
    tf = np.sort(np.asarray(CountVectorizer(max_df=5).fit_transform(docs).sum(axis=0)).ravel())[::-1]
    cut = next(n for n in range(30, len(tf)) if tf[n - 1] > tf[n])
    out = tmp_path / "content"
    recstage("content-similarity", "--features", features, "--out", out, "--top-k", 10,
             env={"TFIDF_MAX_DF": "5", "TFIDF_MAX_FEATURES": str(cut)})
    check_against_sklearn(features, out, 10, TfidfVectorizer(max_df=5, max_features=cut))


def test_english_stop_words_match_sklearn_given_the_same_list(features, tmp_path):
    out = tmp_path / "content"
    recstage("content-similarity", "--features", features, "--out", out, "--top-k", 15, env={"CONTENT_STOP_WORDS": "english"})
    check_against_sklearn(features, out, 15, TfidfVectorizer(stop_words=LUCENE_ENGLISH_STOP_WORDS))
    terms = set(read_table(out / "tfidf_model.arrow").column("term").to_pylist())
    assert not terms & set(LUCENE_ENGLISH_STOP_WORDS) and "the" in TfidfVectorizer().fit(documents(features)[1]).vocabulary_


def test_dropped_digit_tokens_match_sklearn_with_a_token_pattern(features, tmp_path):
    out = tmp_path / "content"
    recstage("content-similarity", "--features", features, "--out", out, "--top-k", 15, env={"CONTENT_DIGIT_TOKENS": "drop"})
    check_against_sklearn(features, out, 15, TfidfVectorizer(token_pattern=NO_DIGIT_TOKENS))
    terms = read_table(out / "tfidf_model.arrow").column("term").to_pylist()
    assert "2nd" in terms and "x86_64" in terms and not [t for t in terms if t.isdigit()]


def test_integer_field_weights_match_sklearn_on_repeated_fields(features, tmp_path):
    weights = {"title": 3, "tags": 2, "category": 4}
    out = tmp_path / "content"
    env = {"CONTENT_FIELD_WEIGHTS": "title:3,tags:2,category:4", "CONTENT_STOP_WORDS": "english",
           "CONTENT_DIGIT_TOKENS": "drop", "TFIDF_SUBLINEAR_TF": "1", "TFIDF_MAX_DF": "0.5"}
    recstage("content-similarity", "--features", features, "--out", out, "--top-k", 20, env=env)
    vectorizer = TfidfVectorizer(stop_words=LUCENE_ENGLISH_STOP_WORDS, token_pattern=NO_DIGIT_TOKENS, sublinear_tf=True, max_df=0.5)
    check_against_sklearn(features, out, 20, vectorizer, weights)
    metadata = read_table(out / "tfidf_model.arrow").schema.metadata
    assert metadata[b"field_weights"] == b"title:3,description:1,tags:2,category:4"
