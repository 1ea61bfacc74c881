"""Dashboard render times on a large registry, in headless Chromium.

Builds a DuckDB registry of 200 model versions x 20 tasks x 300 samples (1.2 million sample
rows, each pointing at a sample of one real Inspect log, so the transcript viewer reads a real
file), serves it with `rsp dashboard`, loads every page several times in Debian's Chromium and
prints p50 / p95 render times per page, each p95 as a multiple of the floor's (target: at most
1.3x, cold and warm), and the server's peak memory.

Two browsers are measured: "cold" opens every page in a fresh profile (nothing cached: the
worst case), "warm" keeps one profile, as a reviewer's browser would, so Streamlit's static
assets come from its cache. The "floor" row is an empty Streamlit page served the same way in
the same run: what any Streamlit page costs here before our own work.

    .venv/bin/python bench/dashboard_bench.py [--loads 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
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
from ingest_bench import generate_logs
from playwright.sync_api import Browser, sync_playwright

from registry.db import init_schema, make_engine
from registry.ingest import SAMPLE_SCHEMA
from registry.policy import load_policy

LINES, VERSIONS_PER_LINE, TASKS, SAMPLES = 10, 20, 20, 300
PAGES = {"overview": "What changed", "trends": "Model line", "runs": "Transcript of sample",
         "compare": "Paired per sample", "policy": "Indicators and thresholds",
         "signoff": "Release candidate"}
FLOOR = {"": "An empty page"}
TARGET = 1.3  # a page's p95 over the floor's p95 in the same run and browser (issue 21)
FLOOR_APP = """import streamlit as st
st.set_page_config(page_title="floor", layout="wide")
st.navigation([st.Page(lambda: st.title("An empty page"), title="Floor", default=True)]).run()
"""
# the script has finished and no element still waits for its code (a grey placeholder)
PAINTED = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"], "
           "[data-testid=\"stSkeleton\"], [data-testid=\"stAppSkeleton\"]')")
STREAMLIT_FLAGS = ["--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def task_metrics() -> list[tuple[str, str]]:
    """20 (task, metric) pairs: every policy task's indicator metric, then generic tasks."""
    pairs = list(dict.fromkeys((i.task, i.metric) for _, i in load_policy().indicators()))
    pairs += [(f"lab_task_{k:02d}", "accuracy") for k in range(TASKS - len(pairs))]
    return pairs[:TASKS]


def build(path: Path, log: Path) -> None:
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
        "INSERT INTO eval_run (id, eval_id, revision, log_sha256, model_version_id, model, "
        "task, task_version, sample_ids_sha256, status, started_at, completed_at, "
        "inspect_version, epochs, total_samples, completed_samples, error_samples, "
        "log_location, ingested_at, ingested_by, metadata_json) VALUES (?, ?, 1, 'x', ?, "
        "'bench', ?, '1', 'x', 'success', ?, ?, "
        f"'bench', 1, {SAMPLES}, {SAMPLES}, 0, ?, ?, 'bench', '{{}}')",
        [(r[0], r[0], r[1], r[2], r[3], r[3], str(log), now) for r in runs])
    con.executemany("INSERT INTO score (id, run_id, scorer, metric, value, stderr, n) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?)", [s for s in scores])
    for start in range(0, len(runs), 400):  # 120,000 sample rows per batch, through Arrow
        chunk = runs[start:start + 400]
        rows: dict[str, list] = {name: [] for name in SAMPLE_SCHEMA.names}
        for rid, *_ in chunk:
            for i in range(SAMPLES):
                value = float(rng.random() < 0.4)
                for name, item in (("id", f"{rid}/{i}/1"), ("run_id", rid),
                                   ("sample_id", f"q{i:05d}"), ("epoch", 1),
                                   ("score_value", value), ("scores_json", "{}"),
                                   ("answer", "A"), ("target", "B"), ("error", None),
                                   ("input_tokens", 80), ("output_tokens", 4),
                                   ("total_tokens", 84), ("log_location", str(log))):
                    rows[name].append(item)
        batch = pa.Table.from_pydict(rows, schema=SAMPLE_SCHEMA)
        con.register("batch", batch)
        con.execute(f"INSERT INTO sample ({', '.join(SAMPLE_SCHEMA.names)}) "
                    f"SELECT {', '.join(SAMPLE_SCHEMA.names)} FROM batch")
        con.unregister("batch")
    con.close()


