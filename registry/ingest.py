"""Ingest Inspect logs into the registry.

Each log is validated with Inspect's models (its on-disk format is not a frozen spec), its
samples streamed in batches to a temporary Arrow file, and only then written, inside a
transaction (on DuckDB several logs may share one commit): a bad log never leaves a partial
run, memory stays bounded by a batch however large the log, and the registry is held only
while rows are copied in. A log already stored (same eval id, same content hash) is skipped,
so ingest is idempotent; concurrent workers that race on the same run retry and find it
stored. A log with a stored eval id and new content is a correction: it is stored as the
next revision of that eval, which supersedes the current one; nothing stored is overwritten.
"""

from __future__ import annotations

import gc
import getpass
import hashlib
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zipfile import ZipFile

import pyarrow as pa
from inspect_ai.log import EvalLog, EvalSampleSummary
from inspect_ai.scorer import value_to_float
from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col

from registry.db import SessionLease
from registry.errors import RspError
from registry.log_reader import (
    LOG_SUFFIXES,
    discover_logs,
    elicitation_of,
    file_sha256,
    iter_summaries,
    log_archive,
    read_header,
)
from registry.samples_store import bulk_insert_samples
from registry.schema import EvalRun, ModelLine, ModelVersion, Score, table_of
from registry.stats import z_value
from task_contract import (
    DATASET_SHA256_KEY,
    EFFECTIVE_COMPUTE_KEY,
    MODEL_LINE_KEY,
    MODEL_VERSION_KEY,
    RELEASE_DATE_KEY,
    SAMPLE_FIELD_KEY,
    SHARED_STDERR,
    count_key,
    is_companion,
    stderr_key,
)

DEFAULT_VERSION_LABEL = "unversioned"
BATCH_SIZE = 5000
STORE_ATTEMPTS = 5

Outcome = Literal["ingested", "revised", "skipped", "failed"]


class IngestError(RspError, ValueError):
    """A log that cannot be ingested; the message names the file and the fix."""


@dataclass(frozen=True)
class VersionInfo:
    """How to file a log's model: overrides from the CLI beat what the log's metadata says."""

    line: str | None = None
    label: str | None = None
    effective_compute: float | None = None
    release_date: str | None = None


@dataclass
class LogRows:
    """Everything one log contributes apart from its samples (those are streamed)."""

    location: str
    run: EvalRun
    line: ModelLine
    version: ModelVersion
    scores: list[Score]
    sample_field: str | None


@dataclass(frozen=True)
class LogResult:
    path: str
    outcome: Outcome
    run_id: str | None = None
    task: str | None = None
    model_version: str | None = None
    message: str = ""


def _unreadable(location: str, exc: BaseException) -> IngestError:
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return IngestError(
        f"{location}: cannot be read as an Inspect log ({type(exc).__name__}: {reason}). The "
        "file is truncated, corrupt or not a log. Fix: re-run the eval to rewrite it (`rsp eval "
        "run` resumes), or restore the file from where Inspect wrote it.")


def parse_header(location: str, version_info: VersionInfo = VersionInfo(),
                 archive: ZipFile | None = None) -> LogRows:
    """Read one log's header through Inspect's API into registry rows, or raise IngestError.
    `archive` is the log's, if open."""
    if not location.endswith(LOG_SUFFIXES):
        raise IngestError(f"{location}: not an Inspect log (expected a .eval or .json file). "
                          "Fix: pass the log files Inspect wrote, e.g. ./logs/*.eval.")
    try:
        header = read_header(location, archive)
        log_sha256 = file_sha256(location)
    except Exception as exc:  # Inspect, pydantic and the file system raise many types
        raise _unreadable(location, exc) from None
    if not header.eval.eval_id:
        raise IngestError(f"{location}: the log has no eval id. Fix: re-run it with a "
                          "current Inspect version.")
    return _rows(location, header, version_info, log_sha256)


