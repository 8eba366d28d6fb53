"""The command-line checks run the built stages through bin/recstage; the tests' own modules live here."""

import sys
from pathlib import Path

# recipes.py (README blocks, the CI rule for skips) is shared with the browser tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
