"""Test environment: a throwaway AIRFLOW_HOME, the dags folder as the bundle, no outside overrides.

Set before Airflow is imported anywhere, so that no test touches ~/airflow or a real metadata DB.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

DAGS_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = DAGS_DIR.parent
ENV_FILE = REPO_ROOT / ".env.memory"

os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="recstage-airflow-home-")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS_DIR)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
for _key in [k for k in os.environ if k.startswith("RECSTAGE_") or k == "AIRFLOW_VAR_RECSTAGE_SETTINGS"]:
    del os.environ[_key]

DAG_IDS = ("recommendation_pipeline", "weekly_model_refresh", "incremental_data_update")
HEAVY_TASKS = ("features", "content_similarity", "behavior_cooccurrence", "recommend")


def read_env_file(path: Path = ENV_FILE) -> dict[str, str]:
    """Independent reading of `.env.memory` (not the code under test): KEY=value lines, # comments."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def load_dagbag():
    from airflow.dag_processing.dagbag import BundleDagBag

    return BundleDagBag(dag_folder=DAGS_DIR, bundle_path=DAGS_DIR, known_pools={"default_pool", "recstage_heavy"})


@pytest.fixture
def kubernetes_dags(monkeypatch):
    """The DAGs as deployed: Kubernetes mode, default settings."""
    monkeypatch.setenv("RECSTAGE_EXECUTION_MODE", "kubernetes")
    bag = load_dagbag()
    assert bag.import_errors == {}
    return bag.dags
