"""Finding and reading Inspect logs, locally or on any fsspec filesystem (S3 included).

Everything is validated with Inspect's own models. Sample summaries are streamed: Inspect's
reader `json.load`s a log's whole `summaries.json`, which for 200,000 samples costs gigabytes.
So for `.eval` logs `summaries.json` is parsed a summary at a time (`json_stream`), and each
is validated with Inspect's `EvalSampleSummary` model exactly as Inspect validates it; logs
without consolidated summaries (`.json` logs) go through Inspect's reader.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import fsspec
from inspect_ai._util.constants import get_deserializing_context  # Inspect's own read context
from inspect_ai.log import (
    EvalConfig,
    EvalLog,
    EvalPlan,
    EvalPlanStep,
    EvalSampleSummary,
    list_eval_logs,
    read_eval_log,
    read_eval_log_sample_summaries,
)
from inspect_ai.model import GenerateConfig

from registry.elicitation import Elicitation
from registry.json_stream import json_array_items
from task_contract import CONSTITUTION_KEY, CONSTITUTION_VERSION_KEY, POSITION_DEPENDENT_KEY

LOG_SUFFIXES = (".eval", ".json")
# bookkeeping Inspect writes beside its logs (log listings, eval_set state): not logs
NOT_LOGS = {"logs.json", "eval-set.json"}
SUMMARIES_MEMBER = "summaries.json"
HEADER_MEMBER = "header.json"
# Plan-step parameters that hold a system prompt, and the solvers whose parameter they are.
SYSTEM_PROMPT_SOLVERS = {"prompt": {"react"}, "template": {"system_message"}}


def is_remote(location: str) -> bool:
    return "://" in location and not location.startswith("file://")


def discover_logs(paths: Iterable[str | Path]) -> tuple[list[str], list[str]]:
    """Expand files, directories and remote prefixes (s3://...) into log locations.

    Returns (logs, missing): local paths are resolved to absolute paths.
    """
    found: list[str] = []
    missing: list[str] = []
    for raw in paths:
        location = str(raw)
        if is_remote(location):
            found.extend(_remote_logs(location))
            continue
        path = Path(location)
        if path.is_dir():
            found.extend(str(p.resolve()) for p in sorted(path.rglob("*"))
                         if p.suffix in LOG_SUFFIXES and p.is_file()
                         and not p.name.startswith(".") and p.name not in NOT_LOGS)
        elif path.is_file():
            found.append(str(path.resolve()))
        else:
            missing.append(location)
    return found, missing


def _remote_logs(location: str) -> list[str]:
    if location.endswith(LOG_SUFFIXES):
        return [location]
    return [info.name for info in list_eval_logs(location, recursive=True)]


def open_binary(location: str) -> IO[bytes]:
    return fsspec.open(location, "rb").open() if is_remote(location) else open(location, "rb")


def file_sha256(location: str) -> str:
    digest = hashlib.sha256()
    with open_binary(location) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def log_archive(location: str) -> Iterator[zipfile.ZipFile | None]:
    """A .eval log's zip archive, open for as many reads as the caller makes, so that its
    directory (a member per sample) is read once per log, not once per read. None for any
    other log: a .json log has no archive."""
    if not location.endswith(".eval"):
        yield None
        return
    with open_binary(location) as raw, zipfile.ZipFile(raw) as archive:
        yield archive


def read_header(location: str, archive: zipfile.ZipFile | None = None) -> EvalLog:
    """The log without its samples: spec, results, stats. `archive` is the log's, if open.

    A finished .eval log's header member is validated with Inspect's EvalLog model directly:
    the same result as Inspect's header-only read, without its per-call async set-up (which
    costs more than parsing a 500-sample log's summaries).
    """
    if archive is None and location.endswith(".eval"):
        with log_archive(location) as opened:
            return read_header(location, opened)
    if archive is not None:
        _check_member_names(archive)
        if HEADER_MEMBER in archive.namelist():
            return EvalLog.model_validate(json.loads(archive.read(HEADER_MEMBER)),
                                          context=get_deserializing_context())
    return read_eval_log(location, header_only=True)


def _check_member_names(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose directory names a member in bytes that are not UTF-8.

    Inspect's own zip reader decodes every member name as UTF-8 (Python's zipfile falls back
    to cp437), so such a log, e.g. one with a bit flipped in a sample's name, cannot be opened
    by Inspect even though its header and summaries read here: it is damaged, not a log.
    """
    for info in archive.infolist():
        # already decoded as UTF-8 by zipfile; or ASCII, which cp437 and UTF-8 read alike
        if info.flag_bits & 0x800 or info.filename.isascii():
            continue
        try:
            info.filename.encode("cp437").decode("utf-8")
        except UnicodeError:
            raise ValueError(f"the zip directory names a member {info.filename!r} in bytes "
                             "that are not UTF-8") from None


def iter_summaries(location: str, archive: zipfile.ZipFile | None = None
                   ) -> Iterator[EvalSampleSummary]:
    """Every sample summary of a log, one at a time. `archive` is the log's, if open."""
    if archive is None and location.endswith(".eval"):
        with log_archive(location) as opened:
            yield from iter_summaries(location, opened)
        return
    if archive is not None and SUMMARIES_MEMBER in archive.namelist():
        context = get_deserializing_context()
        with archive.open(SUMMARIES_MEMBER) as member:
            for item in json_array_items(member):
                yield EvalSampleSummary.model_validate(item, context=context)
        return
    # an in-progress .eval (journal only) or a .json log: Inspect's reader handles both
    yield from read_eval_log_sample_summaries(location)


def elicitation_of(log: EvalLog) -> Elicitation:
    """How the run was elicited, from its header alone, so that any Inspect log carries it."""
    spec = log.eval
    role = (spec.model_roles or {}).get("grader")
    graders = [m.model for m in (role if isinstance(role, list) else [role] if role else [])]
    return elicitation_from(spec.config, log.plan, spec.model_generate_config, graders,
                            tuple(s.name for s in spec.scorers) if spec.scorers is not None
                            else None, spec.model, spec.metadata or {})


def elicitation_from(config: EvalConfig, plan: EvalPlan | None, eval_generate: GenerateConfig,
                     graders: list[str], scorers: tuple[str, ...] | None,
                     model: str | None = None, metadata: dict | None = None) -> Elicitation:
    """Elicitation from a log header's parts: epochs and reducer and limits (`config`), the
    plan's solver steps, the tools they declare and its system prompt, generation settings
    (the eval's own over the task's), the grader role's models, the scorers, and the
    constitution a model-graded task names in its `metadata`."""
    steps = plan.steps if plan else []
    generation = {**(plan.config.model_dump(exclude_none=True) if plan else {}),
                  **eval_generate.model_dump(exclude_none=True)}
    return Elicitation(
        epochs=config.epochs,
        reducer=" + ".join(config.epochs_reducer) if config.epochs_reducer else None,
        tools=_declared_tools(steps), solver=" > ".join(s.solver for s in steps) or None,
        message_limit=config.message_limit, token_limit=config.token_limit,
        time_limit=config.time_limit, temperature=generation.get("temperature"),
        max_tokens=generation.get("max_tokens"),
        reasoning_effort=generation.get("reasoning_effort"),
        system_prompt_sha256=_system_prompt_sha256(steps, generation),
        grader=", ".join(graders) or None, scorers=scorers, model=model,
        constitution=_constitution(metadata or {}),
        position_dependent=(metadata or {}).get(POSITION_DEPENDENT_KEY))


def _constitution(metadata: dict) -> str | None:
    if CONSTITUTION_KEY not in metadata:
        return None
    return f"{metadata[CONSTITUTION_KEY]} {metadata.get(CONSTITUTION_VERSION_KEY, '')}".strip()


def _declared_tools(steps: list[EvalPlanStep]) -> tuple[str, ...] | None:
    """The tool names the plan's steps declare; None when no step declares tools (an agent
    may still add its own, so "none" would claim more than the log shows)."""
    groups = [step.params["tools"] for step in steps if "tools" in (step.params or {})]
    if not groups:
        return None
    names = [str(tool["name"]) for group in groups if isinstance(group, list)
             for tool in group if isinstance(tool, dict) and "name" in tool]
    return tuple(dict.fromkeys(names))


def _system_prompt_sha256(steps: list[EvalPlanStep], generation: dict) -> str | None:
    """A hash of every system prompt the plan sets, so two runs can be told apart by it
    without storing the prompt; None when the plan sets none."""
    prompts = [json.dumps(value, sort_keys=True, default=str) for step in steps
               for key, value in (step.params or {}).items()
               if step.solver in SYSTEM_PROMPT_SOLVERS.get(key, ())]
    if "system_message" in generation:
        prompts.append(json.dumps(generation["system_message"]))
    return hashlib.sha256("\n".join(prompts).encode()).hexdigest() if prompts else None


def stored_log_elicitation(location: str, log_sha256: str) -> Elicitation | None:
    """The elicitation of a run's log read again, for a run stored before elicitation was:
    None when the log is gone, unreadable, or no longer the file that was ingested (its hash
    differs), since an edited log must not vouch for the run."""
    try:
        if file_sha256(location) != log_sha256:
            return None
        return elicitation_of(read_header(location))
    except Exception:  # any failure to read leaves the field unknown
        return None
