"""`.env.memory` is the one source of the memory knobs: format, agreement with the DAG defaults, overrides."""

from __future__ import annotations

import json
import re

import pytest

from recstage_dags import settings
from tests.conftest import ENV_FILE, read_env_file


def test_env_file_keys_and_values_equal_the_dag_defaults():
    assert read_env_file() == dict(settings.MEMORY_KNOB_DEFAULTS)


@pytest.mark.parametrize(
    "key",
    [
        "SIMILARITY_BATCH_SIZE", "SIMILARITY_TOP_K", "BEHAVIOR_SIMILARITY_TOP_K", "USE_FAISS_RECALL",
        "USE_LEGACY_SIMILARITY", "BEHAVIOR_MAX_ITEMS_PER_USER", "SIMILARITY_THREADS", "INCREMENTAL_LOOKBACK_DAYS",
        "FEATURES_MEMORY_LIMIT", "FEATURES_CPU", "CONTENT_SIMILARITY_MEMORY_LIMIT", "CONTENT_SIMILARITY_CPU",
        "BEHAVIOR_COOCCURRENCE_MEMORY_LIMIT", "BEHAVIOR_COOCCURRENCE_CPU", "RECOMMEND_MEMORY_LIMIT", "RECOMMEND_CPU",
        "RELATED_TOP_N", "USER_TOP_N", "RELATED_BEHAVIOR_WEIGHT", "RELATED_CONTENT_WEIGHT", "RECOMMEND_INCLUDE_SEEN",
    ],
)
def test_env_file_has_the_agreed_names(key):
    assert key in read_env_file()


def test_env_file_agreed_defaults():
    values = read_env_file()
    assert {k: values[k] for k in ("SIMILARITY_BATCH_SIZE", "SIMILARITY_TOP_K", "BEHAVIOR_SIMILARITY_TOP_K",
                                   "USE_FAISS_RECALL", "USE_LEGACY_SIMILARITY", "BEHAVIOR_MAX_ITEMS_PER_USER",
                                   "SIMILARITY_THREADS", "INCREMENTAL_LOOKBACK_DAYS", "FEATURES_MEMORY_LIMIT",
                                   "CONTENT_SIMILARITY_MEMORY_LIMIT", "BEHAVIOR_COOCCURRENCE_MEMORY_LIMIT")} == {
        "SIMILARITY_BATCH_SIZE": "1000", "SIMILARITY_TOP_K": "200", "BEHAVIOR_SIMILARITY_TOP_K": "200",
        "USE_FAISS_RECALL": "1", "USE_LEGACY_SIMILARITY": "0", "BEHAVIOR_MAX_ITEMS_PER_USER": "500",
        "SIMILARITY_THREADS": "2", "INCREMENTAL_LOOKBACK_DAYS": "7", "FEATURES_MEMORY_LIMIT": "1Gi",
        "CONTENT_SIMILARITY_MEMORY_LIMIT": "2Gi", "BEHAVIOR_COOCCURRENCE_MEMORY_LIMIT": "1Gi",
    }


def test_env_file_is_plain_enough_for_docker_env_file():
    """docker --env-file takes every character after `=` literally: no quotes, export, spaces or inline comments."""
    lines = ENV_FILE.read_text().splitlines()
    previous = ""
    for line in lines:
        if line.startswith("#") or not line:
            previous = line
            continue
        # An empty value is allowed: docker sets the variable to "", which the stages read as unset.
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*=[A-Za-z0-9.:,]*", line), line
        assert previous.startswith("# ") and len(previous) > 10, f"{line} needs a one-line comment above it"
        previous = line


def test_loaded_settings_come_from_the_file(tmp_path, monkeypatch):
    changed = ENV_FILE.read_text().replace("SIMILARITY_TOP_K=200", "SIMILARITY_TOP_K=77")
    (tmp_path / ".env.memory").write_text(changed)
    monkeypatch.setenv("RECSTAGE_ENV_FILE", str(tmp_path / ".env.memory"))
    assert settings.load(variable_overrides={})["SIMILARITY_TOP_K"] == "77"


def test_repository_file_is_found_without_configuration():
    loaded = settings.load(environ={}, variable_overrides={})
    assert loaded.source == str(ENV_FILE)


