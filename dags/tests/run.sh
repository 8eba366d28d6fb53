#!/usr/bin/env bash
# Run the DAG tests in the repository's virtual environment (bin/setup-venv creates it on first use).
# Usage: dags/tests/run.sh [pytest arguments…]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="$("$repo/bin/setup-venv")"
cd "$repo/dags"
exec "$python" -m pytest "$@"
