"""evaluate's ranking metrics against Microsoft Recommenders' python_evaluation on the same lists.

`bin/recstage evaluate` writes its held-out events (split/test.csv), every row's recommendation
lists (lists/ROW.csv) and its metrics (evaluation.json). bench/peers/recommenders_metrics.py
scores the very same lists against the very same held-out events with recommenders'
precision_at_k, recall_at_k, ndcg_at_k and map_at_k, in .venv-recommenders (recommenders 1.2.1
needs numpy<2; bin/setup-venv-recommenders makes it, RECSTAGE_RECOMMENDERS_PYTHON points at
another). Both must agree within 1e-9 for every row and k = 10, 20.

recommenders' conventions, which recstage's metrics follow: precision, recall and MAP average over
the users that have both a list and held-out items; NDCG averages over every user with held-out
items (one without a list counts 0); MAP@k divides by min(held-out items, k). The tests use the
per-user split, where every user with held-out events also has training events: with --test-days,
evaluate does not score users without training events, while split/test.csv still holds them.
"""
import csv
import json
import math
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECSTAGE = ROOT / "bin" / "recstage"
ORACLE = ROOT / "bench" / "peers" / "recommenders_metrics.py"
SHARED_DATA = Path(os.environ.get("RECSTAGE_SHARED_DATA", ROOT.parent / "shared" / "data"))
MOVIELENS = SHARED_DATA / "movielens-ml-latest-small"
# evaluate (a tool) runs every stage as its own process.
PIPELINE_JARS = [ROOT / "tasks" / module / "target" / "quarkus-app" / "quarkus-run.jar"
                 for module in ("tools", "features", "content-similarity", "behavior-cooccurrence", "recommend")]

ROWS = ("popularity", "content", "behavior", "blend")
METRICS = ("precision", "recall", "ndcg", "map")  # recommenders' functions
# Not in recommenders: the same definitions computed by recommenders_metrics.py in pandas, a second
# implementation of evaluate's hit rate, coverage and popularity percentile.
OWN_METRICS = ("hit_rate", "coverage", "popularity_percentile")
KS = (10, 20)
TOLERANCE = 1e-9


def recommenders_python():
    configured = os.environ.get("RECSTAGE_RECOMMENDERS_PYTHON")
    python = Path(configured) if configured else ROOT / ".venv-recommenders" / "bin" / "python"
    if not python.is_file():
        message = f"{python} is missing: make it with bin/setup-venv-recommenders"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must not skip the metric reference)")
        pytest.skip(message)
    return python


