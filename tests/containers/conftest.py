"""Fixtures of the container suite: a private podman, the stages' JVM images, the data sets.

Everything podman keeps (images, containers, volumes, its configuration) lives in one temporary
directory that the session removes at its end; only the base image's root filesystem tarball is
kept between runs (docker/local-base-image caches it under ~/.cache/recstage).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import harness
from podman import IMAGE_REGISTRY, IMAGE_TAG, Podman, missing_tools
from recstage_dags import layout

MOVIELENS = Path(os.environ.get("RECSTAGE_SHARED_DATA", harness.ROOT.parent / "shared" / "data")) / "movielens-ml-latest-small"
RUN_AS = 65532  # the pods' runAsUser (dags/recstage_dags/settings.py), owner of the data directories


@pytest.fixture(scope="session")
def podman():
    missing = missing_tools()
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (bin/test installs them with apt-get)")
    engine = Podman(Path(tempfile.mkdtemp(prefix="recstage-podman-")))
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture(scope="session")
def base_images(podman) -> dict[str, str]:
    # Side by side: on a machine without the cached tarballs each is about 2 minutes of mmdebstrap.
    kinds = ("jre", "jre25", "python")
    with ThreadPoolExecutor(len(kinds)) as pool:
        return dict(zip(kinds, pool.map(podman.base_image, kinds)))


@pytest.fixture(scope="session")
def images(podman, base_images) -> dict[str, str]:
    """Stage -> its JVM image, for every stage of the pipeline (dags/recstage_dags/layout.STAGES)."""
    return {stage: podman.build_stage_image(stage, base_images["jre"]) for stage in layout.STAGES}


@pytest.fixture(scope="session")
def settings_overrides(base_images) -> dict[str, str]:
    """What a deployment sets in `recstage_settings` to run on these images instead of the registry's."""
    return {"RECSTAGE_IMAGE_REGISTRY": IMAGE_REGISTRY, "RECSTAGE_IMAGE_TAG": IMAGE_TAG, "RECSTAGE_IMAGE_FLAVOR": "jvm",
            "RECSTAGE_PUBLISH_IMAGE": base_images["python"]}


def data_root(path: Path) -> Path:
    """A data root the pods' user may write, as the volume's fsGroup makes it in a cluster."""
    path.mkdir(parents=True, exist_ok=True)
    for entry in [path, *path.rglob("*")]:
        os.chown(entry, RUN_AS, RUN_AS)
    return path


@pytest.fixture(scope="session")
def raw_generated(tmp_path_factory) -> Path:
    """Raw inputs in the DAG's default file names: 3,000 items, 60,000 events."""
    raw = tmp_path_factory.mktemp("generated") / "raw"
    done = harness.run("generate", "--items", "3000", "--seed", "7", "--out", raw)
    assert done.code == 0, done.stderr
    return raw


@pytest.fixture(scope="session")
def raw_vectors(tmp_path_factory) -> Path:
    """Raw inputs with embeddings (raw/embeddings.arrow, see VECTORS_SETTINGS): 2,000 items, dimension 32."""
    raw = tmp_path_factory.mktemp("vectors") / "raw"
    done = harness.run("generate", "--items", "2000", "--seed", "5", "--embeddings-dim", "32", "--out", raw)
    assert done.code == 0, done.stderr
    return raw


# Settings that give the DAG raw_vectors' embeddings.
VECTORS_SETTINGS = {"RECSTAGE_EMBEDDINGS_FILE": "raw/embeddings.arrow"}


@pytest.fixture(scope="session")
def raw_movielens(tmp_path_factory) -> Path:
    if not (MOVIELENS / "movies.csv").is_file():
        pytest.skip(f"MovieLens is not at {MOVIELENS}")
    raw = tmp_path_factory.mktemp("movielens") / "raw"
    raw.mkdir()
    for name in ("movies.csv", "ratings.csv"):
        shutil.copy(MOVIELENS / name, raw / name)
    return raw


# Settings that point the DAG at MovieLens' files and columns (as bench/real_data_examples.py maps them).
MOVIELENS_SETTINGS = {
    "RECSTAGE_ITEMS_FILE": "raw/movies.csv", "RECSTAGE_INTERACTIONS_FILE": "raw/ratings.csv",
    "RECSTAGE_ITEMS_MAP": "item_id=movieId,category=genres",
    "RECSTAGE_INTERACTIONS_MAP": "user_id=userId,item_id=movieId,create_time=timestamp,weight=rating",
}
