"""Settings of the recstage DAGs: `.env.memory`, then the deployment environment, then one Airflow Variable.

Precedence, lowest first:
1. the defaults below (the memory knobs must equal `.env.memory`; a test enforces it),
2. `.env.memory` (path from ``RECSTAGE_ENV_FILE``, else next to the DAG files or one level up),
3. process environment, for the deployment keys (``RECSTAGE_*``) only, so that a scheduler's stray
   ``SIMILARITY_TOP_K`` cannot change what a pod gets,
4. the Airflow Variable ``recstage_settings``: a JSON object of ``KEY: value`` overriding any key.
   One Variable rather than one per key: DAG files are parsed every few seconds and each
   Variable read at parse time is a round trip to the metadata database.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kubernetes.utils import parse_quantity

log = logging.getLogger(__name__)

VARIABLE_NAME = "recstage_settings"
ENV_FILE_NAME = ".env.memory"

# Defaults of every key in `.env.memory`, kept equal to the file by tests/test_settings.py.
MEMORY_KNOB_DEFAULTS: Mapping[str, str] = {
    "SIMILARITY_BATCH_SIZE": "1000",
    "SIMILARITY_TOP_K": "200",
    "BEHAVIOR_SIMILARITY_TOP_K": "200",
    "USE_FAISS_RECALL": "1",
    "VECTOR_INDEX": "auto",
    "VECTOR_HNSW_M": "16",
    "VECTOR_HNSW_EF_CONSTRUCTION": "100",
    "VECTOR_HNSW_EF_SEARCH": "400",
    "USE_LEGACY_SIMILARITY": "0",
    "BEHAVIOR_MAX_ITEMS_PER_USER": "500",
    "SIMILARITY_THREADS": "2",
    "RELATED_TOP_N": "20",
    "USER_TOP_N": "20",
    "RELATED_BEHAVIOR_WEIGHT": "0.5",
    "RELATED_CONTENT_WEIGHT": "0.5",
    "RECOMMEND_INCLUDE_SEEN": "0",
    "RECOMMEND_BATCH_SIZE": "1000",
    "RECOMMEND_PASSES": "auto",
    "INCREMENTAL_LOOKBACK_DAYS": "7",
    "EVALUATE_WINDOW_DAYS": "90",
    "EVALUATE_MEMORY_LIMIT": "1Gi",
    "JVM_MAX_RAM_PERCENTAGE": "50",
    "FEATURES_MEMORY_LIMIT": "1Gi",
    "FEATURES_CPU": "1",
    "CONTENT_SIMILARITY_MEMORY_LIMIT": "2Gi",
    "CONTENT_SIMILARITY_CPU": "2",
    "CONTENT_FIELD_WEIGHTS": "",
    "CONTENT_STOP_WORDS": "none",
    "CONTENT_DIGIT_TOKENS": "keep",
    "BEHAVIOR_COOCCURRENCE_MEMORY_LIMIT": "1Gi",
    "BEHAVIOR_COOCCURRENCE_CPU": "2",
    "RECOMMEND_MEMORY_LIMIT": "1Gi",
    "RECOMMEND_CPU": "2",
    "PUBLISH_MEMORY_LIMIT": "64Mi",
    "PUBLISH_CPU": "0.1",
    "CONTENT_INCREMENTAL_SPARES": "20",
    "CONTENT_SIMILARITY_SHARDS": "1",
    "BEHAVIOR_COOCCURRENCE_SHARDS": "1",
}

# Where and how the DAGs run; not memory knobs, so not in `.env.memory`.
DEPLOYMENT_DEFAULTS: Mapping[str, str] = {
    # kubernetes: one pod per stage; local: `bin/recstage` subprocesses on the worker.
    "RECSTAGE_EXECUTION_MODE": "kubernetes",
    # Data root of local mode; pods always mount the volume at /data.
    "RECSTAGE_DATA_ROOT": "/data",
    # Repository checkout holding bin/recstage, for local mode.
    "RECSTAGE_HOME": str(Path(__file__).resolve().parents[2]),
    "RECSTAGE_IMAGE_REGISTRY": "registry.example.com/recstage",
    "RECSTAGE_IMAGE_TAG": "0.1.0",
    # native or jvm: which of docker/Dockerfile.{native,jvm} the stage images were built from (tag suffix).
    "RECSTAGE_IMAGE_FLAVOR": "native",
    "RECSTAGE_IMAGE_PULL_POLICY": "IfNotPresent",
    # Image of the publish pod: any image with python3 (the script uses the standard library only).
    "RECSTAGE_PUBLISH_IMAGE": "python:3.11-slim",
    "RECSTAGE_NAMESPACE": "recstage",
    "RECSTAGE_SERVICE_ACCOUNT": "",
    "RECSTAGE_KUBERNETES_CONN_ID": "kubernetes_default",
    "RECSTAGE_PVC": "recstage-data",
    "RECSTAGE_TMP_SIZE_LIMIT": "1Gi",
    # UID/GID the pods run as (65532 is distroless's and UBI micro images' conventional nonroot).
    "RECSTAGE_RUN_AS_USER": "65532",
    "RECSTAGE_RETRIES": "2",
    "RECSTAGE_RETRY_DELAY_MINUTES": "10",
    "RECSTAGE_STAGE_TIMEOUT_MINUTES": "180",
    # Raw inputs, relative to the data root.
    "RECSTAGE_ITEMS_FILE": "raw/items.csv",
    "RECSTAGE_INTERACTIONS_FILE": "raw/interactions.csv",
    # Optional embeddings (Arrow IPC), relative to the data root; empty for none.
    "RECSTAGE_EMBEDDINGS_FILE": "",
    # Extra `--items-map COL=SOURCE` / `--interactions-map` pairs, comma-separated.
    "RECSTAGE_ITEMS_MAP": "",
    "RECSTAGE_INTERACTIONS_MAP": "",
}

EXECUTION_MODES = ("kubernetes", "local")
IMAGE_FLAVORS = ("native", "jvm")
_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


class SettingsError(ValueError):
    """A setting is missing, unknown or malformed; raised at parse time so the DAG shows an import error."""


def parse_env_file(path: Path) -> dict[str, str]:
    """Read plain `KEY=value` lines as `docker run --env-file` does: `#` starts a comment line, nothing is unquoted."""
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise SettingsError(f"{path}:{number}: expected KEY=value, got {raw!r}")
        values[match.group(1)] = match.group(2)
    return values


def find_env_file(environ: Mapping[str, str] = os.environ) -> Path | None:
    if explicit := environ.get("RECSTAGE_ENV_FILE"):
        path = Path(explicit)
        if not path.is_file():
            raise SettingsError(f"RECSTAGE_ENV_FILE={explicit} does not exist")
        return path
    dags_dir = Path(__file__).resolve().parents[1]
    for candidate in (dags_dir / ENV_FILE_NAME, dags_dir.parent / ENV_FILE_NAME):
        if candidate.is_file():
            return candidate
    return None


def read_variable_overrides() -> dict[str, str]:
    """The JSON object in the Airflow Variable `recstage_settings`, or {} when it is not set."""
    from airflow.sdk import Variable

    raw = Variable.get(VARIABLE_NAME, default=None)
    if raw in (None, ""):
        return {}
    overrides = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(overrides, dict):
        raise SettingsError(f"Variable {VARIABLE_NAME} must be a JSON object, got {type(overrides).__name__}")
    return {str(key): str(value) for key, value in overrides.items()}


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, str]
    source: str

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def int(self, key: str) -> int:
        return int(self.values[key])

    @property
    def local_mode(self) -> bool:
        return self.values["RECSTAGE_EXECUTION_MODE"] == "local"

    def memory_limit(self, stage: str) -> str:
        return self.values[f"{env_prefix(stage)}_MEMORY_LIMIT"]

    def memory_limit_bytes(self, stage: str) -> int:
        return int(parse_quantity(self.memory_limit(stage)))

    def cpu(self, stage: str) -> str:
        return self.values[f"{env_prefix(stage)}_CPU"]

    def shards(self, stage: str) -> int:
        """Pods a stage runs as (`<STAGE>_SHARDS`); 1 for a stage without the knob."""
        return int(self.values.get(f"{env_prefix(stage)}_SHARDS", "1"))

    def max_heap_bytes(self, stage: str) -> int:
        """Heap cap of a JVM stage run locally: the same share of its limit as -XX:MaxRAMPercentage in a container."""
        return self.memory_limit_bytes(stage) * self.int("JVM_MAX_RAM_PERCENTAGE") // 100

    def memory_limits(self) -> dict[str, str]:
        """Every `<STAGE>_MEMORY_LIMIT`: what evaluate's launcher gives each stage it runs."""
        return {key: value for key, value in self.values.items() if key.endswith("_MEMORY_LIMIT")}

    def stage_environment(self) -> dict[str, str]:
        """What a stage process sees: the knobs of `.env.memory` except the pod sizes and counts, which are the pods' business."""
        return {
            key: value
            for key, value in self.values.items()
            if not key.startswith("RECSTAGE_") and not key.endswith(("_MEMORY_LIMIT", "_CPU", "_SHARDS"))
        }


