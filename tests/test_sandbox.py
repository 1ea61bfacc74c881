"""The bubblewrap sandbox contains the model: every escape a test can think of fails.

Each attempt runs through the sandbox's own `exec` (as Inspect's bash and python tools do),
against the real bubblewrap; the host side of each attempt is checked from outside.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.common.bwrap_sandbox import WORKSPACE, BwrapSandboxEnvironment, bwrap_problem

pytestmark = pytest.mark.skipif(bwrap_problem() is not None,
                                reason=f"no bubblewrap here: {bwrap_problem()}")


def bash(box: BwrapSandboxEnvironment, command: str, timeout: int = 60):
    return asyncio.run(box.exec(["bash", "--login", "-c", command], timeout=timeout))


@pytest.fixture
def box() -> Iterator[BwrapSandboxEnvironment]:
    sandbox = BwrapSandboxEnvironment()
    yield sandbox
    sandbox.remove()


def test_commands_run_as_nobody_in_the_workspace_with_the_tasks_python(box):
    asyncio.run(box.write_file("notes/plan.txt", "step 1\n"))
    result = bash(box, "id -u; pwd; cat notes/plan.txt; python3 -c 'import numpy'; echo ok")
    assert result.stdout.split() == ["65534", str(WORKSPACE), "step", "1", "ok"], result.stderr
    assert asyncio.run(box.read_file("notes/plan.txt")) == "step 1\n"


def test_writing_outside_the_workspace_fails(box, tmp_path):
    outside = tmp_path / f"escape-{uuid.uuid4().hex}"
    result = bash(box, f"echo x > /etc/escape; echo x > /usr/escape; echo x > {outside}; "
                       "echo x > /tmp/scratch && echo tmp-is-private")
    assert "Read-only file system" in result.stderr
    assert not outside.exists() and not Path("/etc/escape").exists()
    assert "tmp-is-private" in result.stdout and not Path("/tmp/scratch").exists()
    for path in ("/etc/escape", "../escape", f"{WORKSPACE}/../escape"):
        with pytest.raises(PermissionError):
            asyncio.run(box.write_file(path, "x"))


def test_the_evaluators_files_and_other_samples_workspaces_are_out_of_reach(box):
    other = BwrapSandboxEnvironment()
    try:
        asyncio.run(other.write_file("flag.txt", "FLAG{other-sample}"))
        secret = Path.home() / f".rsp-sandbox-test-{uuid.uuid4().hex}"
        secret.write_text("evaluator secret")
        try:
            result = bash(box, f"cat {other.workspace / 'flag.txt'}; cat {secret}; "
                               f"ls {Path.cwd()}; ls /root; cat /etc/shadow; "
                               "grep -r FLAG /tmp /home 2>/dev/null; echo done")
        finally:
            secret.unlink()
    finally:
        other.remove()
    assert "FLAG{other-sample}" not in result.stdout
    assert "evaluator secret" not in result.stdout and "README.md" not in result.stdout
    assert result.stdout.strip().endswith("done")


def test_a_symlink_planted_by_the_model_is_not_followed(box):
    bash(box, f"ln -s /etc/passwd leak; ln -s {WORKSPACE}/../.. up")
    for planted in ("leak", "up/etc/passwd"):
        with pytest.raises(PermissionError, match="outside the sandbox's workspace"):
            asyncio.run(box.read_file(planted))


def test_no_connection_reaches_a_server_on_the_hosts_loopback(box):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True).start()
    result = bash(box, f"(exec 3<>/dev/tcp/127.0.0.1/{port}) && echo connected; "
                       "python3 -c \"import urllib.request as u; u.urlopen('http://example.com',"
                       " timeout=5)\" && echo online")
    server.close()
    assert "connected" not in result.stdout and "online" not in result.stdout
    assert accepted == []


def test_no_process_outlives_its_command(box):
    marker = f"rsp-sandbox-{uuid.uuid4().hex}"
    result = bash(box, f"nohup sleep 300 {marker} >/dev/null 2>&1 & "
                       f"setsid sleep 300 {marker} >/dev/null 2>&1 & echo started")
    assert "started" in result.stdout
    left = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
    assert left == ""


def test_memory_and_process_limits_hold(box):
    memory = bash(box, "python3 -c 'x = bytearray(4 * 1024**3)' && echo allocated")
    assert "allocated" not in memory.stdout and "MemoryError" in memory.stderr
    forks = bash(box, "for i in $(seq 400); do sleep 5 & done 2>&1 | head -1; wait; echo end",
                 timeout=120)
    assert "Resource temporarily unavailable" in forks.stdout + forks.stderr


def test_a_command_past_its_timeout_is_killed_with_its_children(box):
    marker = f"rsp-timeout-{uuid.uuid4().hex}"
    with pytest.raises(TimeoutError):
        bash(box, f"sleep 300 {marker} & sleep 300", timeout=2)
    assert subprocess.run(["pgrep", "-f", marker], capture_output=True).stdout == b""


def test_the_workspace_is_gone_after_the_sample():
    sandbox = BwrapSandboxEnvironment()
    asyncio.run(sandbox.write_file("a.txt", "x"))
    asyncio.run(BwrapSandboxEnvironment.sample_cleanup("t", None, {"default": sandbox}, False))
    assert not sandbox.root.exists()
    assert os.stat(Path(sandbox.root).parent).st_mode  # the parent (/tmp) is untouched


def test_without_docker_or_bubblewrap_an_agentic_run_exits_2_naming_the_package(
        monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from evals.common import agentic
    from rsp.cli import app

    monkeypatch.setattr(agentic, "docker_available", lambda: False)
    monkeypatch.setattr(agentic, "bwrap_problem",
                        lambda: "bubblewrap is not installed (Debian: apt-get install bubblewrap)")
    db = tmp_path / "r.duckdb"
    result = CliRunner().invoke(app, ["eval", "run", "--task", "cyber_ctf", "--model",
                                      "mockllm/model", "--db", str(db), "--log-dir",
                                      str(tmp_path / "logs")])
    assert result.exit_code == 2, result.output
    assert "apt-get install bubblewrap" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "logs").exists() and not db.exists()  # nothing ran, nothing stored


def test_inspect_itself_refuses_a_bwrap_task_where_bubblewrap_cannot_run(monkeypatch):
    """`inspect eval` straight, without rsp: the sandbox's task_init refuses before any
    sample, rather than running the model's commands anywhere else."""
    from evals.common import bwrap_sandbox

    monkeypatch.setattr(bwrap_sandbox, "bwrap_problem", lambda: "bubblewrap is not installed")
    with pytest.raises(bwrap_sandbox.SandboxUnavailable, match="bubblewrap is not installed"):
        asyncio.run(BwrapSandboxEnvironment.task_init("cyber_ctf", None))
