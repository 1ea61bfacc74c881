"""`rsp eval run`: resolve suites and model, run them through Inspect's eval_set, ingest."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from registry.errors import RspError
from registry.ingest import LogResult, VersionInfo, ingest
from rsp.llama_server import BUNDLED, DEFAULT_MODEL, PROVIDER, LlamaServer
from task_contract import (
    EFFECTIVE_COMPUTE_KEY,
    MODEL_LINE_KEY,
    MODEL_VERSION_KEY,
    NEEDS_GRADER_KEY,
    RELEASE_DATE_KEY,
)

DEFAULT_VERSION_LABEL = "default"


class RunError(RspError, RuntimeError):
    """A run that cannot start; the message names the input and the fix."""


@dataclass(frozen=True)
class EvalRequest:
    model: str | None = None
    suites: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    limit: int | None = None
    dataset: str | None = None
    task_args: dict[str, Any] = field(default_factory=dict)
    line: str | None = None
    label: str | None = None
    effective_compute: float | None = None
    release_date: str | None = None
    system_message: str | None = None
    log_dir: Path = Path("logs")
    # Inspect model roles: `grader` for model-graded tasks, `attacker` for generated attacks
    roles: dict[str, str] = field(default_factory=dict)

    @property
    def model_name(self) -> str:
        return self.model or DEFAULT_MODEL

    @property
    def version(self) -> VersionInfo:
        return VersionInfo(line=self.line or self.model_name,
                           label=self.label or DEFAULT_VERSION_LABEL,
                           effective_compute=self.effective_compute,
                           release_date=self.release_date)


LOCAL_SANDBOX_WARNING = (
    "No Docker engine answers here, so the agentic tasks ({names}) run in Inspect's local "
    "sandbox: the model's bash and python commands execute on this host, each sample in a "
    "fresh temporary directory. Run them on a machine you can afford to lose, or where "
    "Docker works for isolation."
)


def run_evals(request: EvalRequest, db_url: str | None,
              warn: Callable[[str], None] = print) -> tuple[str, list[LogResult]]:
    """Run the requested tasks and ingest their logs; returns the version id and ingest results."""
    LlamaServer.start_soon(request.model_name)  # loads while the tasks are imported and built
    from inspect_ai import eval_set

    from evals.common.agentic import sandbox_problem, uses_local_sandbox
    from evals.suites import DEFAULT_SUITES, TASKS, UnknownSuite, resolve_tasks

    suites = request.suites or ([] if request.tasks else DEFAULT_SUITES)
    try:
        names = resolve_tasks(suites, request.tasks)
    except UnknownSuite as exc:
        raise RunError(str(exc)) from None
    _check_release_date(request.release_date)
    tasks = _build_tasks(names, request.dataset, request.task_args, TASKS)
    problems = [p for t in tasks if (p := sandbox_problem(t)) is not None]
    if problems:
        raise RunError(problems[0])
    ungraded = [t.name for t in tasks if (t.metadata or {}).get(NEEDS_GRADER_KEY)
                and "grader" not in request.roles]
    if ungraded:
        raise RunError(f"{', '.join(ungraded)} is judged by a grader model, which is never "
                       "silently the model under test. Fix: add --grader MODEL (any Inspect "
                       f"model; offline: {', '.join(f'{PROVIDER}/{b}' for b in BUNDLED)}).")
    local = [t.name for t in tasks if uses_local_sandbox(t)]
    if local:
        warn(LOCAL_SANDBOX_WARNING.format(names=", ".join(local)))
    for model_name in (request.model_name, *request.roles.values()):
        _check_model(model_name)
    info = request.version
    version_id = f"{info.line}@{info.label}"
    metadata = {MODEL_LINE_KEY: info.line, MODEL_VERSION_KEY: info.label,
                EFFECTIVE_COMPUTE_KEY: info.effective_compute,
                RELEASE_DATE_KEY: info.release_date}
    log_dir = request.log_dir / _slug(version_id)
    bundled = request.model_name.startswith(f"{PROVIDER}/")
    _, logs = eval_set(
        tasks, log_dir=str(log_dir), model=request.model_name,
        limit=request.limit, metadata={k: v for k, v in metadata.items() if v is not None},
        log_dir_allow_dirty=True, retry_attempts=2,
        # One llama-server slot: samples (and tasks) in turn keep each conversation's prefix
        # in its KV cache; interleaving them costs about 2x.
        max_samples=1 if bundled else None,
        max_tasks=1 if bundled else None,
        system_message=request.system_message,
        model_roles=dict(request.roles) or None,
    )
    return version_id, ingest([log.location for log in logs], db_url, info)


def _build_tasks(names: list[str], dataset: str | None, task_args: dict[str, Any],
                 registry: dict) -> list:
    """Instantiate the tasks; a --dataset goes to the single task it was given for, and
    -T arguments to every task that accepts them."""
    if dataset is not None and len(names) != 1:
        raise RunError("--dataset applies to one task. Fix: pass it with a single --task, e.g. "
                       "`rsp eval run --task mwe --dataset FILE.jsonl`.")
    if dataset is None and "mwe" in names:
        raise RunError("The mwe task loads your own file. Fix: add --dataset FILE.jsonl "
                       "(model-written-evals format).")
    tasks = []
    for name in names:
        accepted = inspect.signature(registry[name]).parameters
        unknown = [k for k in task_args if k not in accepted]
        if unknown and len(names) == 1:
            raise RunError(f"Task {name} takes no argument {', '.join(unknown)}. Fix: use one "
                           f"of {', '.join(accepted) or '(none)'}.")
        kwargs = {k: v for k, v in task_args.items() if k in accepted}
        if dataset:
            kwargs["dataset"] = dataset
        try:
            tasks.append(registry[name](**kwargs))
        except (OSError, ValueError, TypeError) as exc:
            raise RunError(f"Cannot build task {name}: {exc}") from None
    return tasks


def _check_model(model: str) -> None:
    """Resolve the model now, so a bad name fails before any work, with a fix."""
    from inspect_ai.model import get_model

    try:
        get_model(model)
    except RspError as exc:  # already names its own fix (e.g. a bundled model's missing server)
        raise RunError(f"The model '{model}' cannot be used: {exc}") from None
    except Exception as exc:
        bundled = ", ".join(f"{PROVIDER}/{name}" for name in BUNDLED)
        raise RunError(
            f"The model '{model}' cannot be used: {exc}. Fix: pass an Inspect model string "
            f"whose provider is installed and configured (e.g. openai/gpt-4o-mini with "
            f"OPENAI_API_KEY set), or a bundled offline model: {bundled}."
        ) from None


def _check_release_date(value: str | None) -> None:
    if value is None:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        raise RunError(f"--release-date '{value}' is not a date. Fix: use YYYY-MM-DD.") from None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@-]+", "_", text)
