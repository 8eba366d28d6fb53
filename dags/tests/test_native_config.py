"""The native-image configuration for Arrow parses and names classes that Arrow 19 really has."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

CONFIG = REPO_ROOT / "tasks/core/src/main/resources/META-INF/native-image/dev.recstage/recstage-core"
ARROW = Path.home() / ".m2/repository/org/apache/arrow"
JARS = [ARROW / f"{name}/19.0.0/{name}-19.0.0.jar" for name in ("arrow-memory-core", "arrow-memory-unsafe")]


def arrow_classes() -> set[str]:
    if not all(jar.is_file() for jar in JARS):
        pytest.skip("Arrow 19 jars not in ~/.m2 yet (run the Maven build once)")
    names = set()
    for jar in JARS:
        with zipfile.ZipFile(jar) as archive:
            names |= {n[:-6].replace("/", ".") for n in archive.namelist() if n.endswith(".class")}
    return names


def test_reflection_entries_name_existing_arrow_classes():
    entries = json.loads((CONFIG / "reflect-config.json").read_text())
    arrow = [e["name"] for e in entries if e["name"].startswith("org.apache.arrow")]
    assert arrow and set(arrow) <= arrow_classes()


def test_run_time_initialised_classes_exist():
    args = (CONFIG / "native-image.properties").read_text().split("--initialize-at-run-time=")[1].split()[0]
    assert set(args.split(",")) <= arrow_classes()


def test_registered_resource_is_the_class_arrow_scans_for():
    resources = json.loads((CONFIG / "resource-config.json").read_text())["resources"]["includes"]
    pattern = resources[0]["pattern"].removeprefix("\\Q").removesuffix("\\E")
    assert pattern[:-6].replace("/", ".") in arrow_classes()
