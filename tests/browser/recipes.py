"""The README's tested recipes: fenced bash blocks that follow a `<!-- recipe: NAME -->` line.

The tests run exactly these blocks (with bash, from the repository's root), so that a recipe that
stops working, or a README edited into one that does not work, fails the suite.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DATA = Path(os.environ.get("RECSTAGE_SHARED_DATA", ROOT.parent / "shared" / "data"))
_BLOCK = re.compile(r"^<!-- recipe: (?P<name>[\w-]+) -->\n```bash\n(?P<body>.*?)^```$", re.M | re.S)


def recipes(readme: Path = README) -> dict[str, str]:
    """Every marked block of the README by its name."""
    return {match["name"]: match["body"] for match in _BLOCK.finditer(readme.read_text(encoding="utf-8"))}


def require(condition: bool, message: str) -> None:
    """Skips when `condition` fails, except under CI (`CI=true`), where a missing build or data set is a failure."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: a skip here would hide the test)")
        pytest.skip(message)


def run_recipe(name: str, log: Path) -> None:
    """Runs the README's block `name` from the repository's root; its output goes to `log`."""
    body = recipes().get(name)
    assert body, f"README.md has no block marked <!-- recipe: {name} -->"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", body], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                              timeout=900, check=False)
    assert done.returncode == 0, f"README recipe {name} exited {done.returncode}; its output:\n{log.read_text()[-4000:]}"