def _rows(location: str, log: EvalLog, info: VersionInfo, log_sha256: str) -> LogRows:
    spec = log.eval
    meta = dict(spec.metadata or {})
    line_name = info.line or meta.get(MODEL_LINE_KEY) or spec.model
    label = info.label or meta.get(MODEL_VERSION_KEY) or DEFAULT_VERSION_LABEL
    version_id = f"{line_name}@{label}"
    run_id = spec.eval_id
    results = log.results
    run = EvalRun(
        id=run_id, eval_id=run_id, log_sha256=log_sha256, model_version_id=version_id,
        model=spec.model, task=spec.task, task_version=str(spec.task_version),
        task_file=spec.task_file, dataset_name=spec.dataset.name,
        dataset_location=spec.dataset.location, dataset_sha256=meta.get(DATASET_SHA256_KEY),
        sample_ids_sha256=_ids_hash(spec.dataset.sample_ids or []), status=log.status,
        started_at=_ts(log.stats.started_at), completed_at=_ts(log.stats.completed_at),
        inspect_version=spec.packages.get("inspect_ai", ""),
        git_revision=spec.revision.commit if spec.revision else None,
        epochs=spec.config.epochs or 1,
        total_samples=results.total_samples if results else 0,
        completed_samples=results.completed_samples if results else 0,
        log_location=location, ingested_by=_whoami(),
        metadata_json=json.dumps(meta, default=str, sort_keys=True),
        elicitation_json=elicitation_of(log).to_json(),
    )
    version = ModelVersion(
        id=version_id, model_line=line_name, label=label, provider_model=spec.model,
        effective_compute=info.effective_compute or _float_or_none(meta.get(EFFECTIVE_COMPUTE_KEY)),
        release_date=_date_or_none(info.release_date or meta.get(RELEASE_DATE_KEY)),
        generation_config=spec.model_generate_config.model_dump_json(exclude_none=True),
    )
    line = ModelLine(name=line_name, provider=spec.model.split("/", 1)[0])
    return LogRows(location, run, line, version, _scores(log, run_id),
                   meta.get(SAMPLE_FIELD_KEY))


def _scores(log: EvalLog, run_id: str) -> list[Score]:
    """One row per metric of each scorer in the log's results."""
    if not log.results:
        return []
    return [row for eval_score in log.results.scores for row in score_rows(
        run_id, eval_score.name, {key: m.value for key, m in eval_score.metrics.items()},
        eval_score.scored_samples or log.results.completed_samples or 0)]


def score_rows(run_id: str, scorer: str, metrics: dict[str, float],
               default_n: int) -> list[Score]:
    """One row per metric of a scorer, with its stderr and n found by Inspect's naming
    conventions.

    Conventions understood (`task_contract`): `accuracy` + `stderr` (Inspect's built-ins), and
    `X` + `X_stderr` + `X_n` (metrics that report their own uncertainty, e.g. rates over a
    subset).
    """
    rows: list[Score] = []
    z = z_value(0.95)
    for key, value in metrics.items():
        if is_companion(key):
            continue
        stderr = metrics.get(stderr_key(key), metrics.get(SHARED_STDERR))
        stderr = None if stderr is None or not math.isfinite(stderr) else float(stderr)
        n = int(metrics.get(count_key(key), default_n))
        value = float(value)
        bounded = stderr is not None and math.isfinite(value)
        half = z * stderr if stderr is not None else math.nan
        rows.append(Score(
            id=f"{run_id}/{scorer}/{key}", run_id=run_id, scorer=scorer,
            metric=key, value=value, stderr=stderr, n=n,
            ci_low=value - half if bounded else None,
            ci_high=value + half if bounded else None,
        ))
    return rows


SAMPLE_SCHEMA = pa.schema([
    ("id", pa.string()), ("run_id", pa.string()), ("sample_id", pa.string()),
    ("epoch", pa.int64()), ("score_value", pa.float64()), ("scores_json", pa.string()),
    ("answer", pa.string()), ("target", pa.string()), ("error", pa.string()),
    ("input_tokens", pa.int64()), ("output_tokens", pa.int64()), ("total_tokens", pa.int64()),
    ("log_location", pa.string()),
])