def recommenders_scores(truth_csv, lists, ks=KS, catalogue=()):
    """{list name: {"precision@10": …}} from recommenders' python_evaluation; catalogue: (train CSV, size)."""
    argv = [str(recommenders_python()), str(ORACLE), "--truth", str(truth_csv), "--k", ",".join(map(str, ks))]
    if catalogue:
        argv += ["--train", str(catalogue[0]), "--catalogue-size", str(catalogue[1])]
    for name, path in lists.items():
        argv += ["--lists", f"{name}={path}"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"recommenders_metrics.py exited {done.returncode}:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)["lists"]


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_reference_follows_the_lists_ranks_and_counts_a_held_out_item_once(tmp_path):
    """The reference's own conventions on a case worked by hand (k=2).

    u1 holds out a (twice), b, c and is recommended x, a, b with equal scores: the rank decides;
    u2 holds out d, recommended d, y; u3 holds out e and has no list.
    """
    truth = write_csv(tmp_path / "test.csv", ["user_id", "item_id", "event_type", "create_time", "weight"],
                      [["u1", "a", "view", 1, 1], ["u1", "a", "download", 2, 1], ["u1", "b", "view", 3, 1],
                       ["u1", "c", "view", 4, 1], ["u2", "d", "view", 5, 1], ["u3", "e", "view", 6, 1]])
    lists = write_csv(tmp_path / "row.csv", ["user_id", "item_id", "rank", "score"],
                      [["u1", "x", 1, 0.5], ["u1", "a", 2, 0.5], ["u1", "b", 3, 0.5],
                       ["u2", "d", 1, 0.9], ["u2", "y", 2, 0.1]])
    u1_ndcg = (1 / math.log(3)) / (1 / math.log(2) + 1 / math.log(3))
    expected = {"precision@2": (1 / 2 + 1 / 2) / 2, "recall@2": (1 / 3 + 1) / 2,
                "ndcg@2": (u1_ndcg + 1 + 0) / 3, "map@2": ((1 / 2) / 2 + 1) / 2, "hit_rate@2": 1.0}

    scores = recommenders_scores(truth, {"row": lists}, ks=(2,))["row"]

    for name, value in expected.items():
        assert scores[name] == pytest.approx(value, abs=TOLERANCE), name


# ---------------------------------------------------------------- recstage evaluate against the reference

def require_evaluate():
    for jar in PIPELINE_JARS:
        if not jar.is_file():
            pytest.skip(f"{jar} is missing: build first with ./mvnw -B package -DskipTests")


def run_recstage(args):
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("BEHAVIOR_", "SIMILARITY_", "USE_", "RECSTAGE_", "RELATED_", "USER_"))}
    done = subprocess.run([str(RECSTAGE), *map(str, args)], env=environment, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, f"{args[0]} exited {done.returncode}:\n{done.stderr[-3000:]}"


def evaluate(out, *input_args):
    run_recstage(["evaluate", *input_args, "--out", out])
    with open(out / "evaluation.json") as f:
        return json.load(f)


def recstage_metric(evaluation, row, metric, k):
    figures = next(r for r in evaluation["rows"] if r["row"] == row)["metrics"][str(k)]
    return figures[metric]


def assert_equal_to_recommenders(evaluation, out):
    lists = {row: out / "lists" / f"{row}.csv" for row in ROWS}
    theirs = recommenders_scores(out / "split" / "test.csv", lists,
                                 catalogue=(out / "split" / "train.csv", evaluation["split"]["items"]))
    compared = 0
    for row in ROWS:
        for metric in METRICS + OWN_METRICS:
            for k in KS:
                ours = recstage_metric(evaluation, row, metric, k)
                reference = theirs[row][f"{metric}@{k}"]
                # the popularity percentile is on a 0-100 scale: the same relative precision
                tolerance = TOLERANCE * (100 if metric == "popularity_percentile" else 1)
                assert abs(ours - reference) <= tolerance, f"{row} {metric}@{k}: recstage {ours!r}, reference {reference!r}"
                compared += 1
        assert next(r for r in evaluation["rows"] if r["row"] == row)["metrics"]["10"]["users"] == \
            theirs[row]["users_scored"], f"{row}: users scored differ"
    assert compared == len(ROWS) * len(METRICS + OWN_METRICS) * len(KS)
    return theirs


def assert_a_wrong_list_would_fail(evaluation, out, tmp_path):
    """Drops the blend's first hit of one user from its list: the reference must then disagree.

    Shows that the comparison above can fail: the lists it scores are the ones the metrics came from.
    """
    with open(out / "split" / "test.csv", newline="") as f:
        held_out = {(r["user_id"], r["item_id"]) for r in csv.DictReader(f)}
    with open(out / "lists" / "blend.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    first_hit = next(r for r in rows if int(r["rank"]) <= 10 and (r["user_id"], r["item_id"]) in held_out)
    kept = [r for r in rows if r is not first_hit]
    for r in kept:  # the user's later items move up one rank
        if r["user_id"] == first_hit["user_id"] and int(r["rank"]) > int(first_hit["rank"]):
            r["rank"] = str(int(r["rank"]) - 1)
    perturbed = write_csv(tmp_path / "blend-perturbed.csv", ["user_id", "item_id", "rank", "score"],
                          [[r["user_id"], r["item_id"], r["rank"], r["score"]] for r in kept])
    theirs = recommenders_scores(out / "split" / "test.csv", {"blend": perturbed}, ks=(10,))["blend"]
    differences = [abs(recstage_metric(evaluation, "blend", m, 10) - theirs[f"{m}@10"]) for m in METRICS]
    assert max(differences) > TOLERANCE, "removing a hit from a list should change the reference's metrics"


def test_evaluate_metrics_equal_recommenders_on_generated_data(tmp_path):
    require_evaluate()
    recommenders_python()
    raw = tmp_path / "raw"
    run_recstage(["generate", "--items", 2000, "--events", 40000, "--seed", 7, "--out", raw])
    out = tmp_path / "evaluation"
    evaluation = evaluate(out, "--items", raw / "items.csv", "--interactions", raw / "interactions.csv")

    theirs = assert_equal_to_recommenders(evaluation, out)

    assert theirs["blend"]["users_scored"] > 100, "the generated data should give many users held-out events"
    assert theirs["behavior"]["ndcg@10"] > 0, "some held-out items should be recommended"
    assert_a_wrong_list_would_fail(evaluation, out, tmp_path)


def test_evaluate_metrics_equal_recommenders_on_movielens(tmp_path):
    require_evaluate()
    recommenders_python()
    if not (MOVIELENS / "ratings.csv").is_file():
        pytest.skip(f"{MOVIELENS} is absent (set RECSTAGE_SHARED_DATA to the shared data directory)")
    out = tmp_path / "evaluation"
    evaluation = evaluate(out, "--items", MOVIELENS / "movies.csv", "--items-map", "item_id=movieId",
                          "--items-map", "category=genres", "--interactions", MOVIELENS / "ratings.csv",
                          "--interactions-map", "user_id=userId", "--interactions-map", "item_id=movieId",
                          "--interactions-map", "create_time=timestamp", "--interactions-map", "weight=rating")

    theirs = assert_equal_to_recommenders(evaluation, out)

    assert theirs["blend"]["users_scored"] == 610, "every MovieLens user rated at least 20 films"
    assert_a_wrong_list_would_fail(evaluation, out, tmp_path)
