"""`<STAGE>_SHARDS` > 1: a heavy stage becomes one mapped task of n pods (dynamic task mapping), each
`--shard i/n` into `<stage>/shard-i-of-n`, each with the stage's whole memory request = limit, in the
heavy pool; publish checks every shard's manifest; the weekly model pointer and the content baseline
follow the layout. Rendered as the KubernetesPodOperator renders them (see test_pod_specs)."""

from __future__ import annotations

import json

import pytest

from recstage_dags import publish
from tests.conftest import DAG_IDS, read_env_file
from tests.test_pod_specs import RUN_KEY, container_of, load_dags, render_pod

ENV = read_env_file()
SHARDS = {"content-similarity": 3, "behavior-cooccurrence": 2}


@pytest.fixture(scope="module")
def sharded_dags():
    overrides = {"CONTENT_SIMILARITY_SHARDS": "3", "BEHAVIOR_COOCCURRENCE_SHARDS": "2"}
    with pytest.MonkeyPatch.context() as monkeypatch:
        return load_dags(monkeypatch, AIRFLOW_VAR_RECSTAGE_SETTINGS=json.dumps(overrides))


def shard_pods(mapped):
    """The pod of every map index: the mapped operator unmapped with that index's arguments, then rendered."""
    return [render_pod(mapped.unmap({"arguments": arguments})) for arguments in mapped.expand_input.value["arguments"]]


@pytest.mark.parametrize("dag_id", ["recommendation_pipeline", "weekly_model_refresh"])
@pytest.mark.parametrize("stage", sorted(SHARDS))
def test_a_sharded_stage_is_n_mapped_pods_each_with_its_shard_and_the_full_limit(sharded_dags, dag_id, stage):
    task = sharded_dags[dag_id].get_task(stage.replace("-", "_"))
    assert task.is_mapped and task.pool == "recstage_heavy"
    n = SHARDS[stage]
    pods = shard_pods(task)
    assert len(pods) == n
    prefix = stage.upper().replace("-", "_")
    size = {"memory": ENV[f"{prefix}_MEMORY_LIMIT"], "cpu": ENV[f"{prefix}_CPU"]}
    run_dir = f"/data/runs/{dag_id}/{RUN_KEY}"
    for i, pod in enumerate(pods):
        container = container_of(pod)
        assert container.image == f"registry.example.com/recstage/{stage}:0.1.0"
        assert container.resources.requests == size == container.resources.limits
        args = container.args
        assert args[args.index("--out") + 1] == f"{run_dir}/{stage}/shard-{i}-of-{n}"
        assert args[-2:] == ["--shard", f"{i}/{n}"]
        assert args[args.index("--features") + 1] == f"{run_dir}/features"
        assert pod.spec.security_context.run_as_non_root is True
        assert container.security_context.read_only_root_filesystem is True
        assert {var.name for var in container.env}.isdisjoint({f"{prefix}_SHARDS", f"{prefix}_MEMORY_LIMIT"})
    assert len({pod.metadata.name for pod in pods}) == n, "each shard's pod needs its own name"


def test_features_stays_one_pod_and_publish_waits_for_every_shard(sharded_dags):
    dag = sharded_dags["recommendation_pipeline"]
    assert not dag.get_task("features").is_mapped
    publish_task = dag.get_task("publish")
    assert publish_task.upstream_task_ids == {"content_similarity", "behavior_cooccurrence"}
    assert publish_task.trigger_rule == "all_success"
    args = container_of(render_pod(publish_task)).args
    assert args[args.index("--shards"):] == [
        "--shards", "content-similarity=3", "--shards", "behavior-cooccurrence=2", "--link", "latest=.",
    ]


def test_weekly_points_the_model_at_the_first_shard_and_the_baseline_at_the_stage(sharded_dags):
    args = container_of(render_pod(sharded_dags["weekly_model_refresh"].get_task("publish"))).args
    links = [args[i + 1] for i, arg in enumerate(args) if arg == "--link"]
    assert links == ["models/content-baseline=content-similarity", "latest=.",
                     "models/tfidf-current=content-similarity/shard-0-of-3"]


def test_incremental_content_is_one_pod_merging_into_the_baseline(sharded_dags):
    dag = sharded_dags["incremental_data_update"]
    content = dag.get_task("content_similarity")
    assert not content.is_mapped
    args = container_of(render_pod(content)).args
    assert args[args.index("--previous") + 1] == "/data/models/content-baseline"
    assert "--shard" not in args
    assert dag.get_task("behavior_cooccurrence").is_mapped
    publish_args = container_of(render_pod(dag.get_task("publish"))).args
    assert publish_args.count("--shards") == 1 and "behavior-cooccurrence=2" in publish_args


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_one_shard_renders_unmapped_without_shard_arguments(kubernetes_dags, dag_id):
    for task_id in ("content_similarity", "behavior_cooccurrence"):
        task = kubernetes_dags[dag_id].get_task(task_id)
        assert not task.is_mapped
        assert "--shard" not in container_of(render_pod(task)).args
    assert "--shards" not in container_of(render_pod(kubernetes_dags[dag_id].get_task("publish"))).args


def make_sharded_run(root, counts, missing=None):
    run = root / "runs" / "dag" / "r1"
    (run / "features").mkdir(parents=True)
    (run / "features" / "manifest.json").write_text("{}")
    for stage, n in counts.items():
        for i in range(n):
            shard = run / publish.shard_dir(stage, i, n)
            shard.mkdir(parents=True)
            if (stage, i) != missing:
                (shard / "manifest.json").write_text("{}")
    return "runs/dag/r1"


def test_publish_checks_every_shard_manifest(tmp_path):
    stages = ["features", *SHARDS]
    run = make_sharded_run(tmp_path, SHARDS)
    publish.publish(tmp_path, run, stages, [("latest", ".")], dict(SHARDS))
    assert (tmp_path / "latest" / "content-similarity" / "shard-2-of-3" / "manifest.json").is_file()


def test_publish_refuses_a_missing_shard(tmp_path):
    run = make_sharded_run(tmp_path, SHARDS, missing=("content-similarity", 1))
    with pytest.raises(publish.PublishError, match="content-similarity/shard-1-of-3"):
        publish.publish(tmp_path, run, ["features", *SHARDS], [("latest", ".")], dict(SHARDS))
    assert not (tmp_path / "latest").exists()
    # Without --shards the stage directory itself must hold a manifest: a sharded run is not mistaken for one.
    with pytest.raises(publish.PublishError, match="content-similarity"):
        publish.publish(tmp_path, make_sharded_run(tmp_path / "b", SHARDS), ["features", *SHARDS], [("latest", ".")])


def test_publish_command_line_takes_shards(tmp_path):
    run = make_sharded_run(tmp_path, SHARDS, missing=("behavior-cooccurrence", 0))
    argv = ["--root", str(tmp_path), "--run", run, "--stage", "features", "--stage", "content-similarity",
            "--stage", "behavior-cooccurrence", "--shards", "content-similarity=3", "--shards", "behavior-cooccurrence=2",
            "--link", "latest=."]
    assert publish.main(argv) == 3
    (tmp_path / run / "behavior-cooccurrence" / "shard-0-of-2" / "manifest.json").write_text("{}")
    assert publish.main(argv) == 0