def env_prefix(stage: str) -> str:
    """`content-similarity` -> `CONTENT_SIMILARITY`, the launcher's rule for `<STAGE>_MEMORY_LIMIT`."""
    return stage.upper().replace("-", "_")


def load(
    environ: Mapping[str, str] = os.environ,
    variable_overrides: Mapping[str, str] | None = None,
) -> Settings:
    """All settings, validated. `variable_overrides` defaults to reading the Airflow Variable."""
    values = {**MEMORY_KNOB_DEFAULTS, **DEPLOYMENT_DEFAULTS}
    env_file = find_env_file(environ)
    if env_file is None:
        log.warning("No %s found; using the built-in defaults, which equal the repository's file", ENV_FILE_NAME)
    else:
        values.update(parse_env_file(env_file))
    values.update({key: environ[key] for key in DEPLOYMENT_DEFAULTS if key in environ})
    overrides = read_variable_overrides() if variable_overrides is None else dict(variable_overrides)
    unknown = sorted(set(overrides) - set(values))
    if unknown:
        raise SettingsError(f"Variable {VARIABLE_NAME} sets unknown keys {unknown}; known: {sorted(values)}")
    values.update(overrides)
    settings = Settings(values=values, source=str(env_file) if env_file else "built-in defaults")
    validate(settings)
    return settings


