"""Out of memory: every way a stage is launched carries -XX:+ExitOnOutOfMemoryError (a JVM that
runs on after an OutOfMemoryError can write a wrong output), and a run whose plan cannot fit its
heap or memory budget exits 4 with advice instead of dying of an OutOfMemoryError."""

from __future__ import annotations

import ast
import json
import re

import pytest

import harness
from conftest import features_args, require

FLAG = "-XX:+ExitOnOutOfMemoryError"
ROOT = harness.ROOT


def dockerfile_entrypoint(name: str) -> list[str]:
    text = (ROOT / "docker" / name).read_text(encoding="utf-8")
    entries = re.findall(r"^ENTRYPOINT\s+(\[.*\])\s*$", text, re.MULTILINE)
    assert entries, f"docker/{name} has no exec-form ENTRYPOINT"
    return json.loads(entries[-1])


def launcher_exec_lines() -> list[str]:
    """The lines of bin/recstage that start a stage (native binary or java), joined with their
    continuations, with the launcher's array variables ("${NAME[@]}") replaced by what it assigns them."""
    text = (ROOT / "bin" / "recstage").read_text(encoding="utf-8").replace("\\\n", " ")
    arrays = dict(re.findall(r"^(\w+)=\((.*?)\)\s*$", text, re.MULTILINE | re.DOTALL))
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("exec ")]
    return [re.sub(r'"\$\{(\w+)\[@\]\}"', lambda m: arrays.get(m.group(1), m.group(0)), line) for line in lines]


def stage_pod_keywords() -> set[str]:
    tree = ast.parse((ROOT / "dags" / "recstage_dags" / "pods.py").read_text(encoding="utf-8"))
    function = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "stage_pod")
    return {k.arg for call in ast.walk(function) if isinstance(call, ast.Call) for k in call.keywords}


LAUNCH_PATHS = {
    "bin/recstage (JVM and native)": lambda: all(FLAG in line for line in launcher_exec_lines()) and len(launcher_exec_lines()) >= 2,
    "docker/Dockerfile.jvm ENTRYPOINT": lambda: FLAG in dockerfile_entrypoint("Dockerfile.jvm"),
    "docker/Dockerfile.native ENTRYPOINT": lambda: FLAG in dockerfile_entrypoint("Dockerfile.native"),
    # Pods run the image's ENTRYPOINT: stage_pod must not replace it with its own command.
    "Kubernetes stage pods (image ENTRYPOINT kept)": lambda: "cmds" not in stage_pod_keywords(),
    # Local mode runs bin/recstage itself.
    "Airflow local mode (runs bin/recstage)": lambda: re.search(
        r'LocalProcessOperator\(\s*command=\[str\(Path\(self\.settings\["RECSTAGE_HOME"\]\) / "bin" / "recstage"\), stage\]',
        (ROOT / "dags" / "recstage_dags" / "stages.py").read_text(encoding="utf-8")) is not None,
    "pom.xml Surefire argLine": lambda: re.search(r"<argLine>[^<]*" + re.escape(FLAG), (ROOT / "pom.xml").read_text()) is not None,
    "quarkus.test.arg-line (@QuarkusMainTest launches)": lambda: re.search(
        r"^quarkus\.test\.arg-line=.*" + re.escape(FLAG),
        (ROOT / "tasks/core/src/main/resources/META-INF/microprofile-config.properties").read_text(), re.MULTILINE) is not None,
}


@pytest.mark.parametrize("path", LAUNCH_PATHS)
def test_exit_on_out_of_memory_in_launch_path(path, case):
    case.id, case.group, case.stage = f"ExitOnOutOfMemoryError: {path}", "out of memory", "all"
    case.input, case.expected = f"static check of {path}", f"{FLAG} present"
    present = LAUNCH_PATHS[path]()
    case.outcome = "present" if present else "missing"
    assert present, f"{FLAG} missing from {path}"


BUDGETS = [
    pytest.param(stage, variable, value, id=f"{stage}-{variable}={value}")
    for stage in (harness.CONTENT, harness.BEHAVIOR)
    for variable, value in (("RECSTAGE_MEMORY_LIMIT", "64Mi"), ("RECSTAGE_MAX_HEAP", "12Mi"), ("RECSTAGE_MAX_HEAP", "16Mi"))
]


