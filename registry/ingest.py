"""Ingest Inspect logs into the registry.

Logs are read only through Inspect's Python API (the on-disk format is not a frozen spec).
Each log is parsed completely before anything is written, then stored in one transaction:
a bad log never leaves a partial run, and a log already stored (same eval id, same content
hash) is skipped, so ingest is idempotent.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
from inspect_ai.log import (
    EvalLog,
    EvalSampleSummary,
    read_eval_log,
    read_eval_log_sample_summaries,
)
from inspect_ai.scorer import value_to_float
from sqlalchemy import delete
from sqlmodel import Session

from registry.db import open_session
from registry.samples_store import bulk_insert_samples
from registry.schema import EvalRun, ModelLine, ModelVersion, Sample, Score
from registry.stats import z_value

LOG_SUFFIXES = (".eval", ".json")
VERSION_KEY = "rsp_model_version"
LINE_KEY = "rsp_model_line"
DEFAULT_VERSION_LABEL = "unversioned"

Outcome = Literal["ingested", "replaced", "skipped", "failed"]


class IngestError(ValueError):
    """A log that cannot be ingested; the message names the file and the fix."""


@dataclass(frozen=True)
class VersionInfo:
    """How to file a log's model: overrides from the CLI beat what the log's metadata says."""

    line: str | None = None
    label: str | None = None
    effective_compute: float | None = None
    release_date: str | None = None


@dataclass
class ParsedLog:
    """Everything one log contributes, held in memory until it is written whole."""

    path: Path
    run: EvalRun
    line: ModelLine
    version: ModelVersion
    scores: list[Score]
    samples: pa.Table


@dataclass(frozen=True)
class LogResult:
    path: str
    outcome: Outcome
    run_id: str | None = None
    task: str | None = None
    model_version: str | None = None
    message: str = ""


def discover_logs(paths: Iterable[str | Path]) -> tuple[list[Path], list[LogResult]]:
    """Expand files and directories into log files; missing paths become failures."""
    found: list[Path] = []
    failures: list[LogResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in LOG_SUFFIXES
                                and p.is_file() and not p.name.startswith(".")
                                and p.name != "logs.json"))
        elif path.is_file():
            found.append(path)
        else:
            failures.append(LogResult(str(path), "failed", message=(
                f"{path}: no such file or directory. Fix: pass an Inspect log file (*.eval or "
                "*.json) or a directory that contains them.")))
    return found, failures


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_log(path: Path, version_info: VersionInfo = VersionInfo()) -> ParsedLog:
    """Read one log through Inspect's API into registry rows, or raise IngestError."""
    if path.suffix not in LOG_SUFFIXES:
        raise IngestError(f"{path}: not an Inspect log (expected a .eval or .json file). "
                          "Fix: pass the log files Inspect wrote, e.g. ./logs/*.eval.")
    try:
        header = read_eval_log(str(path), header_only=True)
        summaries = read_eval_log_sample_summaries(str(path)) if header.status != "started" else []
    except Exception as exc:  # Inspect raises many types for damaged files
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise IngestError(
            f"{path}: cannot be read as an Inspect log ({type(exc).__name__}: {reason}). The file "
            "is truncated, corrupt or not a log. Fix: re-run the eval to rewrite it (`rsp eval "
            "run` resumes), or restore the file from where Inspect wrote it.") from None
    if not header.eval.eval_id:
        raise IngestError(f"{path}: the log has no eval id. Fix: re-run it with a current "
                          "Inspect version.")
    return _parsed(path, header, summaries, version_info)


def _parsed(path: Path, log: EvalLog, summaries: list[EvalSampleSummary],
            info: VersionInfo) -> ParsedLog:
    spec = log.eval
    meta = dict(spec.metadata or {})
    line_name = info.line or meta.get(LINE_KEY) or spec.model
    label = info.label or meta.get(VERSION_KEY) or DEFAULT_VERSION_LABEL
    version_id = f"{line_name}@{label}"
    location = str(path.resolve())
    run_id = spec.eval_id
    n_errors = sum(1 for s in summaries if s.error)
    run = EvalRun(
        id=run_id, log_sha256=file_sha256(path), model_version_id=version_id, model=spec.model,
        task=spec.task, task_version=str(spec.task_version), task_file=spec.task_file,
        dataset_name=spec.dataset.name, dataset_location=spec.dataset.location,
        dataset_sha256=meta.get("dataset_sha256"),
        sample_ids_sha256=_sample_ids_hash(spec.dataset.sample_ids, summaries),
        status=log.status, started_at=_ts(log.stats.started_at),
        completed_at=_ts(log.stats.completed_at), inspect_version=log.eval.packages.get(
            "inspect_ai", ""), git_revision=spec.revision.commit if spec.revision else None,
        epochs=spec.config.epochs or 1,
        total_samples=log.results.total_samples if log.results else len(summaries),
        completed_samples=log.results.completed_samples if log.results else 0,
        error_samples=n_errors, log_location=location, ingested_by=_whoami(),
        metadata_json=json.dumps(meta, default=str, sort_keys=True),
    )
    version = ModelVersion(
        id=version_id, model_line=line_name, label=label, provider_model=spec.model,
        effective_compute=info.effective_compute or _float_or_none(meta.get("effective_compute")),
        release_date=_date_or_none(info.release_date or meta.get("release_date")),
        generation_config=spec.model_generate_config.model_dump_json(exclude_none=True),
    )
    line = ModelLine(name=line_name, provider=spec.model.split("/", 1)[0])
    samples = _samples(summaries, run_id, location, meta.get("sample_field"))
    return ParsedLog(path, run, line, version, _scores(log, run_id), samples)


