"""Stage factory: the same stage definitions as Kubernetes pods or, in local mode, as local processes.

A stage is its `bin/recstage` sub-command plus arguments. In Kubernetes mode the stage's image
has that binary as its entrypoint, so the pod gets the arguments only; in local mode the worker
runs `bin/recstage STAGE ARGS…` with the heap capped from the stage's memory limit.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from airflow.sdk import BaseOperator

from recstage_dags import layout
from recstage_dags.layout import BEHAVIOR, CONTENT, EVALUATE, FEATURES, RECOMMEND, RunLayout
from recstage_dags.local import LocalProcessOperator
from recstage_dags.settings import Settings

HEAVY_POOL = "recstage_heavy"
# Early enough for any run that `airflow dags test` may be given (a task whose start_date is after
# the run's logical date is not run at all); with catchup=False nothing is backfilled from it.
START_DATE = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
PUBLISH_TASK = "publish"
PUBLISH_SCRIPT = Path(__file__).with_name("publish.py")


def run_time(dag_run, days_back: int = 0) -> str:
    """The moment a run computes "as of" (its logical date, else when it was triggered), ISO-8601 UTC."""
    moment = dag_run.logical_date or dag_run.run_after
    moment = moment - dt.timedelta(days=days_back)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def dag_arguments(settings: Settings) -> dict:
    """DAG keyword arguments shared by the three DAGs (everything but id, schedule and description)."""
    return dict(
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        user_defined_filters={"run_key": layout.run_key},
        user_defined_macros={"run_time": run_time},
        default_args=dict(
            retries=settings.int("RECSTAGE_RETRIES"),
            retry_delay=dt.timedelta(minutes=settings.int("RECSTAGE_RETRY_DELAY_MINUTES")),
        ),
        tags=["recstage"],
    )


class StageFactory:
    """Builds a DAG's stage tasks from the settings; create it inside the `with DAG(...)` block."""

    def __init__(self, settings: Settings, dag_id: str) -> None:
        self.settings = settings
        root = settings["RECSTAGE_DATA_ROOT"] if settings.local_mode else layout.POD_DATA_ROOT
        self.layout = RunLayout(root=root, dag_id=dag_id)
        # Shards of each stage built so far: publish checks every shard's manifest.
        self.shard_counts: dict[str, int] = {}

    # --- the stages -------------------------------------------------------------------
    def features(self, lookback_days: int | None = None) -> BaseOperator:
        """Features as of the run; over the last `lookback_days` only when given, else the whole history."""
        s = self.settings
        arguments = [
            "--items", self.layout.path(s["RECSTAGE_ITEMS_FILE"]),
            "--interactions", self.layout.path(s["RECSTAGE_INTERACTIONS_FILE"]),
            "--out", self.layout.stage_dir(FEATURES),
            "--as-of", "{{ run_time(dag_run) }}",
        ]
        if s["RECSTAGE_EMBEDDINGS_FILE"]:
            arguments += ["--embeddings", self.layout.path(s["RECSTAGE_EMBEDDINGS_FILE"])]
        arguments += _repeated("--items-map", s["RECSTAGE_ITEMS_MAP"])
        arguments += _repeated("--interactions-map", s["RECSTAGE_INTERACTIONS_MAP"])
        if lookback_days is not None:
            arguments += ["--since", f"{{{{ run_time(dag_run, days_back={lookback_days}) }}}}"]
        return self._stage(FEATURES, arguments)

    def content_similarity(self, saved_model: bool = False, incremental: bool = False) -> BaseOperator:
        """Content neighbours; fits a TF-IDF model unless `saved_model`, which scores with the week's model.
        `incremental` (with `saved_model`) scores only the items new or changed since the week's full run and
        merges them into its output (`--previous`); it is one pod, its cost being the changed rows."""
        s = self.settings
        arguments = [
            "--features", self.layout.stage_dir(FEATURES),
            "--out", self.layout.stage_dir(CONTENT),
            "--top-k", s["SIMILARITY_TOP_K"],
            "--batch-size", s["SIMILARITY_BATCH_SIZE"],
            "--threads", s["SIMILARITY_THREADS"],
        ]
        if saved_model:
            arguments += ["--model", self.layout.saved_model]
        if incremental:
            arguments += ["--previous", self.layout.content_baseline]
            return self._stage(CONTENT, arguments, shards=1)
        return self._stage(CONTENT, arguments)

    def behavior_cooccurrence(self) -> BaseOperator:
        s = self.settings
        arguments = [
            "--features", self.layout.stage_dir(FEATURES),
            "--out", self.layout.stage_dir(BEHAVIOR),
            "--top-k", s["BEHAVIOR_SIMILARITY_TOP_K"],
            "--threads", s["SIMILARITY_THREADS"],
        ]
        return self._stage(BEHAVIOR, arguments)

    def recommend(self) -> BaseOperator:
        """Related items and per-user recommendations from this run's features and both neighbour outputs."""
        arguments = [
            "--features", self.layout.stage_dir(FEATURES),
            "--content", self.layout.stage_dir(CONTENT),
            "--behavior", self.layout.stage_dir(BEHAVIOR),
            "--out", self.layout.stage_dir(RECOMMEND),
            "--threads", self.settings["SIMILARITY_THREADS"],
        ]
        return self._stage(RECOMMEND, arguments)

    def evaluate(self, window_days: int) -> BaseOperator:
        """Offline quality of the pipeline on the last `window_days` of history, written into the run beside its outputs.

        evaluate runs every stage as a child process through bin/recstage: locally the worker's, in
        Kubernetes that of the evaluate image (docker/Dockerfile.evaluate), which holds every stage.
        """
        s = self.settings
        arguments = [
            "--items", self.layout.path(s["RECSTAGE_ITEMS_FILE"]),
            "--interactions", self.layout.path(s["RECSTAGE_INTERACTIONS_FILE"]),
            "--since", f"{{{{ run_time(dag_run, days_back={window_days}) }}}}",
            "--out", self.layout.stage_dir(EVALUATE),
        ]
        if s["RECSTAGE_EMBEDDINGS_FILE"]:
            arguments += ["--embeddings", self.layout.path(s["RECSTAGE_EMBEDDINGS_FILE"])]
        arguments += _repeated("--items-map", s["RECSTAGE_ITEMS_MAP"])
        arguments += _repeated("--interactions-map", s["RECSTAGE_INTERACTIONS_MAP"])
        # The stages it runs are heavy: it holds the one heavy slot while they run, one at a time.
        arguments += ["--jobs", "1"]
        common = dict(
            task_id=EVALUATE,
            pool=HEAVY_POOL,
            execution_timeout=dt.timedelta(minutes=s.int("RECSTAGE_STAGE_TIMEOUT_MINUTES")),
        )
        if s.local_mode:
            return LocalProcessOperator(
                command=[str(Path(s["RECSTAGE_HOME"]) / "bin" / "recstage"), EVALUATE],
                arguments=arguments,
                env_vars={**self.local_environment(EVALUATE), **s.memory_limits()},
                **common,
            )
        from recstage_dags import pods

        return pods.evaluate_pod(s, arguments, **common)

    def publish(self, links: Sequence[tuple[str, str]]) -> BaseOperator:
        """Switch each (pointer, target-in-run) once all stages have their manifests; runs only if all succeeded."""
        arguments = ["--root", self.layout.root, "--run", self.layout.run_relative]
        for stage in layout.STAGES:
            arguments += ["--stage", stage]
        for stage, count in self.shard_counts.items():
            if count > 1:
                arguments += ["--shards", f"{stage}={count}"]
        for pointer, target in links:
            arguments += ["--link", f"{pointer}={target}"]
        if self.settings.local_mode:
            return LocalProcessOperator(
                task_id=PUBLISH_TASK, command=[sys.executable, str(PUBLISH_SCRIPT)], arguments=arguments
            )
        from recstage_dags import pods

        # The publish pod runs this very file as `python3 -c <source>`, so its image needs no copy of it.
        inline = ["python3", "-c", PUBLISH_SCRIPT.read_text(encoding="utf-8")]
        return pods.publish_pod(self.settings, PUBLISH_TASK, inline, arguments)

    def whole_catalogue_dir(self, stage: str) -> str:
        """The run-relative directory holding a stage's whole-catalogue files (the TF-IDF model): the stage's
        directory, or its first shard's when it ran sharded (every shard writes the same model)."""
        count = self.shard_counts.get(stage, 1)
        return stage if count == 1 else layout.shard_dir(stage, 0, count)

    # --- shared -----------------------------------------------------------------------------
    def _stage(self, stage: str, arguments: list[str], shards: int | None = None):
        """The stage's task; with n = `<STAGE>_SHARDS` > 1 one mapped task of n shards (`--shard i/n`,
        `--out <stage>/shard-i-of-n`), as many running at once as the heavy pool has free slots."""
        count = self.settings.shards(stage) if shards is None else shards
        self.shard_counts[stage] = count
        if count > 1:
            return self._sharded_stage(stage, [shard_arguments(arguments, i, count) for i in range(count)])
        common = dict(
            task_id=stage.replace("-", "_"),
            pool=HEAVY_POOL,
            execution_timeout=dt.timedelta(minutes=self.settings.int("RECSTAGE_STAGE_TIMEOUT_MINUTES")),
        )
        if self.settings.local_mode:
            return LocalProcessOperator(
                command=[str(Path(self.settings["RECSTAGE_HOME"]) / "bin" / "recstage"), stage],
                arguments=arguments,
                env_vars=self.local_environment(stage),
                **common,
            )
        from recstage_dags import pods

        return pods.stage_pod(self.settings, stage, arguments, **common)

    def _sharded_stage(self, stage: str, arguments_per_shard: list[list[str]]):
        common = dict(
            task_id=stage.replace("-", "_"),
            pool=HEAVY_POOL,
            execution_timeout=dt.timedelta(minutes=self.settings.int("RECSTAGE_STAGE_TIMEOUT_MINUTES")),
        )
        if self.settings.local_mode:
            return LocalProcessOperator.partial(
                command=[str(Path(self.settings["RECSTAGE_HOME"]) / "bin" / "recstage"), stage],
                env_vars=self.local_environment(stage),
                **common,
            ).expand(arguments=arguments_per_shard)
        from recstage_dags import pods

        return pods.sharded_stage_pods(self.settings, stage, arguments_per_shard, **common)

    def local_environment(self, stage: str) -> dict[str, str]:
        """Knobs plus the launcher's memory contract: the stage's limit in bytes and the heap cap derived from it."""
        return {
            **self.settings.stage_environment(),
            "RECSTAGE_MEMORY_LIMIT": str(self.settings.memory_limit_bytes(stage)),
            "RECSTAGE_MAX_HEAP": str(self.settings.max_heap_bytes(stage)),
        }


def shard_arguments(arguments: list[str], index: int, count: int) -> list[str]:
    """A stage's arguments for shard `index` of `count`: `--out` one level down, in `shard-<i>-of-<n>`, and `--shard i/n`."""
    shard = list(arguments)
    out = shard.index("--out") + 1
    shard[out] = f"{shard[out]}/shard-{index}-of-{count}"
    return [*shard, "--shard", f"{index}/{count}"]


def _repeated(option: str, pairs: str) -> list[str]:
    """`a=b,c=d` -> [option, a=b, option, c=d]."""
    return [part for pair in pairs.split(",") if pair.strip() for part in (option, pair.strip())]
