"""Agentic tasks: files planted in a sandbox, an agent with bash and python, an outcome check.

The sandbox is Inspect's docker sandbox where a Docker engine answers, else the bubblewrap
sandbox (`evals.common.bwrap_sandbox`): the model's commands never run as the evaluator on the
host. Where neither works, building the task fails with the package to install. Inspect's bare
local sandbox runs only when asked for by name (the CLI then warns). Every sample has message,
token and time limits, so a model that loops still ends.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inspect_ai import Epochs, Task
from inspect_ai.agent import Agent, AgentContinue, AgentState, as_solver, react
from inspect_ai.dataset import Dataset
from inspect_ai.model import ChatMessageAssistant, GenerateConfig
from inspect_ai.scorer import Scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.tool import Tool, bash, python
from inspect_ai.util import sandbox

from evals.common.bwrap_sandbox import bwrap_problem
from task_contract import HEADLINE_METRIC_KEY

Files = dict[str, str | bytes]
TOOL_TIMEOUT_S = 60
IDLE_TURNS = 2  # replies in a row without a tool call (the second after a nudge) that stop it


@dataclass(frozen=True)
class Limits:
    """Per-sample limits that end an agent that loops. Room for about 25 tool calls: the
    default policy counts a run as evidence only with a message limit of at least 50, and the
    token limit must not cut the conversation shorter (each call resends its history)."""

    messages: int = 50
    tokens: int = 150_000
    seconds: int = 600


def docker_available() -> bool:
    """True when a Docker engine answers (the client alone is not enough)."""
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def default_sandbox() -> str:
    """Docker where an engine answers, else bubblewrap; never the bare host by default."""
    return "docker" if docker_available() else "bwrap"


def sandbox_problem(task: Task) -> str | None:
    """Why `task` cannot run in its sandbox here, with the fix; None when it can (or when
    Docker or Inspect decide that themselves)."""
    if task.sandbox is None or task.sandbox.type != "bwrap":
        return None
    problem = bwrap_problem()
    return None if problem is None else (
        f"No sandbox for {task.name}: no Docker engine answers, and {problem}. Fix: install "
        "bubblewrap (Debian: apt-get install bubblewrap) or start Docker; to run the model's "
        "commands on this host as yourself anyway, pass -T sandbox=local.")


def uses_local_sandbox(task: Task) -> bool:
    return task.sandbox is not None and task.sandbox.type == "local"


async def write_files(files: Files) -> None:
    """Write files (text or bytes) into the current sample's sandbox, creating folders."""
    box = sandbox()
    for path, content in files.items():
        parent = str(Path(path).parent)
        if parent != ".":
            await box.exec(["mkdir", "-p", parent])
        await box.write_file(path, content)


def agent_environment() -> None:
    """Put this interpreter's folder first on PATH, so the agent's `python3` has what the
    tasks need (numpy) in the local sandbox."""
    bin_dir = str(Path(sys.executable).parent)
    if not os.environ.get("PATH", "").startswith(bin_dir):
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


@solver
def plant(prepare: Callable[[TaskState], Files]) -> Solver:
    """Write the sample's files into the sandbox before the agent starts."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        agent_environment()
        await write_files(prepare(state))
        return state

    return solve


def stop_when_idle(turns: int) -> AgentContinue:
    """Continue the agent (urging it to use its tools) until its last `turns` replies in a row
    called no tool. A model that only talks, as the bundled ones do, then costs a few turns
    instead of the whole time limit; one that pauses to think and then acts again is never
    stopped, since any tool call starts the count afresh."""

    async def keep_going(state: AgentState) -> bool:
        idle = 0
        for message in reversed(state.messages):
            if isinstance(message, ChatMessageAssistant):
                if message.tool_calls:
                    break
                idle += 1
        return idle < turns

    return keep_going


def sandbox_tools() -> list[Tool]:
    """The agent's tools: bash and python, run in the sample's sandbox."""
    return [bash(timeout=TOOL_TIMEOUT_S), python(timeout=TOOL_TIMEOUT_S)]


def react_agent(instructions: str, tools: list[Tool] | None = None) -> Agent:
    """Inspect's ReAct agent with `tools` (default: `sandbox_tools`) and a submit tool; it
    stops after IDLE_TURNS replies in a row without a tool call."""
    return react(prompt=instructions, tools=sandbox_tools() if tools is None else tools,
                 on_continue=stop_when_idle(IDLE_TURNS))


def agent(instructions: str) -> Solver:
    """`react_agent` as the solver of a task."""
    return as_solver(react_agent(instructions))


def agentic_task(*, dataset: Dataset, prepare: Callable[[TaskState], Files], scorer: Scorer,
                 instructions: str, version: str, epochs: int,
                 sandbox_type: str | None, limits: Limits = Limits()) -> Task:
    """An agentic task; `epochs` tries per sample, reduced to "solved at least once"."""
    return Task(
        dataset=dataset,
        solver=[plant(prepare), agent(instructions)],
        scorer=scorer,
        epochs=Epochs(epochs, "max"),
        sandbox=sandbox_type or default_sandbox(),
        message_limit=limits.messages,
        token_limit=limits.tokens,
        time_limit=limits.seconds,
        config=GenerateConfig(temperature=0.0 if epochs == 1 else 0.7, max_tokens=384),
        version=version,
        metadata={HEADLINE_METRIC_KEY: "accuracy", "epochs": epochs,
                  "reducer": "max (solved in at least one of the epochs)"},
    )


def b64_write_command(path: str, content: str | bytes) -> str:
    """A bash command that writes `content` to `path` exactly (for scripted solutions)."""
    data = content.encode() if isinstance(content, str) else content
    encoded = base64.b64encode(data).decode()
    return f"mkdir -p \"$(dirname '{path}')\" && echo {encoded} | base64 -d > '{path}'"
