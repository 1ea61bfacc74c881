"""Audit, the use case: re-read every stored run's log and compare what ingest would store
from it with what the registry holds (the comparisons are in `registry.audit`).

What ingest stores has one definition: each log goes through ingest's own `prepare_log`,
which hashes the file, parses the header into the run and score rows and streams the samples
to a temporary Arrow file, exactly as `rsp ingest` does. The stored sample rows are streamed
from the registry a batch at a time, so a run of 200,000 samples is compared in bounded
memory: an order-free digest of each side first, then, only where the digests differ, the
differing buckets row by row, a bounded group of buckets at a time.

The registry is read through a read-only lease that is given back about every second, so a
long audit does not keep DuckDB's single writer out.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import fsspec
import pyarrow as pa
from sqlmodel import Session, col, func, select

from registry.audit import (
    AuditReport,
    Finding,
    Key,
    RowsDiff,
    RowsDigest,
    RunRef,
    deleted_run_findings,
    diff_rows,
    field_findings,
    sample_findings,
    score_findings,
)
from registry.db import SessionLease
from registry.ingest import (
    BATCH_SIZE,
    SAMPLE_SCHEMA,
    IngestError,
    VersionInfo,
    as_revision,
    prepare_log,
    renamed_samples,
)
from registry.records_store import read_records
from registry.schema import Determination, EvalRun, Sample, Score, table_of
from registry.signoff import signed_evidence

# Run columns that do not come from the log: the key; the log hash (a finding of its own);
# where the log is (what it is re-read from); the version, which `rsp ingest --model-version`
# may choose over the log's metadata; who ingested it when; and its place among the revisions
# of its eval.
RUN_NOT_FROM_LOG = frozenset({"id", "log_sha256", "log_location", "model_version_id",
                              "ingested_at", "ingested_by", "revision", "superseded_by",
                              "superseded_at"})
RUN_FIELDS = tuple(name for name in EvalRun.model_fields if name not in RUN_NOT_FROM_LOG)
SCORE_KEY = ("scorer", "metric")
SCORE_FIELDS = tuple(c.name for c in table_of(Score).columns if c.name != "run_id")
SAMPLE_FIELDS = tuple(name for name in SAMPLE_SCHEMA.names if name != "run_id")
SAMPLE_KEY = (SAMPLE_FIELDS.index("sample_id"), SAMPLE_FIELDS.index("epoch"))
GROUP_ROWS = 10_000  # sample rows held per side while differing buckets are compared


def audit_registry(db_url: str | None, version_id: str | None = None,
                   on_run: Callable[[RunRef, list[Finding]], None] | None = None
                   ) -> AuditReport:
    """Audit every current run (of `version_id`, or all) against its log; `on_run` sees each
    run's findings as it is done. A superseded revision is history: its log was rewritten by
    the revision that superseded it, so there is no file left to compare it with. Raises the
    registry's unreachable errors (registry.db)."""
    with SessionLease(db_url, read_only=True) as lease, \
            tempfile.TemporaryDirectory(prefix="rsp-audit-") as tmp:
        query = select(EvalRun).where(col(EvalRun.superseded_by).is_(None)).order_by(
            col(EvalRun.model_version_id), col(EvalRun.task), col(EvalRun.id))
        if version_id is not None:
            query = query.where(col(EvalRun.model_version_id) == version_id)
        runs = list(lease.session.exec(query).all())
        report = AuditReport(runs=len(runs), findings=deleted_runs(lease.session, version_id))
        for index, run in enumerate(runs):
            spool = Path(tmp) / f"{index}.arrows"
            result = _audit_run(lease, run, spool)
            spool.unlink(missing_ok=True)
            report.findings += result.findings
            report.logs += result.log_read
            report.samples += result.samples
            if lease.expired:
                lease.release()
            if on_run is not None:
                on_run(_ref(run), result.findings)
    return report


def deleted_runs(session: Session, version_id: str | None) -> list[Finding]:
    """Runs that rows still refer to but the registry no longer holds (a deleted run row):
    determinations recorded on it, its scores and samples, the revision it superseded, and
    the evidence sign-off records were signed on."""
    held = set(session.exec(select(EvalRun.id)).all())
    refs: dict[str, list[str]] = defaultdict(list)
    versions: dict[str, str] = {}
    query = select(Determination.run_id, Determination.model_version_id,
                   Determination.indicator).where(col(Determination.run_id).is_not(None))
    for run_id, version, indicator in session.exec(query):
        if run_id and run_id not in held and (version_id is None or version == version_id):
            refs[run_id].append(f"the determination of {indicator} was made on it")
            versions[run_id] = version
    revised = select(EvalRun.superseded_by, EvalRun.id, EvalRun.model_version_id).where(
        col(EvalRun.superseded_by).is_not(None))
    for run_id, older, version in session.exec(revised):
        if run_id and run_id not in held and (version_id is None or version == version_id):
            refs[run_id].append(f"run {older} was superseded by it")
            versions[run_id] = version
    for table, what in ((Score, "score"), (Sample, "sample")):
        counted = select(table.run_id, func.count()).group_by(table.run_id)
        for run_id, count in session.exec(counted):
            if run_id not in held:
                refs[run_id].append(f"{count} {what} row(s) belong to it")
    for record in read_records(session):
        if version_id is not None and record.model_version != version_id:
            continue
        signed = signed_evidence(record)
        cited = [i.run_id for i in signed.items] if signed else []
        cited += [record.subject] if record.kind == "invalidate" else []
        for run_id in set(cited) - held:
            refs[run_id].append(f"sign-off record #{record.seq} ({record.kind}) cites it")
            versions[run_id] = record.model_version
    if version_id is not None:  # orphaned rows of an unknown version are everyone's concern
        refs = defaultdict(list, {k: v for k, v in refs.items()
                                  if versions.get(k, version_id) == version_id})
    return deleted_run_findings(refs, versions)


