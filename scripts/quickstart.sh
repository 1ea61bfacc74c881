#!/usr/bin/env bash
# Set up, then run the main job: the sycophancy suite on the bundled offline model, ingested
# into ./rsp.duckdb, with the tier table printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
.venv/bin/rsp eval run "$@"
echo
echo "Next: .venv/bin/rsp tiers --json | .venv/bin/rsp gate MODEL@VERSION --max-tier ASL-2 | .venv/bin/rsp --help"