def test_airflow_variable_overrides_the_file(monkeypatch):
    """Through the real Variable lookup (the environment secrets backend serves AIRFLOW_VAR_*)."""
    monkeypatch.setenv("AIRFLOW_VAR_RECSTAGE_SETTINGS", json.dumps({"SIMILARITY_TOP_K": 50, "FEATURES_MEMORY_LIMIT": "3Gi"}))
    loaded = settings.load()
    assert loaded["SIMILARITY_TOP_K"] == "50"
    assert loaded.memory_limit_bytes("features") == 3 * 1024**3


def test_environment_sets_deployment_keys_but_not_memory_knobs():
    loaded = settings.load(
        environ={"RECSTAGE_EXECUTION_MODE": "local", "SIMILARITY_TOP_K": "5"}, variable_overrides={}
    )
    assert loaded.local_mode
    assert loaded["SIMILARITY_TOP_K"] == "200"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"SIMILARITY_TOPK": "5"}, "unknown keys"),
        ({"FEATURES_MEMORY_LIMIT": "lots"}, "FEATURES_MEMORY_LIMIT"),
        ({"CONTENT_SIMILARITY_CPU": "500m"}, "CONTENT_SIMILARITY_CPU"),
        ({"SIMILARITY_BATCH_SIZE": "0"}, "SIMILARITY_BATCH_SIZE"),
        ({"USE_FAISS_RECALL": "yes"}, "USE_FAISS_RECALL"),
        ({"RECSTAGE_EXECUTION_MODE": "docker"}, "RECSTAGE_EXECUTION_MODE"),
        ({"JVM_MAX_RAM_PERCENTAGE": "95"}, "JVM_MAX_RAM_PERCENTAGE"),
        ({"USER_TOP_N": "0"}, "USER_TOP_N"),
        ({"RECOMMEND_INCLUDE_SEEN": "2"}, "RECOMMEND_INCLUDE_SEEN"),
        ({"RECOMMEND_PASSES": "0"}, "RECOMMEND_PASSES"),
        ({"RECOMMEND_PASSES": "many"}, "RECOMMEND_PASSES"),
        ({"RELATED_CONTENT_WEIGHT": "-1"}, "RELATED_CONTENT_WEIGHT"),
        ({"RELATED_BEHAVIOR_WEIGHT": "nan"}, "RELATED_BEHAVIOR_WEIGHT"),
        ({"RELATED_BEHAVIOR_WEIGHT": "0", "RELATED_CONTENT_WEIGHT": "0.0"}, "both be 0"),
    ],
)
def test_bad_values_fail_at_parse_time(overrides, message):
    with pytest.raises(settings.SettingsError, match=message):
        settings.load(environ={}, variable_overrides=overrides)


def test_batch_size_auto_is_accepted():
    assert settings.load(environ={}, variable_overrides={"SIMILARITY_BATCH_SIZE": "auto"})["SIMILARITY_BATCH_SIZE"] == "auto"


def test_heap_cap_is_the_jvm_share_of_the_stage_limit():
    loaded = settings.load(environ={}, variable_overrides={"CONTENT_SIMILARITY_MEMORY_LIMIT": "1536Mi"})
    assert loaded.memory_limit_bytes("content-similarity") == 1536 * 1024**2
    assert loaded.max_heap_bytes("content-similarity") == 1536 * 1024**2 * 50 // 100


def test_stage_environment_holds_knobs_not_pod_sizes():
    env = settings.load(environ={}, variable_overrides={}).stage_environment()
    assert env["SIMILARITY_BATCH_SIZE"] == "1000"
    assert env["BEHAVIOR_MAX_ITEMS_PER_USER"] == "500"
    assert not [k for k in env if k.endswith(("_MEMORY_LIMIT", "_CPU")) or k.startswith("RECSTAGE_")]


def test_malformed_env_file_line_is_reported(tmp_path, monkeypatch):
    (tmp_path / "bad.env").write_text('SIMILARITY_TOP_K = "200"\n')
    monkeypatch.setenv("RECSTAGE_ENV_FILE", str(tmp_path / "bad.env"))
    with pytest.raises(settings.SettingsError, match="bad.env:1"):
        settings.load(variable_overrides={})
