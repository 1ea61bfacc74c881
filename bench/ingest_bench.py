"""Ingest benchmark: `rsp ingest` against what a user would do instead, in one run.

Logs are generated with Inspect itself, offline (mockllm with token usage set), e.g. 40 logs
x 500 samples. Each route runs in its own fresh process, timed, with its peak RSS:

- rsp:        registry.ingest.ingest into a new DuckDB file (what `rsp ingest DIR` does);
- rsp-existing: the same into a registry created before the clock starts (a team's usual
              case; the difference is what creating a registry by its migrations costs);
- dataframe:  inspect_ai.analysis samples_df + evals_df, loaded into a new DuckDB file;
- bare read:  read_eval_log_sample_summaries on every log: the floor any ingest stands on.

Targets (issue 21): rsp at most 1.15x the bare read's time, and at least 3x faster than the
dataframe route at no more memory; both ratios are printed from the same run, of each route's
median over rounds in which the routes take turns (this machine's speed drifts by 10% and more
over a minute). Each route's imports, including those its code makes lazily on first use, are
done before its clock starts, so the routes compare work only. Usage:

    python bench/ingest_bench.py --logs 40 --samples 500 [--repeat 3] [--log-dir DIR]
    python bench/ingest_bench.py --backend postgresql://user@host/db   # throughput there too
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUTES = ("rsp", "rsp-existing", "dataframe", "bare")
FLOOR_TARGET = 1.15  # rsp ingest time / bare read time, at most
DATAFRAME_TARGET = 3.0  # dataframe route time / rsp ingest time, at least


def generate_logs(log_dir: Path, n_logs: int, n_samples: int) -> None:
    """n_logs real Inspect logs of n_samples each, from a scripted mockllm with usage set."""
    from inspect_ai import Task
    from inspect_ai import eval as inspect_eval
    from inspect_ai.dataset import Sample
    from inspect_ai.model import ModelOutput, ModelUsage, get_model
    from inspect_ai.scorer import includes, match
    from inspect_ai.solver import generate

    def outputs():
        i = 0
        while True:
            output = ModelOutput.from_content("mockllm/bench", f"The answer is {'ABCD'[i % 4]}.")
            output.usage = ModelUsage(input_tokens=60 + i % 40, output_tokens=8,
                                      total_tokens=68 + i % 40)
            i += 1
            yield output

    def bench_task(k: int) -> Task:
        samples = [Sample(id=f"q{j:05d}", input=f"Question {j} of set {k}: which letter comes "
                          f"{['first', 'second', 'third', 'fourth'][j % 4]} in ABCD?",
                          target="ABCD"[j % 4], metadata={"set": k, "difficulty": j % 3})
                   for j in range(n_samples)]
        return Task(dataset=samples, solver=generate(), scorer=[match(), includes()],
                    name=f"bench_set_{k:03d}")

    model = get_model("mockllm/bench", custom_outputs=outputs())
    logs = inspect_eval([bench_task(k) for k in range(n_logs)], log_dir=str(log_dir),
                        model=model, max_tasks=8, display="none")
    if any(log.status != "success" for log in logs):
        raise SystemExit("generating the benchmark logs failed")


def run_route(route: str, log_dir: Path, db: str) -> dict:
    """Run one route in this process; report its time and peak memory."""
    if route == "rsp-existing":
        from registry.db import open_session

        with open_session(db):
            pass
    baseline = _peak_mib()
    started = time.perf_counter()
    logs = sorted(str(p) for p in log_dir.glob("*.eval"))
    if route.startswith("rsp"):
        from registry.ingest import ingest

        results = ingest(logs, db)
        assert all(r.outcome == "ingested" for r in results), results[:3]
    elif route == "dataframe":
        import duckdb
        from inspect_ai.analysis import evals_df, samples_df

        frames = {"samples": samples_df(logs), "evals": evals_df(logs)}
        with duckdb.connect(db.removeprefix("duckdb:///")) as con:
            for name, frame in frames.items():
                con.register("incoming", frame)
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
                con.unregister("incoming")
    else:
        from inspect_ai.log import read_eval_log_sample_summaries

        for log in logs:
            read_eval_log_sample_summaries(log)
    return {"route": route, "seconds": time.perf_counter() - started,
            "peak_rss_mib": _peak_mib(), "rss_before_mib": baseline}


def _peak_mib() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so
    a child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def ensure_logs(log_dir: Path, logs: int, samples: int) -> None:
    """Generate the bench's logs with Inspect unless `log_dir` already holds that many (they
    take minutes to make and are reused between runs)."""
    existing = len(list(log_dir.glob("*.eval"))) if log_dir.exists() else 0
    if existing != logs:
        shutil.rmtree(log_dir, ignore_errors=True)
        started = time.perf_counter()
        generate_logs(log_dir, logs, samples)
        print(f"generated {logs} logs x {samples} samples with Inspect in "
              f"{time.perf_counter() - started:.0f} s")


def measure_in_child(script: str, option: str, name: str, log_dir: Path, db: str) -> dict:
    """Run one measured step of a bench script (`script --route NAME`, say) in a fresh
    interpreter, so each pays its own imports and memory; its last line is the figures."""
    out = subprocess.run([sys.executable, script, option, name, "--log-dir", str(log_dir),
                          "--db", db], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(route: str, log_dir: Path, db: str) -> dict:
    """One ingest route; imports are warmed in the child before the clock, so routes compare
    work only."""
    return measure_in_child(__file__, "--route", route, log_dir, db)


def _median(measured: list[dict]) -> dict:
    """A route's median time over its rounds, and its highest peak memory."""
    return {"seconds": statistics.median(m["seconds"] for m in measured),
            "peak_rss_mib": max(m["peak_rss_mib"] for m in measured),
            "rss_before_mib": max(m["rss_before_mib"] for m in measured)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=40)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/ingest-bench-logs"))
    parser.add_argument("--repeat", type=int, default=3,
                        help="Rounds of all routes; the figures are each route's median.")
    parser.add_argument("--backend", help="Also time rsp ingest into this PostgreSQL URL.")
    parser.add_argument("--route", choices=ROUTES, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.route:
        _warm_imports(args.route)
        print(json.dumps(run_route(args.route, args.log_dir, args.db)))
        return
    ensure_logs(args.log_dir, args.logs, args.samples)
    size = sum(p.stat().st_size for p in args.log_dir.glob("*.eval")) / 2**20
    print(f"logs: {args.logs} x {args.samples} samples, {size:.0f} MiB on disk")
    with tempfile.TemporaryDirectory() as tmp:
        # the routes take turns, so a slow spell of the machine falls on all of them
        runs: dict[str, list[dict]] = {route: [] for route in ROUTES}
        for repeat in range(args.repeat):
            for route in ROUTES:
                runs[route].append(measure(route, args.log_dir,
                                           f"duckdb:///{tmp}/{route}-{repeat}.duckdb"))
        if args.backend:
            runs["rsp-postgresql"] = [measure("rsp", args.log_dir, args.backend)]
    print("rsp / bare read, each round: " + ", ".join(
        f"{rsp['seconds'] / bare['seconds']:.2f}x" for rsp, bare in zip(runs["rsp"], runs["bare"],
                                                                        strict=True)))
    figures = {name: _median(measured) for name, measured in runs.items()}
    rows = args.logs * args.samples
    print(f"{'route':<16}{'seconds':>9}{'samples/s':>11}{'peak RSS MiB':>14}{'RSS at start':>14}")
    for name, f in figures.items():
        print(f"{name:<16}{f['seconds']:>9.2f}{rows / f['seconds']:>11.0f}"
              f"{f['peak_rss_mib']:>14.0f}{f['rss_before_mib']:>14.0f}")
    rsp, df, bare = figures["rsp"], figures["dataframe"], figures["bare"]
    print(f"rsp ingest / bare read: {rsp['seconds'] / bare['seconds']:.2f}x time "
          f"(target <= {FLOOR_TARGET}); into an existing registry: "
          f"{figures['rsp-existing']['seconds'] / bare['seconds']:.2f}x")
    print(f"dataframe route / rsp ingest: {df['seconds'] / rsp['seconds']:.2f}x time "
          f"(target >= {DATAFRAME_TARGET}), rsp peak memory / dataframe peak: "
          f"{rsp['peak_rss_mib'] / df['peak_rss_mib']:.2f} (target <= 1)")
    if "rsp-postgresql" in figures:
        pg = figures["rsp-postgresql"]
        print(f"PostgreSQL / DuckDB ingest time: {pg['seconds'] / rsp['seconds']:.2f}x")


# What each route imports, its code's imports on first use included: a new registry's schema
# is made by alembic migrations through duckdb_engine, pyarrow imports pandas the first time it
# converts a Python list, and Inspect's reader loads anyio's asyncio backend on its first call.
ROUTE_IMPORTS = {
    "rsp": ("registry.ingest", "alembic.command", "alembic.config", "alembic.script",
            "duckdb_engine", "pandas"),
    "rsp-existing": ("registry.ingest", "duckdb_engine", "pandas"),
    "dataframe": ("duckdb", "inspect_ai.analysis"),
    "bare": ("anyio._backends._asyncio",),
}


def _warm_imports(route: str) -> None:
    for module in ("inspect_ai.log", *ROUTE_IMPORTS[route]):
        importlib.import_module(module)


if __name__ == "__main__":
    main()
