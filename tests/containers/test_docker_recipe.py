"""README's `docker` debugging recipe, run as written by the docker CLI against podman's Docker API
(check 4 of issue 12)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time

import pytest

import harness

README = harness.ROOT / "README.md"
RECIPE_MARK = "<!-- recipe run by tests/containers/test_docker_recipe.py -->"


def recipe() -> list[str]:
    """The `docker …` commands of the README block after the mark, continuation lines joined."""
    text = README.read_text(encoding="utf-8")
    assert RECIPE_MARK in text, f"README has no {RECIPE_MARK}"
    block = re.search(r"```bash\n(.*?)```", text[text.index(RECIPE_MARK):], re.DOTALL).group(1)
    commands = re.sub(r"\\\n\s*", "", block).splitlines()
    return [c for c in commands if c.startswith("docker ")]


def test_readme_recipe_builds_and_runs_a_stage(podman, raw_generated, tmp_path):
    if shutil.which("docker") is None:
        pytest.skip("no docker CLI on this machine (the recipe is then run by podman in the other tests)")
    commands = recipe()
    # The block's ./mvnw line is the build that the suite's images already took the jars from.
    assert [c.split()[1] for c in commands] == ["build", "run"], commands
    env = {**podman.env, "DOCKER_HOST": podman.service(podman.state / "podman.sock")}
    # The build runs in the repository, as README says; the run in a directory holding what it mounts.
    work = tmp_path / "work"
    shutil.copytree(raw_generated, work / "runs" / "demo" / "raw")
    shutil.copy(harness.ROOT / ".env.memory", work / ".env.memory")
    for command, cwd in zip(commands, (harness.ROOT, work)):
        done = _wait_for_socket_then_run(command, cwd, env)
        assert done.returncode == 0, f"{command}\nexit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    out = work / "runs" / "demo" / "features"
    manifest = harness.check_complete_output(out)
    assert manifest["stage"] == "features"


def _wait_for_socket_then_run(command: str, cwd, env) -> subprocess.CompletedProcess:
    for _ in range(100):
        if subprocess.run(["docker", "version"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.2)
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
