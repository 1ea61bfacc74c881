#!/usr/bin/env bash
# Set up, then run the main job: the sycophancy suite on the bundled offline model, ingested
# into ./rsp.duckdb, with the tier table printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
.venv/bin/rsp eval run "$@"
echo
cat <<'EOF'
Next steps:
  .venv/bin/rsp tiers --json                                  # the same table for scripts
  .venv/bin/rsp gate MODEL@VERSION --max-tier ASL-2           # exit 0 within, 1 above
  .venv/bin/rsp eval run --suite alignment                    # every alignment suite
  .venv/bin/rsp --help
EOF
