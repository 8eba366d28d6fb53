"""Podman with all of its state (images, containers, volumes, configuration) in one private directory.

The settings are those this machine kind needs (../shared/notes/podman-here.md): runc because crun
refuses hybrid cgroups, cgroupfs without systemd, ulimits that root without CAP_SYS_RESOURCE may set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from harness import ROOT

BASE_IMAGE_SCRIPT = ROOT / "docker" / "local-base-image"
IMAGE_REGISTRY = "localhost/recstage"
IMAGE_TAG = "test"
PACKAGES = ("podman", "runc", "conmon", "mmdebstrap")
# First element of the JVM image's ENTRYPOINT: exit 4 below the JVM's memory floor, else exec the rest.
FLOOR_CHECK = "/app/memory-floor-check"
# Second element: execs the java command, with the Vector API module for content-similarity's vector runs.
VECTOR_MODULE = "/app/vector-module"


def memory_floor_bytes() -> int:
    """The floor of docker/memory-floor-check (its FLOOR_MIB)."""
    text = (ROOT / "docker" / "memory-floor-check").read_text()
    return int(re.search(r"^FLOOR_MIB=(\d+)$", text, re.MULTILINE)[1]) * 2**20


def missing_tools() -> list[str]:
    return [tool for tool in PACKAGES if shutil.which(tool) is None]


class Podman:
    """`podman(*args)` runs podman on the private state; `close()` removes every trace of it."""

    def __init__(self, state: Path) -> None:
        self.state = state
        for name in ("storage", "run", "tmp", "engine", "networks"):
            (state / name).mkdir(parents=True, exist_ok=True)
        (state / "storage.conf").write_text(
            f'[storage]\ndriver = "overlay"\ngraphroot = "{state / "storage"}"\nrunroot = "{state / "run"}"\n')
        (state / "containers.conf").write_text(
            '[containers]\n'
            # Podman's default (1048576) needs CAP_SYS_RESOURCE, which root lacks here.
            'default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
            '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
            # crun: "cgroups in hybrid mode not supported".
            'runtime = "runc"\n'
            # Otherwise /run/libpod and /etc/containers/networks, shared by every podman on the
            # machine, which `system reset` in close() would empty under them.
            f'tmp_dir = "{state / "engine"}"\n'
            f'[network]\nnetwork_config_dir = "{state / "networks"}"\n')
        self.env = {**os.environ, "CONTAINERS_STORAGE_CONF": str(state / "storage.conf"),
                    "CONTAINERS_CONF": str(state / "containers.conf"), "TMPDIR": str(state / "tmp")}
        self.services: list[subprocess.Popen] = []

    def __call__(self, *args: str, check: bool = True, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
        done = subprocess.run(["podman", *map(str, args)], env=self.env, capture_output=True, text=True,
                              errors="replace", timeout=timeout, **kwargs)
        if check and done.returncode != 0:
            raise AssertionError(f"podman {' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def base_image(self, kind: str) -> str:
        """The local JRE or python base image (docker/local-base-image; its tarball is cached across runs)."""
        done = subprocess.run([str(BASE_IMAGE_SCRIPT), kind], env=self.env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def build_stage_image(self, stage: str, runtime_image: str, tag: str = f"{IMAGE_TAG}-jvm") -> str:
        """The stage's JVM image from docker/Dockerfile.jvm with the jars built on the host."""
        app = ROOT / "tasks" / stage / "target" / "quarkus-app" / "quarkus-run.jar"
        assert app.is_file(), f"{app} is missing: build the stages first (./mvnw -B package -DskipTests)"
        image = f"{IMAGE_REGISTRY}/{stage}:{tag}"
        self("build", "--quiet", "-f", ROOT / "docker" / "Dockerfile.jvm", "--build-arg", f"STAGE={stage}",
             "--build-arg", "APP_FROM=host", "--build-arg", f"RUNTIME_IMAGE={runtime_image}", "-t", image, ROOT)
        return image

    def build_evaluate_image(self, runtime_image: str, tag: str = f"{IMAGE_TAG}-jvm") -> str:
        """evaluate's JVM image (docker/Dockerfile.evaluate): every stage and the tools, built on the host."""
        missing = [m for m in ("features", "content-similarity", "behavior-cooccurrence", "recommend", "tools")
                   if not (ROOT / "tasks" / m / "target" / "quarkus-app" / "quarkus-run.jar").is_file()]
        assert not missing, f"tasks/{missing[0]} is not built: build the stages first (./mvnw -B package -DskipTests)"
        image = f"{IMAGE_REGISTRY}/evaluate:{tag}"
        self("build", "--quiet", "-f", ROOT / "docker" / "Dockerfile.evaluate", "--build-arg", "APP_FROM=host",
             "--build-arg", f"RUNTIME_IMAGE={runtime_image}", "-t", image, ROOT)
        return image

    def java_command(self, image: str) -> list[str]:
        """The image's ENTRYPOINT without the two scripts in front of it: `java` and its flags."""
        entry = json.loads(self("image", "inspect", "--format", "{{json .Config.Entrypoint}}", image).stdout)
        assert entry[:3] == [FLOOR_CHECK, VECTOR_MODULE, "java"], entry
        return entry[2:]

    def service(self, socket: Path) -> str:
        """Starts podman's Docker-compatible API on a unix socket; returns the DOCKER_HOST for it."""
        process = subprocess.Popen(["podman", "system", "service", "--time=0", f"unix://{socket}"], env=self.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.services.append(process)
        return f"unix://{socket}"

    def close(self) -> None:
        for process in self.services:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        # Unmounts the overlay layers and removes containers, pods, volumes and images.
        self("system", "reset", "--force", check=False, timeout=300)
        shutil.rmtree(self.state, ignore_errors=True)
