"""Where the single-file benches (bench/containers.py, bench/jvm_cache.py) put their reports."""
import subprocess
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def save(name: str, title: str, body: str) -> str:
    """Writes `# TITLE at COMMIT, STAMP UTC` and the body to bench/results/NAME-STAMP.md, prints it and returns it."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    text = f"# {title} at {commit}, {stamp} UTC\n\n{body}\n"
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{name}-{stamp}.md").write_text(text)
    print(text)
    return text
