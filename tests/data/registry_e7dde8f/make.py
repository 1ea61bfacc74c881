"""Make the registry fixture as commit e7dde8f wrote it (before schema versions existed).

Run from a checkout of that commit, giving this file's folder as the output:

    git archive e7dde8f | tar -x -C /tmp/e7dde8f
    cd /tmp/e7dde8f && PYTHONPATH=. python /path/to/tests/data/registry_e7dde8f/make.py OUT

It records two runs of demo@v1 (are_you_sure and sandbagging, from scripted models) ingested
as user eve, the determinations `rsp tiers` records, and a sign-off chain: a safeguard
attestation and the two approvals. Only the reviewers' public keys are kept, and the
registry is kept gzipped (DuckDB files are mostly empty blocks).
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import tempfile
from pathlib import Path

from inspect_ai import eval as inspect_eval

from evals.deception.sandbagging import sandbagging
from registry.ingest import VersionInfo, ingest
from tests.conftest import run_are_you_sure, steadfast
from tests.scripted import scripted_model
from tests.test_alignment_tasks import SB
from tests.test_signoff import release, rsp, small_policy


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = f"duckdb:///{folder / 'registry.duckdb'}"
        os.environ["RSP_USER"] = "eve"
        info = VersionInfo("demo", "v1")
        ingest([run_are_you_sure(steadfast, folder / "a").location], db, info)
        honest = inspect_eval(sandbagging(), model=scripted_model(lambda m: SB(m)["answer"]),
                              log_dir=str(folder / "b"), display="none")[0]
        ingest([honest.location], db, info)
        reviewers = folder / "reviewers.allowed"
        for who, roles in (("alice", "responsible-scaling-officer"), ("bob", "ceo")):
            assert rsp("signoff", "keygen", who, "--roles", roles, "--out", folder / "keys",
                       "--reviewers", reviewers).exit_code == 0
        policy = small_policy(folder / "policy.yaml")
        release({"db": db, "keys": folder / "keys",
                 "common": ["--db", db, "--reviewers", reviewers, "--policy", policy]})
        out.mkdir(parents=True, exist_ok=True)
        for name in ("reviewers.allowed", "policy.yaml"):
            shutil.copy(folder / name, out / name)
        with gzip.open(out / "registry.duckdb.gz", "wb") as packed:
            packed.write((folder / "registry.duckdb").read_bytes())


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
