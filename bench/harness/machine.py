"""The machine and software a benchmark ran on, for the report header."""
import os
import platform
import subprocess

OPENBLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def benchmark_environment():
    """The environment for benchmark commands: ours, less the OpenBLAS core-type overrides.

    Some machines here set them for old OpenBLAS builds; they slow a current numpy, so the
    benchmark commands (only they) run without them. The peers print the kernel they then use.
    """
    return {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARIABLES}


def describe(repo, python):
    return {
        "cpu": _cpu_model(),
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gib": round(_mem_total_bytes() / (1 << 30), 1),
        "kernel": platform.release(),
        "java": _first_line([_launcher_java(), "-version"]),
        "peer_python": _first_line([python, "--version"]),
        "recstage_commit": _first_line(["git", "-C", repo, "rev-parse", "--short", "HEAD"]),
        "openblas_overrides_unset": [v for v in OPENBLAS_VARIABLES if v in os.environ],
    }


def as_markdown(machine):
    unset = ", ".join(machine["openblas_overrides_unset"]) or "none set"
    return (
        f"Machine: {machine['cpu']}, {machine['nproc']} CPUs (nproc), {machine['memory_gib']} GiB RAM, "
        f"Linux {machine['kernel']}; {machine['java']}; peers on {machine['peer_python']}; "
        f"recstage at {machine['recstage_commit']}; OpenBLAS overrides unset for the runs: {unset}."
    )


def _cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _mem_total_bytes():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return 0


def _launcher_java():
    """The JVM bin/recstage runs: RECSTAGE_JAVA, else JAVA_HOME's, else java on the PATH."""
    if os.environ.get("RECSTAGE_JAVA"):
        return os.environ["RECSTAGE_JAVA"]
    if os.environ.get("JAVA_HOME"):
        return os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    return "java"


def _first_line(argv):
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "unavailable"
