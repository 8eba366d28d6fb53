#!/usr/bin/env bash
# Run the DAG tests in the repository's own virtual environment (.venv, gitignored): creates it on
# first use and installs dags/requirements-test.txt into it; nothing is installed globally.
# Usage: dags/tests/run.sh [pytest arguments…]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${RECSTAGE_VENV:-$repo/.venv}"
python="${PYTHON:-python3.11}"
requirements="$repo/dags/requirements-test.txt"
stamp="$venv/.recstage-test-requirements"

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
if ! cmp -s "$requirements" "$stamp" 2>/dev/null || ! cmp -s "$repo/dags/requirements.txt" "$stamp.base" 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  (cd "$repo/dags" && "$venv/bin/python" -m pip install --quiet -r requirements-test.txt)
  cp "$requirements" "$stamp"
  cp "$repo/dags/requirements.txt" "$stamp.base"
fi
cd "$repo/dags"
exec "$venv/bin/python" -m pytest "$@"
