"""The demo's shipped logs: real runs of this package's tasks at their current versions, small
enough to ship, and ingested by `rsp demo` into a registry with something to show."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
from inspect_ai.log import EvalLog, read_eval_log

from evals.suites import TASKS
from rsp.demo import DEMO_TASKS, RELEASES, SHIPPED_LOGS, shipped_logs
from task_contract import MODEL_LINE_KEY, MODEL_VERSION_KEY

RSP = Path(sys.executable).parent / "rsp"
MAX_BYTES = 8 * 1024 * 1024  # "a few MB": the demo ships inside the package


@pytest.fixture(scope="module")
def logs() -> dict[Path, EvalLog]:
    return {path: read_eval_log(str(path)) for path in shipped_logs()}


def test_every_release_ran_every_demo_task(logs):
    ran = {(log.eval.metadata[MODEL_LINE_KEY], log.eval.metadata[MODEL_VERSION_KEY],
            log.eval.task) for log in logs.values() if log.eval.metadata}
    wanted = {(line, label, f"evals/{task}") for _, line, label, *_ in RELEASES
              for task in DEMO_TASKS}
    assert ran == wanted and len(logs) == len(wanted)
    assert all(log.status == "success" for log in logs.values())
    assert sum(p.stat().st_size for p in logs) <= MAX_BYTES


def test_each_log_comes_from_this_package_at_the_current_task_version(logs):
    """A changed task must not silently keep stale demo data: its version, or the items it
    asks, would no longer match, and this fails until `rsp demo --record` reruns it."""
    stale = []
    for path, log in logs.items():
        name = log.eval.task.removeprefix("evals/")
        task = TASKS[name]()
        current = {s.id: s for s in task.dataset}
        where = path.relative_to(SHIPPED_LOGS)
        if str(log.eval.task_version) != str(task.version):
            stale.append(f"{where}: task version {log.eval.task_version}, now {task.version}")
        if (log.eval.packages or {}).get("rsp-registry") != installed_version("rsp-registry"):
            stale.append(f"{where}: recorded by rsp-registry {log.eval.packages}")
        for sample in log.samples or []:
            now = current.get(sample.id)
            if now is None or (now.input, now.target) != (sample.input, sample.target):
                stale.append(f"{where}: sample {sample.id} is not the task's item any more")
    assert not stale, "re-record with `rsp demo --record`:\n" + "\n".join(stale[:20])


def test_rsp_demo_ingests_the_shipped_runs_and_says_where_they_came_from(tmp_path):
    db = f"duckdb:///{tmp_path / 'demo.duckdb'}"
    result = subprocess.run([str(RSP), "demo", "--db", db], capture_output=True, text=True,
                            timeout=300, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert f"{len(RELEASES) * len(DEMO_TASKS)} ingested" in result.stdout
    assert "recorded by `rsp demo --record`" in result.stdout
    tiers = subprocess.run([str(RSP), "tiers", "--db", db, "--json"], capture_output=True,
                           text=True, timeout=120)
    assert {"smollm2-135m@v1.2", "gemma3-270m@v1.0"} <= {
        f"{row['model']}@{row['version']}" for row in json.loads(tiers.stdout)}
    again = subprocess.run([str(RSP), "demo", "--db", db], capture_output=True, text=True,
                           timeout=300, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert again.returncode == 0  # idempotent: nothing stored twice
    assert f"{len(RELEASES) * len(DEMO_TASKS)} skipped" in again.stdout


def test_rsp_demo_without_logs_names_the_fix(tmp_path):
    result = subprocess.run([str(RSP), "demo", "--log-dir", str(tmp_path), "--db",
                             f"duckdb:///{tmp_path / 'x.duckdb'}"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert "rsp demo --record" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.duckdb").exists()
