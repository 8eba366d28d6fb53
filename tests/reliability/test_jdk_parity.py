"""The stages on JDK 25 (with the launcher's ahead-of-time cache) give exactly what they give on JDK 17
(with its class-data archive): JDK 17 runs the whole chain (features, content-similarity,
behavior-cooccurrence, recommend) on generated data and on MovieLens, JDK 25 each stage on the same
inputs (JDK 17's upstream outputs, so that the manifests name the same input runs), and every output
is byte-identical, the manifests equal but for timings and memory figures.

JDK 17: RECSTAGE_JDK17 or /usr/lib/jvm/java-17-openjdk-amd64; JDK 25: RECSTAGE_JDK25 or
/usr/lib/jvm/temurin-25-jdk-amd64. A missing JDK or data set skips (fails under CI=true)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import harness
from conftest import require

JDKS = {"17": Path(os.environ.get("RECSTAGE_JDK17", "/usr/lib/jvm/java-17-openjdk-amd64")),
        "25": Path(os.environ.get("RECSTAGE_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64"))}
STAGES = (harness.FEATURES, harness.CONTENT, harness.BEHAVIOR, harness.RECOMMEND)
MOVIELENS = Path(os.environ.get("RECSTAGE_SHARED_DATA", harness.ROOT.parent / "shared" / "data")) / "movielens-ml-latest-small"
MOVIELENS_MAPS = ["--items-map", "item_id=movieId", "--items-map", "category=genres", "--interactions-map", "user_id=userId",
                  "--interactions-map", "item_id=movieId", "--interactions-map", "create_time=timestamp",
                  "--interactions-map", "weight=rating"]


def java_of(version: str) -> Path:
    java = JDKS[version] / "bin" / "java"
    if not java.is_file():
        harness.missing_prerequisite(f"no JDK {version} at {JDKS[version]} (set RECSTAGE_JDK{version})")
    return java


def raw_inputs(data: str, root: Path) -> list:
    """The features stage's input arguments for `data`."""
    if data == "movielens":
        if not (MOVIELENS / "ratings.csv").is_file():
            harness.missing_prerequisite(f"{MOVIELENS} is absent (set RECSTAGE_SHARED_DATA to the shared data directory)")
        return ["--items", MOVIELENS / "movies.csv", "--interactions", MOVIELENS / "ratings.csv", *MOVIELENS_MAPS]
    raw = root / "raw"
    done = harness.run("generate", "--items", "3000", "--events", "90000", "--embeddings-dim", "8", "--seed", "5", "--out", raw)
    assert done.code == 0, done.stderr
    return ["--items", raw / "items.csv", "--interactions", raw / "interactions.csv", "--embeddings", raw / "embeddings.arrow"]


@pytest.fixture(scope="module", params=["generated", "movielens"])
def chains(request, tmp_path_factory) -> dict[str, Path]:
    """Both JDKs' outputs on one data set: {jdk: root with one directory per stage}."""
    javas = {version: java_of(version) for version in JDKS}
    for module in ("generate", *STAGES):
        require(module)
    base = tmp_path_factory.mktemp(f"jdk-parity-{request.param}")
    inputs = raw_inputs(request.param, base)
    reference = base / "jdk17"
    features = reference / harness.FEATURES
    runs = {harness.FEATURES: inputs, harness.CONTENT: ["--features", features], harness.BEHAVIOR: ["--features", features],
            harness.RECOMMEND: ["--features", features, "--content", reference / harness.CONTENT,
                                "--behavior", reference / harness.BEHAVIOR]}
    for stage, args in runs.items():
        for version, java in javas.items():
            done = harness.run(stage, *args, "--out", base / f"jdk{version}" / stage, env={"RECSTAGE_JAVA": str(java)})
            assert done.code == 0, f"{stage} on JDK {version}: {done.stderr[-3000:]}"
    return {version: base / f"jdk{version}" for version in JDKS}


@pytest.mark.parametrize("stage", STAGES)
def test_jdk_25_output_is_byte_identical_to_jdk_17s(chains, stage):
    harness.assert_same_output(chains["17"] / stage, chains["25"] / stage)


def test_jdk_25_ran_with_the_launchers_ahead_of_time_cache(chains):
    """The runs above were the production path: each stage's module has its JDK 25 cache beside the jar."""
    for stage in STAGES:
        app = harness.ROOT / harness.MODULES[stage] / "target" / "quarkus-app"
        caches = [cache for cache in app.glob("recstage-jdk25*.aot") if cache.stat().st_size > 0]
        assert caches, f"no JDK 25 ahead-of-time cache in {app}"