def validate(settings: Settings) -> None:
    v = settings.values
    problems = []
    if v["RECSTAGE_EXECUTION_MODE"] not in EXECUTION_MODES:
        problems.append(f"RECSTAGE_EXECUTION_MODE must be one of {EXECUTION_MODES}")
    if v["RECSTAGE_IMAGE_FLAVOR"] not in IMAGE_FLAVORS:
        problems.append(f"RECSTAGE_IMAGE_FLAVOR must be one of {IMAGE_FLAVORS}")
    if v["SIMILARITY_BATCH_SIZE"] != "auto" and not _is_positive_int(v["SIMILARITY_BATCH_SIZE"]):
        problems.append("SIMILARITY_BATCH_SIZE must be a positive integer or auto")
    for key in ("SIMILARITY_TOP_K", "BEHAVIOR_SIMILARITY_TOP_K", "BEHAVIOR_MAX_ITEMS_PER_USER", "SIMILARITY_THREADS",
                "RELATED_TOP_N", "USER_TOP_N", "RECOMMEND_BATCH_SIZE", "INCREMENTAL_LOOKBACK_DAYS", "EVALUATE_WINDOW_DAYS",
                "CONTENT_SIMILARITY_SHARDS", "BEHAVIOR_COOCCURRENCE_SHARDS", "RECSTAGE_RUN_AS_USER", "RECSTAGE_STAGE_TIMEOUT_MINUTES",
                "RECSTAGE_RETRY_DELAY_MINUTES", "VECTOR_HNSW_M", "VECTOR_HNSW_EF_CONSTRUCTION", "VECTOR_HNSW_EF_SEARCH"):
        if not _is_positive_int(v[key]):
            problems.append(f"{key} must be a positive integer, got {v[key]!r}")
    if v["RECOMMEND_PASSES"].lower() != "auto" and not _is_positive_int(v["RECOMMEND_PASSES"]):
        problems.append(f"RECOMMEND_PASSES must be auto or a positive integer, got {v['RECOMMEND_PASSES']!r}")
    for key in ("RECSTAGE_RETRIES", "CONTENT_INCREMENTAL_SPARES"):
        if not v[key].isdigit():
            problems.append(f"{key} must be a non-negative integer, got {v[key]!r}")
    for key in ("USE_FAISS_RECALL", "USE_LEGACY_SIMILARITY", "RECOMMEND_INCLUDE_SEEN"):
        if v[key] not in ("0", "1"):
            problems.append(f"{key} must be 0 or 1")
    for key, choices in (("CONTENT_STOP_WORDS", ("none", "english")), ("CONTENT_DIGIT_TOKENS", ("keep", "drop")),
                         ("VECTOR_INDEX", ("auto", "exact", "hnsw"))):
        if v[key].lower() not in choices:
            problems.append(f"{key} must be one of {choices}, got {v[key]!r}")
    weights = []
    for key in ("RELATED_BEHAVIOR_WEIGHT", "RELATED_CONTENT_WEIGHT"):
        try:
            weights.append(Decimal(v[key]))
            if not weights[-1].is_finite() or weights[-1] < 0:
                raise ValueError
        except (ValueError, ArithmeticError):
            problems.append(f"{key} must be a number >= 0, got {v[key]!r}")
    if len(weights) == 2 and not any(weights):
        problems.append("RELATED_BEHAVIOR_WEIGHT and RELATED_CONTENT_WEIGHT must not both be 0")
    if not _is_positive_int(v["JVM_MAX_RAM_PERCENTAGE"]) or int(v["JVM_MAX_RAM_PERCENTAGE"]) > 90:
        problems.append("JVM_MAX_RAM_PERCENTAGE must be an integer in 1..90")
    for key in [k for k in v if k.endswith("_MEMORY_LIMIT")] + ["RECSTAGE_TMP_SIZE_LIMIT"]:
        try:
            if parse_quantity(v[key]) <= 0:
                raise ValueError
        except ValueError:
            problems.append(f"{key} must be a positive Kubernetes quantity such as 512Mi, got {v[key]!r}")
    for key in [k for k in v if k.endswith("_CPU")]:
        try:
            if Decimal(v[key]) <= 0:
                raise ValueError
        except (ValueError, ArithmeticError):
            problems.append(f"{key} must be a plain positive number of cores such as 1 or 0.5, got {v[key]!r}")
    if problems:
        raise SettingsError("; ".join(problems))


def _is_positive_int(text: str) -> bool:
    return text.isdigit() and int(text) > 0
