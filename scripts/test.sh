#!/usr/bin/env bash
# Set up, then lint and run the whole test suite (real DuckDB files, the real bundled model).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# The browser tests drive Debian's Chromium (Playwright downloads no browser of its own).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing; install it with: sudo apt-get install chromium" >&2
    exit 2
  fi
fi
.venv/bin/ruff check .
# DuckDB's Python binding (nanobind) lists objects still alive at interpreter exit; that noise
# would bury pytest's closing line, so it is filtered out (pipefail keeps pytest's exit code).
.venv/bin/python -m pytest -q "$@" 2>&1 | grep -v -e '^nanobind' -e '^ - leaked' -e '^ - [.][.][.] skipped'