@pytest.mark.parametrize("stage, variable, value", BUDGETS)
def test_plan_too_big_for_budget_is_exit_4(stage, variable, value, case, request, tmp_path):
    """Each of these budgets is too small for the medium input: the stage refuses with exit 4 and its plan."""
    case.id, case.group, case.stage = f"{stage}:{variable}={value}", "out of memory", stage
    case.input = f"the medium features output (5,000 items, 100,000 events) under {variable}={value}"
    case.expected = "exit 4 with the plan and advice; never an OutOfMemoryError, nothing published"
    require(stage)
    out = tmp_path / "out"
    result = harness.run(stage, "--features", request.getfixturevalue("features_medium"), "--out", out, env={variable: value})
    case.outcome = result.summary() + "".join(f"; {line}" for line in result.stdout.splitlines() if line.startswith("Terminating due to"))
    assert harness.no_stack_trace(result), result.stderr[-3000:]
    assert result.code == 4, result.stderr[-3000:]
    assert re.search(r"the plan needs .* but the budget is", result.error), result.error
    assert not out.exists() and not harness.leftovers(out)


def test_features_refuses_interactions_its_heap_cannot_hold(case, request, tmp_path):
    """features plans the interaction table from the file's line count before reading it (21 bytes a
    line): 2,000,000 lines (42 MB) under a 32 MiB heap end with exit 4 and the plan at once, not with an
    OutOfMemoryError after reading most of them."""
    case.id, case.group, case.stage = "features:RECSTAGE_MAX_HEAP=32Mi, 2,000,000 interaction lines", "out of memory", harness.FEATURES
    case.input = "the medium raw items (5,000) and 2,000,000 interaction lines under RECSTAGE_MAX_HEAP=32Mi"
    case.expected = "exit 4 with the plan before reading the interactions; never an OutOfMemoryError, nothing published"
    require(harness.FEATURES)
    raw = request.getfixturevalue("generated_medium")
    interactions = tmp_path / "interactions.csv"
    first = (raw / "interactions.csv").read_text().splitlines()
    rows = first[1:]
    with interactions.open("w") as f:
        f.write(first[0] + "\n")
        for n in range(2_000_000):
            f.write(rows[n % len(rows)] + "\n")
    out = tmp_path / "out"
    result = harness.run(harness.FEATURES, "--items", raw / "items.csv", "--interactions", interactions, "--out", out,
                         env={"RECSTAGE_MAX_HEAP": "32Mi"})
    case.outcome = result.summary()
    assert_features_refused_before_reading(result, out, r"interactions table \(one row per line at most: 200000[12] lines\)")


def test_features_refuses_embeddings_its_heap_cannot_hold(case, request, tmp_path):
    """features holds the vectors aligned to the items (items × dimension floats) while it imports
    them; it plans them from the file's dimension at the first check: 5,000 items × 2,048 floats
    (39 MiB) under a 32 MiB heap end with exit 4 before the interactions are read, not with an
    OutOfMemoryError after them (as a million 384-dimensional vectors under the default 1Gi did)."""
    case.id, case.group, case.stage = "features:RECSTAGE_MAX_HEAP=32Mi, 5,000 × 2,048 embeddings", "out of memory", harness.FEATURES
    case.input = "the medium raw items and interactions, embeddings of 2,048 floats for every item, under RECSTAGE_MAX_HEAP=32Mi"
    case.expected = "exit 4 with the embeddings' plan before reading the interactions; never an OutOfMemoryError, nothing published"
    require(harness.FEATURES)
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.ipc as ipc

    raw = request.getfixturevalue("generated_medium")
    ids = pacsv.read_csv(raw / "items.csv").column("item_id").cast(pa.string())
    values = pa.array(np.random.default_rng(3).random(len(ids) * 2048, dtype=np.float32))
    table = pa.table({"item_id": ids, "embedding": pa.FixedSizeListArray.from_arrays(values, 2048)})
    embeddings = tmp_path / "embeddings.arrow"
    with ipc.new_file(embeddings, table.schema) as writer:
        writer.write_table(table)
    out = tmp_path / "out"
    result = harness.run(harness.FEATURES, "--items", raw / "items.csv", "--interactions", raw / "interactions.csv",
                         "--embeddings", embeddings, "--out", out, env={"RECSTAGE_MAX_HEAP": "32Mi"})
    case.outcome = result.summary()
    assert_features_refused_before_reading(result, out, r"embeddings aligned to the items \(5000 × 2048 floats\) 39\.1 MB heap")


