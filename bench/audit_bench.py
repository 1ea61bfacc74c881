"""Audit benchmark: `rsp audit` against `rsp ingest` of the same logs, in one run.

Logs are generated with Inspect itself, offline (bench/ingest_bench.py's generator, e.g. 40
logs x 500 samples); they are ingested into a fresh DuckDB file, timed, and then audited,
timed. Each step runs in its own fresh process with its imports loaded before the clock, and
reports its peak RSS. Target: the audit takes no more than 1.5x the ingest. Usage:

    python bench/audit_bench.py --logs 40 --samples 500 [--log-dir /tmp/audit-bench-logs]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ingest_bench import _peak_mib, ensure_logs, measure_in_child

STEPS = ("ingest", "audit")


def run_step(step: str, log_dir: Path, db: str) -> dict:
    """Run one step in this process; report its time and peak memory."""
    started = time.perf_counter()
    if step == "ingest":
        from registry.ingest import ingest

        results = ingest(sorted(str(p) for p in log_dir.glob("*.eval")), db)
        assert all(r.outcome == "ingested" for r in results), results[:3]
        outcome = f"{len(results)} logs ingested"
    else:
        from registry.audit_store import audit_registry

        report = audit_registry(db)
        assert not report.findings, report.findings[:3]
        outcome = report.summary()
    return {"step": step, "seconds": time.perf_counter() - started,
            "peak_rss_mib": _peak_mib(), "outcome": outcome}


def measure(step: str, log_dir: Path, db: str) -> dict:
    """One step (ingest or audit) in a fresh interpreter, so each pays its own memory."""
    return measure_in_child(__file__, "--step", step, log_dir, db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=40)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/audit-bench-logs"))
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        import registry.audit_store
        import registry.ingest  # noqa: F401  (both steps' imports, loaded before the clock)

        print(json.dumps(run_step(args.step, args.log_dir, args.db)))
        return
    ensure_logs(args.log_dir, args.logs, args.samples)
    with tempfile.TemporaryDirectory() as tmp:
        db = f"duckdb:///{tmp}/registry.duckdb"
        figures = {step: measure(step, args.log_dir, db) for step in STEPS}  # in this order
    rows = args.logs * args.samples
    print(f"{'step':<8}{'seconds':>9}{'samples/s':>11}{'peak RSS MiB':>14}  outcome")
    for name, f in figures.items():
        print(f"{name:<8}{f['seconds']:>9.2f}{rows / f['seconds']:>11.0f}"
              f"{f['peak_rss_mib']:>14.0f}  {f['outcome']}")
    ratio = figures["audit"]["seconds"] / figures["ingest"]["seconds"]
    print(f"rsp audit / rsp ingest: {ratio:.2f}x time (target <= 1.5)")


if __name__ == "__main__":
    main()