class IdsDigest:
    """An order-free digest of distinct sample ids (a sum of their hashes), built in constant
    memory, so runs on the same samples match however their logs order them."""

    def __init__(self) -> None:
        self.total = 0

    def add(self, sample_id: Any) -> None:
        self.total += int.from_bytes(hashlib.sha256(str(sample_id).encode()).digest())

    def hexdigest(self) -> str:
        return f"{self.total % 2**256:064x}" if self.total else ""


def _ids_hash(ids: Iterable[Any]) -> str:
    digest = IdsDigest()
    for sample_id in dict.fromkeys(ids):
        digest.add(sample_id)
    return digest.hexdigest()


@dataclass
class SpoolStats:
    """What streaming a log's samples learned along the way (the digest of their ids only
    where the header does not list them)."""

    samples: int = 0
    errors: int = 0
    sample_ids: IdsDigest = field(default_factory=IdsDigest)


def spool_samples(rows: LogRows, spool: Path, archive: ZipFile | None = None) -> SpoolStats:
    """Stream the log's sample summaries into an Arrow IPC file, a batch of rows at a time.
    `archive` is the log's, if open.

    Each summary becomes a row as soon as it is read, so only one batch of plain values is
    ever held, never the summaries themselves.
    """
    stats = SpoolStats()
    ids_listed = bool(rows.run.sample_ids_sha256)  # by the header: no digest to build here
    batch: list[tuple[Any, ...]] = []
    with pa.OSFile(str(spool), "wb") as sink, pa.ipc.new_stream(sink, SAMPLE_SCHEMA) as writer:
        if rows.run.status == "started":  # still running: only its header is known
            return stats
        for summary in _summaries(rows.location, archive):
            batch.append(_sample_row(summary, rows))
            stats.samples += 1
            stats.errors += summary.error is not None
            if summary.epoch == 1 and not ids_listed:  # every sample has a first epoch, once
                stats.sample_ids.add(summary.id)
            if len(batch) == BATCH_SIZE:
                writer.write_batch(_record_batch(batch))
                batch = []
        writer.write_batch(_record_batch(batch))
    return stats


def _record_batch(rows: list[tuple[Any, ...]]) -> pa.RecordBatch:
    """Rows (in SAMPLE_SCHEMA's column order) as one batch, converted a column at a time."""
    columns = zip(*rows, strict=True) if rows else ([] for _ in SAMPLE_SCHEMA)
    return pa.RecordBatch.from_arrays(
        [pa.array(column, type=f.type) for column, f in zip(columns, SAMPLE_SCHEMA, strict=True)],
        schema=SAMPLE_SCHEMA)


def _summaries(location: str, archive: ZipFile | None = None) -> Iterator[EvalSampleSummary]:
    """The log's sample summaries as they are read; a damaged log is an IngestError naming it
    (only the reading is guarded: a fault in turning a summary into a row is a bug, not a
    corrupt log)."""
    summaries = iter(iter_summaries(location, archive))
    while True:
        try:
            summary = next(summaries)
        except StopIteration:
            return
        except Exception as exc:  # Inspect, pydantic, zip and JSON errors of a damaged file
            raise _unreadable(location, exc) from None
        yield summary


def _sample_row(s: EvalSampleSummary, rows: LogRows) -> tuple[Any, ...]:
    """One sample row, its values in SAMPLE_SCHEMA's column order; `score_value` is the first
    scorer's value, or for a dict-valued score the field the task names as `sample_field` in
    its metadata."""
    run_id = rows.run.id
    scores = s.scores or {}
    first = next(iter(scores.values()), None)
    input_tokens = output_tokens = total_tokens = 0
    for usage in s.model_usage.values():
        input_tokens += usage.input_tokens
        output_tokens += usage.output_tokens
        total_tokens += usage.total_tokens
    return (
        f"{run_id}/{s.id}/{s.epoch}", run_id, _text(s.id), s.epoch,
        _numeric(first.value, rows.sample_field) if first else None,
        _scores_json({k: v.value for k, v in scores.items()}),
        _text(first.answer) if first else None,
        _text(s.target if isinstance(s.target, str) else json.dumps(s.target)),
        _text(s.error), input_tokens, output_tokens, total_tokens, rows.location,
    )


# json.dumps(value, default=str) builds this encoder on every call; one shared is the same
_scores_json = json.JSONEncoder(default=str).encode