def assert_features_refused_before_reading(result, out, part):
    """Exit 4 with the plan naming `part` (a regex) and the advice, before a line of the interactions was read; nothing published."""
    assert harness.no_stack_trace(result), result.stderr[-3000:]
    assert result.code == 4, (result.stdout + result.stderr)[-3000:]
    assert re.search(r"the plan needs .* but the budget is .*" + part, result.error), result.error
    assert "FEATURES_MEMORY_LIMIT" in result.error and "Reading interactions.csv" not in result.stderr
    assert not out.exists() and not harness.leftovers(out)


# Under a heap too small for the JVM itself, features ends with the JVM's own out-of-memory exit;
# from a few MB more its plan decides. What each tiny heap does is stated per heap, and for 8 MiB per
# JDK: JDK 17 runs out of heap while reading the items, before its plan is checked; JDK 25 needs less
# heap for the same items (measured on both), reaches the plan, and the plan refuses.
TINY_HEAPS = [
    pytest.param("8Mi", {17: 3, 25: 4}, id="8Mi"),  # 3: ExitOnOutOfMemoryError and its stdout line; 4: the plan
    pytest.param("16Mi", {17: 0, 25: 0}, id="16Mi"),  # enough for the medium input
]


def expected_on_this_jdk(exit_codes: dict[int, int]) -> int:
    """The exit code measured on the JDK nearest below the launcher's (JDK 17's when it cannot be told)."""
    major = harness.launcher_java_major() or 17
    return exit_codes[max((v for v in exit_codes if v <= major), default=min(exit_codes))]


@pytest.mark.parametrize("heap, exit_codes", TINY_HEAPS)
def test_features_under_a_tiny_heap(heap, exit_codes, case, request, tmp_path):
    exit_code = expected_on_this_jdk(exit_codes)
    case.id, case.group, case.stage = f"features:RECSTAGE_MAX_HEAP={heap}", "out of memory", harness.FEATURES
    case.input = f"the medium raw input (5,000 items, 100,000 events) under RECSTAGE_MAX_HEAP={heap}"
    case.expected = {0: "exit 0, complete output",
                     3: "exit 3 from ExitOnOutOfMemoryError ('Terminating due to java.lang.OutOfMemoryError'), nothing published",
                     4: "exit 4 with the plan and advice, nothing published"}[exit_code]
    require(harness.FEATURES)
    out = tmp_path / "out"
    result = harness.run(harness.FEATURES, *features_args(request.getfixturevalue("generated_medium")), "--out", out,
                         env={"RECSTAGE_MAX_HEAP": heap})
    said = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith(("error:", "Terminating due to"))]
    case.outcome = f"exit {result.code}" + (f": {said[-1]}" if said else "")
    assert result.code == exit_code, (result.stdout + result.stderr)[-3000:]
    if exit_code == 0:
        harness.check_complete_output(out)
        return
    if exit_code == 4:
        assert_features_refused_before_reading(result, out, "interactions table")
        return
    assert not out.exists()
    assert "Terminating due to java.lang.OutOfMemoryError" in result.stdout, result.stdout[-3000:]
    assert not re.search(r"^\s+at [\w.$]+\(", result.stderr, re.MULTILINE), "a stack trace"
    # A JVM ended by ExitOnOutOfMemoryError cannot clean up, like a killed one: the next run does.
    if harness.leftovers(out):
        case.outcome += f"; left {harness.leftovers(out)[0].split('-')[0]}-<pid> for the next run to remove"