def serve(command: list[str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def measure(browser: Browser, port: int, pages: dict[str, str], loads: int,
            cold: bool) -> dict[str, list[float]]:
    """Seconds from navigation until each page's marker is shown, the script has finished and
    every element is drawn (no placeholder left);
    `cold` opens every load in a fresh browser profile, otherwise one profile serves all."""
    times: dict[str, list[float]] = {p: [] for p in pages}
    shared = None if cold else browser.new_context(viewport={"width": 1400, "height": 1000})
    for _ in range(loads):
        for path, marker in pages.items():
            context = shared or browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/{'' if path == 'overview' else path}")
            page.get_by_text(marker, exact=False).first.wait_for(state="attached",
                                                                 timeout=60_000)
            page.wait_for_function(PAINTED, timeout=60_000)
            times[path].append(time.perf_counter() - start)
            page.close()
            if context is not shared:
                context.close()
    return times


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return (statistics.median(values),
            ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--keep", type=Path, default=None, help="keep the registry here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    db, logs = folder / "bench.duckdb", folder / "logs"
    if not db.exists():
        start = time.perf_counter()
        shutil.rmtree(logs, ignore_errors=True)
        generate_logs(logs, 1, SAMPLES)
        build(db, next(logs.glob("*.eval")))
        print(f"built {db} ({db.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.0f}"
              " s")
    with duckdb.connect(str(db), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                  for t in ("model_version", "eval_run", "sample")}
    print(f"registry: {counts['model_version']} versions, {counts['eval_run']} runs, "
          f"{counts['sample']:,} sample rows")
    floor_app = folder / "floor_app.py"
    floor_app.write_text(FLOOR_APP)
    rsp = Path(sys.executable).parent / "rsp"
    started = time.perf_counter()
    server = serve([str(rsp), "dashboard", "--db", f"duckdb:///{db}", "--port", str(args.port)],
                   args.port)
    startup = time.perf_counter() - started
    floor = serve([sys.executable, "-m", "streamlit", "run", str(floor_app), "--server.port",
                   str(args.port + 1), *STREAMLIT_FLAGS], args.port + 1)
    stop, peak = threading.Event(), [0]
    watcher = threading.Thread(target=peak_rss, args=(psutil.Process(server.pid), stop, peak))
    watcher.start()
    times: dict[str, dict[str, list[float]]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for mode in ("cold", "warm"):  # cold first: its first load is the server's first
                times[mode] = measure(browser, args.port, PAGES, args.loads, mode == "cold")
                times[mode] |= {"floor": measure(browser, args.port + 1, FLOOR, args.loads,
                                                 mode == "cold")[""]}
            browser.close()
    finally:
        stop.set()
        watcher.join()
        for process in (server, floor):
            process.terminate()
            process.wait(timeout=20)
    floors = {mode: percentiles(times[mode]["floor"])[1] for mode in ("cold", "warm")}
    print(f"{'':<10} {'cold browser':>31}   {'warm browser':>23}   (seconds, {args.loads} loads;"
          f" x floor: p95 / the floor's p95, target {TARGET}x)")
    print(f"{'page':<10} {'first':>7} {'p50':>7} {'p95':>7} {'x floor':>7}   {'p50':>7} "
          f"{'p95':>7} {'x floor':>7}")
    for page in [*PAGES, "floor"]:
        row = f"{page:<10} {times['cold'][page][0]:7.2f}"
        for mode in ("cold", "warm"):
            p50, p95 = percentiles(times[mode][page])
            ratio = p95 / floors[mode]
            row += (f" {p50:7.2f} {p95:7.2f} {ratio:6.2f}{'!' if ratio > TARGET else ' '}"
                    + ("  " if mode == "cold" else ""))
        print(row)
    print(f"! over the target: a page's p95 at most {TARGET}x the floor's, cold and warm")
    print(f"dashboard server: up in {startup:.1f} s, peak RSS {peak[0] / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