def _text(value: Any) -> str | None:
    """Model output as storable text: PostgreSQL text cannot hold NUL, so it becomes U+FFFD on
    every backend (the registries stay identical)."""
    return None if value is None else str(value).replace("\x00", "\ufffd")


@dataclass
class _Stored:
    index: int
    rows: LogRows
    spool: Path
    outcome: Outcome = "ingested"
    run_id: str = ""  # the run that holds the log once stored


@dataclass
class _Revision:
    """A revision of an eval, stored or written earlier in the same batch."""

    id: str
    log_sha256: str
    revision: int
    superseded_by: str | None


def store_logs(session: Session, items: list[_Stored]) -> None:
    """Write a batch of logs inside the caller's transaction, each unless its content is
    already stored, and set each item's outcome and the id of the run that holds its log.

    The batch lands as if its logs were stored one by one in order: each is compared with what
    is stored and with the logs before it in the batch (a second copy of a log is skipped, a
    rewrite of one is its next revision). The writing itself is a handful of plain Core
    statements for the whole batch, not the ORM and not statements per log: each statement
    costs about a millisecond of compiling (duckdb_engine turns SQLAlchemy's statement cache
    off) and of planning, which was most of the cost of storing a log of 500 samples.
    """
    connection = session.connection()
    eval_ids = sorted({item.rows.run.eval_id for item in items})
    if connection.dialect.name == "postgresql":
        # workers racing on the same eval queue here instead of colliding at commit; taken
        # in one order by every worker, so two batches cannot wait on each other
        for eval_id in eval_ids:
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:eval))"),
                               {"eval": eval_id})
    known: dict[str, list[_Revision]] = {eval_id: [] for eval_id in eval_ids}
    for r in connection.execute(
            select(col(EvalRun.eval_id), col(EvalRun.id), col(EvalRun.log_sha256),
                   col(EvalRun.revision), col(EvalRun.superseded_by))
            .where(col(EvalRun.eval_id).in_(eval_ids))):
        known[r.eval_id].append(_Revision(r.id, r.log_sha256, r.revision, r.superseded_by))
    written: list[LogRows] = []
    supersede: list[tuple[str, str]] = []  # (current run, the revision that supersedes it)
    for item in items:
        rows = item.rows
        revisions = known[rows.run.eval_id]
        same = next((r.id for r in revisions if r.log_sha256 == rows.run.log_sha256), None)
        if same is not None:
            item.outcome, item.run_id = "skipped", same
            continue
        current = next((r for r in revisions if r.superseded_by is None), None)
        if revisions:  # the same eval, rewritten (e.g. resumed by eval_set): a new revision
            rows = as_revision(rows, max(r.revision for r in revisions) + 1)
        revisions.append(_Revision(rows.run.id, rows.run.log_sha256, rows.run.revision, None))
        if current is not None:
            current.superseded_by = rows.run.id
            supersede.append((current.id, rows.run.id))
        item.outcome, item.run_id = "revised" if current else "ingested", rows.run.id
        written.append(rows)
    if not written:
        return
    _insert_runs(connection, written)
    bulk_insert_samples(connection, _spooled_samples(
        [item for item in items if item.outcome != "skipped"]))
    runs = table_of(EvalRun)
    for current_id, revision_run_id in supersede:
        connection.execute(update(runs).where(runs.c.id == current_id).values(
            superseded_by=revision_run_id, superseded_at=datetime.now(UTC)))


def _insert_runs(connection: Connection, written: list[LogRows]) -> None:
    """The batch's model lines and versions (the first writer's row wins: many logs share
    one), runs and scores, a statement each."""
    lines = {rows.line.name: rows.line for rows in written}
    versions = {rows.version.id: rows.version for rows in written}
    for table, shared in ((table_of(ModelLine), lines), (table_of(ModelVersion), versions)):
        connection.execute(pg_insert(table).on_conflict_do_nothing(),
                           [row.model_dump() for row in shared.values()])
    connection.execute(insert(table_of(EvalRun)), [rows.run.model_dump() for rows in written])
    scores = [score.model_dump() for rows in written for score in rows.scores]
    if scores:
        connection.execute(insert(table_of(Score)), scores)


