"""Runs one command as a whole process under /usr/bin/time -v, with a memory and time watchdog.

The machine is shared: a peer that blows up (the old dictionary counting with a crawler, BᵀB
with a dense-ish product) must be stopped before it takes the machine with it. A watchdog polls
the resident memory of the command's process group and kills the group's processes (not
/usr/bin/time, so that it still reports) when the sum passes the cap, when the machine's
available memory runs low, or when the time limit passes. Python peers also get an
address-space limit a little above the cap as a backstop against one huge allocation touched
faster than the watchdog polls.
"""
import os
import re
import resource
import signal
import subprocess
import time
from dataclasses import dataclass

POLL_SECONDS = 0.1
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
GIB = 1 << 30
MIN_AVAILABLE_BYTES = int(1.5 * GIB)
ADDRESS_SPACE_HEADROOM_BYTES = 4 * GIB


@dataclass
class Limits:
    rss_cap_bytes: int
    timeout_seconds: float


@dataclass
class Measurement:
    status: str  # ok | oom | low-memory | timeout | failed
    wall_seconds: float
    peak_rss_bytes: int  # /usr/bin/time's maximum resident set size, else the watchdog's peak
    detail: str  # for failures: what a reader of the table needs to know
    log_prefix: str

    @property
    def ok(self):
        return self.status == "ok"


def run_measured(argv, log_prefix, limits, env, address_space_limit=False):
    """Runs argv to completion or until a limit kills it; stdout, stderr, time -v go to log_prefix.*"""
    time_file = log_prefix + ".time"
    with open(log_prefix + ".out", "wb") as out, open(log_prefix + ".err", "wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            ["/usr/bin/time", "-v", "-o", time_file] + list(argv),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            preexec_fn=_address_space_limiter(limits.rss_cap_bytes) if address_space_limit else None,
        )
        killed_for, watched_peak = _watch(process, limits, started)
        wall = time.perf_counter() - started
    time_report = read_text(time_file)
    peak = max_rss_bytes(time_report) or watched_peak
    if killed_for == "oom":
        return Measurement("oom", wall, peak, f"failed (OOM at {limits.rss_cap_bytes / GIB:.3g} GB)", log_prefix)
    if killed_for == "low-memory":
        return Measurement("low-memory", wall, peak,
                           f"killed after {wall:.0f} s: machine below {MIN_AVAILABLE_BYTES / GIB:.1f} GB available",
                           log_prefix)
    if killed_for == "timeout":
        return Measurement("timeout", wall, peak, f"killed after {wall:.0f} s (time limit)", log_prefix)
    exit_status = _exit_status(time_report, process.returncode)
    if exit_status != 0:
        return Measurement("failed", wall, peak, _failure_detail(log_prefix, exit_status, limits), log_prefix)
    return Measurement("ok", wall, peak, "", log_prefix)


def _address_space_limiter(rss_cap_bytes):
    limit = rss_cap_bytes + ADDRESS_SPACE_HEADROOM_BYTES

    def limit_address_space():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return limit_address_space


def _watch(process, limits, started):
    """Polls until the process ends; returns (reason it was killed or None, peak group RSS seen)."""
    peak = 0
    while process.poll() is None:
        members = [pid for pid in _group_members(process.pid) if pid != process.pid]
        rss = sum(_rss_bytes(pid) for pid in members)
        peak = max(peak, rss)
        reason = None
        if rss > limits.rss_cap_bytes:
            reason = "oom"
        elif _available_bytes() < MIN_AVAILABLE_BYTES:
            reason = "low-memory"
        elif time.perf_counter() - started > limits.timeout_seconds:
            reason = "timeout"
        if reason:
            _kill(members)
            process.wait()
            return reason, peak
        time.sleep(POLL_SECONDS)
    return None, peak


def _group_members(group):
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[2]) == group:  # fields after the command name: state, ppid, pgrp, ...
            members.append(int(entry))
    return members


def _rss_bytes(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_BYTES
    except OSError:
        return 0


def _available_bytes():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 1 << 62


def _kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def read_text(path):
    """The file's text, or "" when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def max_rss_bytes(time_report):
    """Peak RSS from the text of a /usr/bin/time -v report; 0 when it has none."""
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_report)
    return int(match.group(1)) * 1024 if match else 0


def cpu_seconds(time_report):
    """User plus system CPU seconds from the text of a /usr/bin/time -v report."""
    return sum(float(t) for t in re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", time_report))


def _exit_status(time_report, fallback):
    signalled = re.search(r"Command terminated by signal (\d+)", time_report)
    if signalled:
        return -int(signalled.group(1))
    match = re.search(r"Exit status: (\d+)", time_report)
    return int(match.group(1)) if match else fallback


def _failure_detail(log_prefix, exit_status, limits):
    err = read_text(log_prefix + ".err")
    if "MemoryError" in err or "bad_alloc" in err or "OutOfMemoryError" in err:
        return f"failed (OOM: allocation refused under the {limits.rss_cap_bytes / GIB:.3g} GB cap)"
    last = next((line for line in reversed(err.strip().splitlines()) if line.strip()), "")
    return f"failed (exit {exit_status}: {last[:120]})" if last else f"failed (exit {exit_status})"
