#!/usr/bin/env bash
# Set up, then lint and run the whole test suite (real DuckDB files, the real bundled model).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
