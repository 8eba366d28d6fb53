"""README's `docker` debugging recipe, run as written by the docker CLI against podman's Docker API,
or by podman as `docker` where there is no docker CLI (check 4 of issue 12)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time

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


def test_readme_recipe_builds_and_runs_a_stage(podman, base_images, raw_generated, tmp_path):
    commands = recipe()
    # The block's ./mvnw line is the build that the suite's images already took the jars from.
    assert [c.split()[1] for c in commands] == ["build", "run"], commands
    env = dict(podman.env)
    if shutil.which("docker"):
        env["DOCKER_HOST"] = podman.service(podman.state / "podman.sock")
        _wait_for_the_api(env)
    else:
        # No docker CLI: podman as `docker`, which the README allows too.
        shim = tmp_path / "bin"
        shim.mkdir()
        (shim / "docker").symlink_to(shutil.which("podman"))
        env["PATH"] = f"{shim}:{env['PATH']}"
    # The build runs in the repository, as README says; the run in a directory holding what it mounts.
    work = tmp_path / "work"
    shutil.copytree(raw_generated, work / "runs" / "demo" / "raw")
    shutil.copy(harness.ROOT / ".env.memory", work / ".env.memory")
    for command, cwd in zip(commands, (harness.ROOT, work)):
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}\nexit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    out = work / "runs" / "demo" / "features"
    manifest = harness.check_complete_output(out)
    assert manifest["stage"] == "features"


def _wait_for_the_api(env) -> None:
    for _ in range(100):
        if subprocess.run(["docker", "version"], env=env, capture_output=True).returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError("podman system service did not answer on its socket within 20 s")
