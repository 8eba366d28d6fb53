"""Where a run's files live under the data root, the same tree on the pods' /data and on a local disk.

    <root>/raw/items.csv, raw/interactions.csv          inputs (names configurable)
    <root>/runs/<dag_id>/<run_key>/<stage>/             one directory per stage and run, manifest.json last
    <root>/latest -> runs/<dag_id>/<run_key>            full outputs (daily and weekly DAGs)
    <root>/latest-incremental -> runs/...               outputs of the last incremental window
    <root>/models/tfidf-current -> ../runs/weekly_model_refresh/<run_key>/content-similarity

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
POD_DATA_ROOT = "/data"

LATEST = "latest"
LATEST_INCREMENTAL = "latest-incremental"
MODEL_POINTER = "models/tfidf-current"
MODEL_FILE = "tfidf_model.arrow"

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
    def saved_model(self) -> str:
        return self.path(f"{MODEL_POINTER}/{MODEL_FILE}")
