"""Dashboard render times on a large registry, in headless Chromium.

Builds a DuckDB registry of 200 model versions x 20 tasks x 300 samples (1.2 million sample
rows), serves it with `rsp dashboard`, loads every page several times in Debian's Chromium and
prints p50 / p95 render times per page (target: p95 under 2 s) and the server's peak memory.

    .venv/bin/python bench/dashboard_bench.py [--loads 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import psutil
import pyarrow as pa
from playwright.sync_api import sync_playwright

from registry.db import init_schema, make_engine
from registry.ingest import SAMPLE_SCHEMA
from registry.policy import load_policy

LINES, VERSIONS_PER_LINE, TASKS, SAMPLES = 10, 20, 20, 300
PAGES = {"overview": "What changed", "trends": "Model line", "runs": "Transcript of sample",
         "compare": "Paired per sample", "policy": "Indicators and thresholds",
         "signoff": "Release candidate"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def task_metrics() -> list[tuple[str, str]]:
    """20 (task, metric) pairs: every policy task's indicator metric, then generic tasks."""
    pairs = list(dict.fromkeys((i.task, i.metric) for _, i in load_policy().indicators()))
    pairs += [(f"lab_task_{k:02d}", "accuracy") for k in range(TASKS - len(pairs))]
    return pairs[:TASKS]


def build(path: Path) -> None:
    rng = random.Random(0)
    engine = make_engine(f"duckdb:///{path}")
    init_schema(engine)
    engine.dispose()
    now = datetime.now(UTC)
    versions, runs, scores = [], [], []
    pairs = task_metrics()
    for line in range(LINES):
        for k in range(VERSIONS_PER_LINE):
            vid = f"line-{line:02d}@v{k:02d}"
            versions.append((vid, f"line-{line:02d}", f"v{k:02d}", f"bench/line-{line:02d}",
                             1e21 * 1.3 ** k, date(2025, 1, 1) + timedelta(days=20 * k),
                             now - timedelta(days=400 - 20 * k + line)))
            for t, (task, metric) in enumerate(pairs):
                rid = f"run-{line:02d}-{k:02d}-{t:02d}"
                runs.append((rid, vid, task, now - timedelta(days=5)))
                value = min(0.98, max(0.01, 0.05 + 0.03 * k + rng.gauss(0, 0.03)))
                scores.append((f"{rid}/s/{metric}", rid, "s", metric, value, 0.02, SAMPLES))
    con = duckdb.connect(str(path))
    con.executemany("INSERT INTO model_line (name, provider, description, created_at) VALUES "
                    "(?, 'bench', '', ?)", sorted({(v[1], now) for v in versions}))
    con.executemany("INSERT INTO model_version (id, model_line, label, provider_model, "
                    "effective_compute, release_date, generation_config, created_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, '{}', ?)", versions)
    con.executemany(
        "INSERT INTO eval_run (id, log_sha256, model_version_id, model, task, task_version, "
        "sample_ids_sha256, status, started_at, completed_at, inspect_version, epochs, "
        "total_samples, completed_samples, error_samples, log_location, ingested_at, "
        "ingested_by, metadata_json) VALUES (?, 'x', ?, 'bench', ?, '1', 'x', 'success', ?, ?, "
        f"'bench', 1, {SAMPLES}, {SAMPLES}, 0, '/nonexistent.eval', ?, 'bench', '{{}}')",
        [(r[0], r[1], r[2], r[3], r[3], now) for r in runs])
    con.executemany("INSERT INTO score (id, run_id, scorer, metric, value, stderr, n) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?)", [s for s in scores])
    for start in range(0, len(runs), 400):  # 120,000 sample rows per batch, through Arrow
        chunk = runs[start:start + 400]
        rows = {name: [] for name in SAMPLE_SCHEMA.names}
        for rid, *_ in chunk:
            for i in range(SAMPLES):
                value = float(rng.random() < 0.4)
                for name, item in (("id", f"{rid}/{i}/1"), ("run_id", rid),
                                   ("sample_id", f"item-{i:03d}"), ("epoch", 1),
                                   ("score_value", value), ("scores_json", "{}"),
                                   ("answer", "A"), ("target", "B"), ("error", None),
                                   ("input_tokens", 80), ("output_tokens", 4),
                                   ("total_tokens", 84), ("log_location", "/nonexistent.eval")):
                    rows[name].append(item)
        batch = pa.Table.from_pydict(rows, schema=SAMPLE_SCHEMA)
        con.register("batch", batch)
        con.execute(f"INSERT INTO sample ({', '.join(SAMPLE_SCHEMA.names)}) "
                    f"SELECT {', '.join(SAMPLE_SCHEMA.names)} FROM batch")
        con.unregister("batch")
    con.close()


def serve(db: Path, port: int) -> subprocess.Popen:
    rsp = Path(sys.executable).parent / "rsp"
    server = subprocess.Popen([str(rsp), "dashboard", "--db", f"duckdb:///{db}", "--port",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("dashboard did not start")


def peak_rss(process: psutil.Process, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        try:
            rss = process.memory_info().rss + sum(c.memory_info().rss
                                                  for c in process.children(recursive=True))
            peak[0] = max(peak[0], rss)
        except psutil.Error:
            pass
        time.sleep(0.1)


def measure(port: int, loads: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {p: [] for p in PAGES}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(loads):
            for path, marker in PAGES.items():
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{'' if path == 'overview' else path}")
                page.get_by_text(marker, exact=False).first.wait_for(state="attached",
                                                                     timeout=60_000)
                page.wait_for_function("() => !document.querySelector("
                                       "'[data-testid=\"stStatusWidget\"]')", timeout=60_000)
                times[path].append(time.perf_counter() - start)
                page.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--keep", type=Path, default=None, help="keep the registry here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.duckdb"
    if not db.exists():
        start = time.perf_counter()
        build(db)
        print(f"built {db} ({db.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.0f}"
              " s")
    with duckdb.connect(str(db), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("model_version", "eval_run", "sample")}
    print(f"registry: {counts['model_version']} versions, {counts['eval_run']} runs, "
          f"{counts['sample']:,} sample rows")
    server = serve(db, args.port)
    stop, peak = threading.Event(), [0]
    watcher = threading.Thread(target=peak_rss, args=(psutil.Process(server.pid), stop, peak))
    watcher.start()
    try:
        times = measure(args.port, args.loads)
    finally:
        stop.set()
        watcher.join()
        server.terminate()
        server.wait(timeout=20)
    print(f"{'page':<10} {'first':>7} {'p50':>7} {'p95':>7}  (seconds, {args.loads} loads)")
    for page, values in times.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"{page:<10} {values[0]:7.2f} {statistics.median(values):7.2f} {p95:7.2f}")
    print(f"dashboard server peak RSS: {peak[0] / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