def _scores(log: EvalLog, run_id: str) -> list[Score]:
    """One row per metric, with its stderr and n found by Inspect's naming conventions.

    Conventions understood: `accuracy` + `stderr` (Inspect's built-ins), and `X` + `X_stderr`
    + `X_n` (metrics that report their own uncertainty, e.g. rates over a subset).
    """
    if not log.results:
        return []
    rows: list[Score] = []
    z = z_value(0.95)
    for eval_score in log.results.scores:
        metrics = {key: m.value for key, m in eval_score.metrics.items()}
        default_n = eval_score.scored_samples or log.results.completed_samples or 0
        for key, value in metrics.items():
            if key == "stderr" or key.endswith(("_stderr", "_n")):
                continue
            stderr = metrics.get(f"{key}_stderr", metrics.get("stderr"))
            stderr = None if stderr is None or not math.isfinite(stderr) else float(stderr)
            n = int(metrics.get(f"{key}_n", default_n))
            value = float(value)
            finite = math.isfinite(value) and stderr is not None
            rows.append(Score(
                id=f"{run_id}/{eval_score.name}/{key}", run_id=run_id, scorer=eval_score.name,
                metric=key, value=value, stderr=stderr, n=n,
                ci_low=value - z * stderr if finite else None,
                ci_high=value + z * stderr if finite else None,
            ))
    return rows


SAMPLE_SCHEMA = pa.schema([
    ("id", pa.string()), ("run_id", pa.string()), ("sample_id", pa.string()),
    ("epoch", pa.int64()), ("score_value", pa.float64()), ("scores_json", pa.string()),
    ("answer", pa.string()), ("target", pa.string()), ("error", pa.string()),
    ("input_tokens", pa.int64()), ("output_tokens", pa.int64()), ("total_tokens", pa.int64()),
    ("log_location", pa.string()),
])


def _samples(summaries: list[EvalSampleSummary], run_id: str, location: str,
             sample_field: str | None) -> pa.Table:
    """Sample rows; `score_value` is the first scorer's value, or for a dict-valued score the
    field the task names as `sample_field` in its metadata."""
    columns: dict[str, list[Any]] = {name: [] for name in SAMPLE_SCHEMA.names}
    for s in summaries:
        scores = s.scores or {}
        first = next(iter(scores.values()), None)
        usage = list(s.model_usage.values())
        row = {
            "id": f"{run_id}/{s.id}/{s.epoch}", "run_id": run_id, "sample_id": str(s.id),
            "epoch": s.epoch, "score_value": _numeric(first.value, sample_field) if first else None,
            "scores_json": json.dumps({k: v.value for k, v in scores.items()}, default=str),
            "answer": first.answer if first else None,
            "target": s.target if isinstance(s.target, str) else json.dumps(s.target),
            "error": s.error, "input_tokens": sum(u.input_tokens for u in usage),
            "output_tokens": sum(u.output_tokens for u in usage),
            "total_tokens": sum(u.total_tokens for u in usage), "log_location": location,
        }
        for name, value in row.items():
            columns[name].append(value)
    return pa.Table.from_pydict(columns, schema=SAMPLE_SCHEMA)


def store_log(session: Session, parsed: ParsedLog) -> Outcome:
    """Write one parsed log inside the caller's transaction; skip it if already stored."""
    existing = session.get(EvalRun, parsed.run.id)
    if existing is not None and existing.log_sha256 == parsed.run.log_sha256:
        return "skipped"
    if existing is not None:  # the same eval, rewritten (e.g. resumed by eval_set)
        for table in (Sample, Score, EvalRun):
            column = table.id if table is EvalRun else table.run_id
            session.exec(delete(table).where(column == parsed.run.id))
    if session.get(ModelLine, parsed.line.name) is None:
        session.add(parsed.line)
    if session.get(ModelVersion, parsed.version.id) is None:
        session.add(parsed.version)
    session.add(parsed.run)
    session.add_all(parsed.scores)
    session.flush()
    bulk_insert_samples(session.connection(), parsed.samples)
    return "replaced" if existing is not None else "ingested"


def ingest(paths: Iterable[str | Path], db_url: str | None = None,
           version_info: VersionInfo = VersionInfo()) -> list[LogResult]:
    """Ingest every log under `paths`; one transaction per log, failures reported, not raised."""
    files, results = discover_logs(paths)
    parsed: list[ParsedLog] = []
    for path in files:
        try:
            parsed.append(parse_log(path, version_info))
        except IngestError as exc:
            results.append(LogResult(str(path), "failed", message=str(exc)))
    if not parsed:  # nothing good: do not even open (or create) the registry
        return results
    for item in parsed:
        with open_session(db_url) as session:
            outcome = store_log(session, item)
        results.append(LogResult(str(item.path), outcome, item.run.id, item.run.task,
                                 item.version.id))
    return results


def _sample_ids_hash(sample_ids: list | None, summaries: list[EvalSampleSummary]) -> str:
    ids = sample_ids if sample_ids is not None else sorted({s.id for s in summaries}, key=str)
    return hashlib.sha256(json.dumps([str(i) for i in ids]).encode()).hexdigest()


def _numeric(value: Any, field: str | None = None) -> float | None:
    if isinstance(value, dict) and field is not None:
        value = value.get(field)
    if isinstance(value, dict | list) or value is None:
        return None
    try:
        return float(value_to_float()(value))
    except (TypeError, ValueError):
        return None


def _ts(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _float_or_none(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _date_or_none(value: Any):
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        return None


def _whoami() -> str:
    """Who ingests: $RSP_USER (a team's reviewer id), else the OS user."""
    if os.environ.get("RSP_USER"):
        return os.environ["RSP_USER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
