#!/usr/bin/env bash
# Set up, then run the main job: the "Are you sure?" sycophancy task on the bundled offline model, ingested
# into ./rsp.duckdb, with the tier table printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# The skeleton's headline task; `rsp eval run` alone runs the whole sycophancy suite (3 tasks,
# about 12 minutes on 2 cores).
.venv/bin/rsp eval run --task are_you_sure "$@"
echo
cat <<'EOF'
Next steps:
  .venv/bin/rsp tiers --json                                  # the same table for scripts
  .venv/bin/rsp gate MODEL@VERSION --max-tier ASL-2           # 0 within on complete evidence, 1 not
  .venv/bin/rsp plan MODEL@VERSION                            # what to run next, and how many samples
  .venv/bin/rsp eval run --suite alignment                    # every alignment suite
  .venv/bin/rsp --help
EOF
