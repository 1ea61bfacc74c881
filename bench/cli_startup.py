"""CLI start-up: how long `rsp` commands take against the bare interpreter, in one run.

Each command runs as a user types it (the venv's `rsp` script, a fresh process each time) and
its subprocess wall time is taken, median of N runs, the commands interleaved so that a busy
moment of the machine falls on all of them alike. Floors: `python -c pass` (the interpreter),
`python -c "import typer"` (Typer and Click, which every `rsp` command needs), and for the
commands that read the registry, importing the libraries they cannot do without (Typer, PyYAML
for the policy, SQLModel with SQLAlchemy, duckdb_engine with DuckDB) and nothing else.

- rsp --help:          parsing and help only: no registry, no policy read;
- rsp policy schema:   the policy model, no registry;
- rsp gate M@V:        a one-version DuckDB registry (the demo's smollm2-135m@v1.0 runs, built
                       here in a temp dir by `rsp ingest`) and the policy: --max-tier ASL-4;
- rsp tiers M@V:       the same version's tier table.

Targets: `rsp --help` under 0.3 s, `rsp gate` under 0.6 s.

    .venv/bin/python bench/cli_startup.py [--runs 11]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RSP = Path(sys.executable).parent / "rsp"
DEMO_LOGS = Path(__file__).resolve().parent.parent / "rsp" / "demo_logs" / "smollm2-135m@v1.0"
VERSION = "smollm2-135m@v1.0"
TARGETS = {"rsp --help": 0.3, "rsp gate": 0.6}
REGISTRY_FLOOR = "import registry libraries"


def commands(db: str) -> dict[str, tuple[list[str], set[int]]]:
    """Label -> (argv, the exit codes that count as a normal run)."""
    return {
        "python -c pass": ([sys.executable, "-c", "pass"], {0}),
        "python -c 'import typer'": ([sys.executable, "-c", "import typer"], {0}),
        REGISTRY_FLOOR: ([sys.executable, "-c", "import typer, yaml, sqlmodel, duckdb_engine"],
                         {0}),
        "rsp --help": ([str(RSP), "--help"], {0}),
        "rsp policy schema": ([str(RSP), "policy", "schema"], {0}),
        # a gate that fails is exit 1: still a whole, normal run of the command
        "rsp gate": ([str(RSP), "gate", VERSION, "--max-tier", "ASL-4", "--db", db], {0, 1}),
        "rsp tiers": ([str(RSP), "tiers", VERSION, "--db", db], {0}),
    }


def wall(argv: list[str], ok: set[int], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n"
                         f"{done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs per command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        db = f"duckdb:///{cwd / 'registry.duckdb'}"
        subprocess.run([str(RSP), "ingest", str(DEMO_LOGS), "--db", db], cwd=cwd, check=True,
                       capture_output=True)
        todo = commands(db)
        for argv, ok in todo.values():  # warm the page cache and the bytecode
            wall(argv, ok, cwd)
        times: dict[str, list[float]] = {label: [] for label in todo}
        for _ in range(args.runs):
            for label, (argv, ok) in todo.items():
                times[label].append(wall(argv, ok, cwd))
    median = {label: statistics.median(ts) for label, ts in times.items()}
    floor, typer_floor = median["python -c pass"], median["python -c 'import typer'"]
    libraries = median[REGISTRY_FLOOR]
    print(f"CLI start-up, median of {args.runs} runs each (subprocess wall time), "
          f"registry: {VERSION}, {len(list(DEMO_LOGS.glob('*.eval')))} runs")
    print(f"{'command':<26} {'seconds':>8} {'x python':>9} {'x typer':>8} {'x libs':>7}  target")
    for label, seconds in median.items():
        target = TARGETS.get(label)
        verdict = "" if target is None else (
            f"< {target:.1f} s {'ok' if seconds < target else 'MISSED'}")
        print(f"{label:<26} {seconds:8.3f} {seconds / floor:9.1f} {seconds / typer_floor:8.2f}"
              f" {seconds / libraries:7.2f}  {verdict}")
    print(f"(x libs: against `{REGISTRY_FLOOR}`: python -c 'import typer, yaml, sqlmodel, "
          "duckdb_engine', what a command reading the registry cannot do without)")


if __name__ == "__main__":
    main()
