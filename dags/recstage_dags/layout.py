"""Where a run's files live under the data root, the same tree on the pods' /data and on a local disk.

    <root>/raw/items.csv, raw/interactions.csv          inputs (names configurable)
    <root>/runs/<dag_id>/<run_key>/<stage>/             one directory per stage and run, manifest.json last
    <root>/latest -> runs/<dag_id>/<run_key>            full outputs (daily and weekly DAGs)
    <root>/latest-incremental -> runs/...               outputs of the last incremental window
    <root>/models/tfidf-current -> ../runs/weekly_model_refresh/<run_key>/content-similarity   (…/shard-0-of-n when sharded)
    <root>/models/content-baseline -> ../runs/weekly_model_refresh/<run_key>/content-similarity
                                                        the full output scored with that model: what incremental runs merge into

A stage run as n pods writes `<stage>/shard-<i>-of-<n>/`, each a complete output (tasks/core StageOutput).

Pointers are relative symlinks so that the tree means the same wherever it is mounted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FEATURES = "features"
CONTENT = "content-similarity"
BEHAVIOR = "behavior-cooccurrence"
RECOMMEND = "recommend"
STAGES = (FEATURES, CONTENT, BEHAVIOR, RECOMMEND)
# Not a stage of the pipeline: the weekly run's offline quality report, written after publish.
EVALUATE = "evaluate"
POD_DATA_ROOT = "/data"

LATEST = "latest"
LATEST_INCREMENTAL = "latest-incremental"
MODEL_POINTER = "models/tfidf-current"
MODEL_FILE = "tfidf_model.arrow"
CONTENT_BASELINE = "models/content-baseline"

# Jinja expression of the run's directory key; `run_key` is a filter the DAGs register.
RUN_KEY_TEMPLATE = "{{ run_id | run_key }}"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def run_key(run_id: str) -> str:
    """A run id as a directory name: `scheduled__2026-01-03T18:00:00+00:00` -> `scheduled__2026-01-03T18_00_00_00_00`."""
    return _UNSAFE.sub("_", run_id)


@dataclass(frozen=True)
class RunLayout:
    """Paths of one DAG's runs below `root` (templated on the run key)."""

    root: str
    dag_id: str

    def path(self, relative: str) -> str:
        return f"{self.root.rstrip('/')}/{relative}" if relative else self.root

    @property
    def run_relative(self) -> str:
        return f"runs/{self.dag_id}/{RUN_KEY_TEMPLATE}"

    def stage_dir(self, stage: str) -> str:
        return self.path(f"{self.run_relative}/{stage}")

    @property
    def content_baseline(self) -> str:
        return self.path(CONTENT_BASELINE)

    @property
    def saved_model(self) -> str:
        return self.path(f"{MODEL_POINTER}/{MODEL_FILE}")


def shard_dir(stage: str, index: int, count: int) -> str:
    """Where shard `index` of `count` of a stage writes, relative to the run: `<stage>/shard-<i>-of-<n>`."""
    return f"{stage}/shard-{index}-of-{count}"