def _ref(run: EvalRun) -> RunRef:
    return RunRef(run.id, run.task, run.model_version_id, run.log_location)


class _RunAudit(NamedTuple):
    findings: list[Finding]
    log_read: bool = False
    samples: int = 0  # stored sample rows compared


def _audit_run(lease: SessionLease, run: EvalRun, spool: Path) -> _RunAudit:
    """One run's findings, whether its log was read, and how many stored samples it has."""
    ref = _ref(run)
    location = run.log_location
    try:
        present = _exists(location)
    except (OSError, ImportError, ValueError) as exc:  # fsspec: no credentials, no s3fs
        return _RunAudit([Finding(ref, "log_unreadable", "log file",
                                  detail=f"{location}: {exc}")])
    if not present:
        return _RunAudit([Finding(ref, "log_missing", "log file", run.log_sha256, None,
                                  detail=f"{location}: no such file")])
    try:
        rows = prepare_log(location, spool, VersionInfo())
    except IngestError as exc:
        return _RunAudit([Finding(ref, "log_unreadable", "log file", detail=str(exc))])
    if rows.run.eval_id != run.eval_id:  # another log in its place says nothing of this run
        return _RunAudit([Finding(
            ref, "log_changed", "log file", run.log_sha256, rows.run.log_sha256,
            detail=f"the file is now the log of another eval ({rows.run.eval_id}, task "
                   f"{rows.run.task})")], log_read=True)
    rows = as_revision(rows, run.revision)  # its rows as ingest filed them
    findings: list[Finding] = []
    if rows.run.log_sha256 != run.log_sha256:
        findings.append(Finding(
            ref, "log_changed", "log file", run.log_sha256, rows.run.log_sha256,
            detail="same eval, different content since it was ingested"))
    findings += field_findings(ref, _pick(run, RUN_FIELDS), _pick(rows.run, RUN_FIELDS))
    session = lease.session
    stored_scores = session.execute(
        select(*(table_of(Score).c[name] for name in SCORE_FIELDS))
        .where(table_of(Score).c.run_id == run.id)).mappings().all()
    findings += score_findings(ref, diff_rows(
        ((_score_key(s), dict(s)) for s in stored_scores),
        ((_score_key(s), s) for s in (_pick(score, SCORE_FIELDS) for score in rows.scores))))
    samples, diff = _diff_samples(session, run.id, spool, run.revision > 1)
    findings += sample_findings(ref, diff)
    return _RunAudit(findings, log_read=True, samples=samples)


def _exists(location: str) -> bool:
    """Whether the log is there, on local disk or any fsspec filesystem (S3 included)."""
    fs, path = fsspec.core.url_to_fs(location)
    return bool(fs.exists(path))


def _pick(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def _score_key(row: Any) -> Key:
    return tuple(row[name] for name in SCORE_KEY)


def _sample_key(row: tuple[Any, ...]) -> Key:
    return row[SAMPLE_KEY[0]], row[SAMPLE_KEY[1]]


def _diff_samples(session: Session, run_id: str, spool: Path,
                  revised: bool) -> tuple[int, RowsDiff]:
    """How many sample rows the run has stored, and how they differ from the spooled ones
    (filed under `run_id` when the run is a later revision of its eval)."""
    stored, recomputed = RowsDigest(), RowsDigest()
    spooled = partial(_spooled_samples, spool, run_id if revised else None)
    for row in _stored_samples(session, run_id):
        stored.add(_sample_key(row), row)
    for row in spooled():
        recomputed.add(_sample_key(row), row)
    diff = RowsDiff()
    for group in stored.groups(recomputed, GROUP_ROWS):
        def in_group(rows: Iterator[tuple[Any, ...]], group: set[int] = group
                     ) -> Iterator[tuple[Key, dict[str, Any]]]:
            for row in rows:
                key = _sample_key(row)
                if stored.bucket(key) in group:
                    yield key, dict(zip(SAMPLE_FIELDS, row, strict=True))

        diff = diff.merge(diff_rows(in_group(_stored_samples(session, run_id)),
                                    in_group(spooled())))
    return stored.rows, diff


def _stored_samples(session: Session, run_id: str) -> Iterator[tuple[Any, ...]]:
    """The run's stored sample rows, in SAMPLE_FIELDS order, a batch at a time."""
    table = table_of(Sample)
    query = select(*(table.c[name] for name in SAMPLE_FIELDS)).where(table.c.run_id == run_id)
    result = session.connection().execution_options(yield_per=BATCH_SIZE).execute(query)
    for chunk in result.partitions():
        yield from (tuple(row) for row in chunk)


def _spooled_samples(spool: Path, run_id: str | None) -> Iterator[tuple[Any, ...]]:
    """The sample rows ingest would store, read back from its spool, in SAMPLE_FIELDS order;
    filed under `run_id` when it is given."""
    with pa.OSFile(str(spool), "rb") as source:
        reader = pa.ipc.open_stream(source)
        for batch in reader if run_id is None else renamed_samples(reader, run_id):
            yield from zip(*(batch.column(name).to_pylist() for name in SAMPLE_FIELDS),
                           strict=True)
