#!/usr/bin/env bash
# Set up, then lint and run the whole test suite (real DuckDB files, a real PostgreSQL server,
# the real bundled model, the real dashboard in Chromium).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# Debian packages the tests need: Chromium for the browser tests (Playwright downloads no
# browser of its own), the PostgreSQL server, which the tests start on loopback and stop, and
# bubblewrap, the sandbox the agentic tasks' commands run in.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)  # the agentic tasks' sandbox
# Pango, which WeasyPrint loads for the PDF report (`rsp report --format pdf`). The library list
# is read whole first: `ldconfig -p | grep -q` would fail under pipefail when grep stops early.
shared_libs=$(PATH="$PATH:/sbin:/usr/sbin" ldconfig -p 2>/dev/null || true)
grep -q 'libpango-1\.0\.so' <<<"$shared_libs" || missing+=(libpango-1.0-0)
grep -q 'libpangoft2-1\.0\.so' <<<"$shared_libs" || missing+=(libpangoft2-1.0-0)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}; install them with: sudo apt-get install" \
      "${missing[*]}" >&2
    exit 2
  fi
fi
.venv/bin/ruff check .
.venv/bin/mypy  # the packages listed in pyproject's [tool.mypy]
# DuckDB's Python binding (nanobind) lists objects still alive at interpreter exit; that noise
# would bury pytest's closing line, so it is filtered out (pipefail keeps pytest's exit code).
.venv/bin/python -m pytest -q "$@" 2>&1 | grep -v -e '^nanobind' -e '^ - leaked' -e '^ - [.][.][.] skipped'