def _spooled_samples(items: list[_Stored]) -> pa.RecordBatchReader:
    """The sample batches of stored logs' spools, in order, each filed under the run that
    holds its log (a spool files them under the eval id, which a revision's run id is not)."""
    def batches() -> Iterator[pa.RecordBatch]:
        for item in items:
            with pa.OSFile(str(item.spool), "rb") as source:
                for batch in pa.ipc.open_stream(source):
                    yield (batch if item.run_id == item.rows.run.eval_id
                           else _renamed(batch, item.run_id))

    return pa.RecordBatchReader.from_batches(SAMPLE_SCHEMA, batches())


def revision_id(eval_id: str, revision: int) -> str:
    """The run id of a revision: the eval id for the first, `<eval id>~<n>` after."""
    return eval_id if revision == 1 else f"{eval_id}~{revision}"


def as_revision(rows: LogRows, revision: int) -> LogRows:
    """The log's rows filed as revision `revision` of its eval."""
    run_id = revision_id(rows.run.eval_id, revision)
    run = rows.run.model_copy(update={"id": run_id, "revision": revision})
    scores = [score.model_copy(update={"id": f"{run_id}/{score.scorer}/{score.metric}",
                                       "run_id": run_id}) for score in rows.scores]
    return replace(rows, run=run, scores=scores)


def renamed_samples(samples: pa.RecordBatchReader, run_id: str) -> pa.RecordBatchReader:
    """The sample batches of a log, filed under run `run_id` (ids are "<run>/<sample>/<epoch>")."""
    return pa.RecordBatchReader.from_batches(samples.schema,
                                             (_renamed(batch, run_id) for batch in samples))


def _renamed(batch: pa.RecordBatch, run_id: str) -> pa.RecordBatch:
    columns = batch.to_pydict()
    columns["id"] = [f"{run_id}/{sample}/{epoch}" for sample, epoch
                     in zip(columns["sample_id"], columns["epoch"], strict=True)]
    columns["run_id"] = [run_id] * batch.num_rows
    return pa.RecordBatch.from_pydict({n: columns[n] for n in batch.schema.names}, batch.schema)


def _is_race(exc: DBAPIError) -> bool:
    """A conflict with another writer, which a retry resolves: a unique key taken first, a
    deadlock or a serialization failure (PostgreSQL)."""
    return isinstance(exc, IntegrityError) or getattr(exc.orig, "sqlstate", None) in (
        "40P01", "40001")


class LogWriter:
    """Stores parsed logs a batch at a time: the logs parsed over one lease of the registry
    are written together in one transaction, which holds the registry only while it writes.

    Each log still lands whole or not at all. If a batch fails to write, it is rolled back and
    its logs are stored again one per transaction: a race with another worker (PostgreSQL: a
    unique key, a deadlock) is retried and then finds the other worker's rows; any other
    database error is raised after the logs before it have landed. An error that is not the
    database's (a bug, an interrupt) rolls the batch back and is raised at once: logs of
    earlier batches stay, and a rerun skips them.
    """

    def __init__(self, lease: SessionLease, emit: Callable[[int, LogResult], None]) -> None:
        self.lease = lease
        self.emit = emit
        self.pending: list[_Stored] = []
        self._since = 0.0  # when the oldest pending log was parsed

    def add(self, item: _Stored) -> None:
        """Take a parsed log; the batch is written once it has waited out the lease."""
        if not self.pending:
            self._since = time.monotonic()
        self.pending.append(item)
        if time.monotonic() - self._since >= self.lease.hold_s:
            self.commit()

    def commit(self) -> None:
        """Write and commit the pending logs."""
        items, self.pending = self.pending, []
        if not items:
            return
        try:
            store_logs(self.lease.session, items)
            self.lease.commit()
        except DBAPIError:
            self.lease.release()
            for item in items:
                self._store_alone(item)
            return
        except BaseException:
            self.lease.release()
            raise
        for item in items:
            self._landed(item)

    def _store_alone(self, item: _Stored) -> None:
        for attempt in range(STORE_ATTEMPTS):
            try:
                store_logs(self.lease.session, [item])
                self.lease.commit()
                self._landed(item)
                return
            except DBAPIError as exc:
                self.lease.release()
                if not _is_race(exc):
                    raise
                if attempt == STORE_ATTEMPTS - 1:
                    self.emit(item.index, LogResult(item.rows.location, "failed", message=(
                        f"{item.rows.location}: kept colliding with another writer "
                        f"({str(exc).splitlines()[0][:200]}). Fix: run the ingest again; "
                        "stored runs are skipped.")))
            except BaseException:
                self.lease.release()
                raise

    def _landed(self, item: _Stored) -> None:
        rows = item.rows
        item.spool.unlink(missing_ok=True)
        self.emit(item.index, LogResult(rows.location, item.outcome, item.run_id, rows.run.task,
                                        rows.version.id))


def prepare_log(location: str, spool: Path, version_info: VersionInfo) -> LogRows:
    """Parse a log completely (header rows, samples spooled to `spool`), or raise IngestError."""
    with ExitStack() as stack:
        try:
            archive = stack.enter_context(log_archive(location))
        except Exception as exc:  # the file system and zip raise many types
            raise _unreadable(location, exc) from None
        rows = parse_header(location, version_info, archive)
        stats = spool_samples(rows, spool, archive)
    rows.run.error_samples = stats.errors
    if not rows.run.sample_ids_sha256:  # the header did not list the dataset's ids
        rows.run.sample_ids_sha256 = stats.sample_ids.hexdigest()
    rows.run.total_samples = rows.run.total_samples or stats.samples
    return rows


def ingest(paths: Iterable[str | Path], db_url: str | None = None,
           version_info: VersionInfo = VersionInfo(),
           on_log: Callable[[LogResult], None] | None = None) -> list[LogResult]:
    """Ingest every log under `paths` (files, directories, s3://... prefixes), each log whole
    or not at all; failures are reported, not raised. `on_log` sees each result as it lands.
    Results come back in the order of the logs."""
    files, missing = discover_logs(paths)
    results: dict[int, LogResult] = {}

    def emit(index: int, result: LogResult) -> None:
        results[index] = result
        if on_log is not None:
            on_log(result)

    for index, path in enumerate(missing, start=len(files)):
        emit(index, LogResult(path, "failed", message=(
            f"{path}: no such file or directory. Fix: pass an Inspect log file (*.eval or "
            "*.json) or a directory that contains them.")))
    # parsing (Python) and storing (mostly inside the database, off the GIL) overlap: logs
    # are parsed on while a single writer thread stores the batch before them, in order
    with _heap_frozen(), tempfile.TemporaryDirectory(prefix="rsp-ingest-") as tmp, \
            SessionLease(db_url) as lease, ThreadPoolExecutor(max_workers=1) as store_thread:
        writer = LogWriter(lease, emit)
        storing: Future | None = None
        for index, location in enumerate(files):
            spool = Path(tmp) / f"{index}.arrows"
            try:
                rows = prepare_log(location, spool, version_info)
            except IngestError as exc:
                emit(index, LogResult(location, "failed", message=str(exc)))
                continue
            if storing is not None:
                storing.result()  # a storage error stops the ingest here, as it would inline
            storing = store_thread.submit(writer.add, _Stored(index, rows, spool))
        if storing is not None:
            storing.result()
        store_thread.submit(writer.commit).result()
    return [results[i] for i in sorted(results)]


@contextmanager
def _heap_frozen() -> Iterator[None]:
    """Keep the objects the process already holds (the modules of Inspect, SQLAlchemy, pyarrow:
    some 230,000) out of the garbage collector while logs are read: validating summaries
    allocates enough to set off full collections, each of which would traverse them all again
    (about 0.1 s of a 2 s ingest of 40 logs of 500 samples). A host that froze its own heap is
    left as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_to_float = value_to_float()  # Inspect's own mapping of score values (C, I, yes, ...) to floats


def _numeric(value: Any, field: str | None = None) -> float | None:
    if isinstance(value, dict) and field is not None:
        value = value.get(field)
    if isinstance(value, dict | list) or value is None:
        return None
    try:
        return float(_to_float(value))
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
