"""Read-only access to the registry for the dashboard.

Every query opens a short-lived read-only connection and closes it at once: a DuckDB file held
open, even for reading, would lock out the CLI's writes. Results are cached under the registry's
content stamp, so a page shows new results as soon as they land and otherwise reads nothing
again (fewer opens also leave the file free for the CLI). The policy and the URL come from
`rsp dashboard`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st
from sqlalchemy import text
from sqlmodel import col, select

from registry.assess import Assessment, assess_many, line_due, load_evidence
from registry.db import (
    UNREACHABLE,
    duckdb_path,
    open_session,
    resolve_db_url,
    unreachable_message,
)
from registry.elicitation import Elicitation
from registry.judge_reliability import JudgeReliability, judge_reliability
from registry.policy import DEFAULT_POLICY_PATH, Policy, PolicyError, load_policy
from registry.reassessment import AssessmentDue
from registry.schema import EvalRun, ModelVersion
from registry.signoff_store import SignoffState
from registry.signoff_store import signoff_state as read_signoff_state
from registry.version_compare import VersionComparison, compare_versions

if TYPE_CHECKING:
    from inspect_ai.log import EvalSample

STAMP_SQL = text(  # rows are only appended, or replaced with a newer timestamp
    "SELECT (SELECT count(*) FROM model_version), (SELECT count(*) FROM eval_run), "
    "(SELECT max(ingested_at) FROM eval_run), (SELECT max(decided_at) FROM determination), "
    "(SELECT max(seq) FROM signoff_record)")
CACHED: dict[str, Any] = {"show_spinner": False, "max_entries": 64}


def db_url() -> str:
    return resolve_db_url(os.environ.get("RSP_DB"))


def policy_path() -> Path:
    return Path(os.environ.get("RSP_POLICY") or DEFAULT_POLICY_PATH)


def registry_missing() -> str | None:
    """A message when there is nothing to read yet, else None."""
    path = duckdb_path(db_url())
    if path is not None and not path.exists():
        return (f"No registry at {path}. Record some results first: `rsp demo` (the demo's "
                "recorded runs, in seconds), `rsp eval run`, or `rsp ingest LOGS`.")
    return None


def require_registry() -> Policy:
    """The policy in force; or stop the page with a hint when there is nothing to show yet."""
    if (missing := registry_missing()) is not None:
        st.info(missing)
        st.stop()
    if not versions():
        st.info("The registry has no model versions yet.")
        st.stop()
    return current_policy()


def source() -> tuple[str, tuple]:
    """The registry's URL and its current content stamp: the key of every cached read."""
    url = db_url()
    return url, registry_stamp(url)


def registry_stamp(url: str) -> tuple:
    """A value that changes whenever the registry's content does: the DuckDB file and its
    write-ahead log as the file system sees them (no open needed), or a one-row query."""
    path = duckdb_path(url)
    if path is None:
        return tuple(_read(url, lambda s: s.execute(STAMP_SQL).one()))
    return tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None
                 for f in (path, path.with_name(path.name + ".wal")))


def _read(url: str, work):
    try:
        with open_session(url, read_only=True) as session:
            return work(session)
    except UNREACHABLE as exc:  # a plain message on the page, not a traceback
        st.error(unreachable_message(exc))
        st.stop()


def current_policy() -> Policy:
    """The policy in force, read again whenever its file changes."""
    path = policy_path()
    return _policy(str(path), path.stat().st_mtime_ns)


@st.cache_resource(**CACHED)
def _policy(path: str, mtime_ns: int) -> Policy:
    return load_policy(path)


def frameworks() -> list[tuple[Path, Policy | PolicyError]]:
    """The policy in force, then every other policy beside it (its folder's *.yaml), each
    loaded or the error that says why it cannot be."""
    here = policy_path()
    found: list[tuple[Path, Policy | PolicyError]] = []
    for path in [here, *sorted(p for p in here.parent.glob("*.yaml") if p != here)]:
        try:
            found.append((path, _policy(str(path), path.stat().st_mtime_ns)))
        except PolicyError as exc:
            found.append((path, exc))
    return found


@st.cache_resource(**CACHED)
def _versions(url: str, stamp: tuple) -> list[ModelVersion]:
    return _read(url, lambda s: list(s.exec(select(ModelVersion)
                                            .order_by(col(ModelVersion.created_at)))))


def versions() -> list[ModelVersion]:
    """Every version, oldest first."""
    return _versions(*source())


def lines() -> dict[str, list[ModelVersion]]:
    """Model line -> its versions, oldest first."""
    grouped: dict[str, list[ModelVersion]] = {}
    for v in versions():
        grouped.setdefault(v.model_line, []).append(v)
    return grouped


@st.cache_resource(**CACHED)
def _assessed(url: str, stamp: tuple, policy_sha: str) -> dict[str, Assessment]:
    """Version id -> its assessment under one policy in one state of the registry, filled as
    pages ask: a version is assessed once, whichever page and set of versions asks first."""
    return {}


def assess_versions(policy: Policy, chosen: list[ModelVersion]) -> dict[str, Assessment]:
    """Determinations under `policy` (cached by its sha), keyed by version id; those not yet
    cached are assessed in one read."""
    return _assess(policy, policy.sha256, chosen)


def _assess(policy: Policy, policy_sha: str, chosen: list[ModelVersion]) -> dict[str, Assessment]:
    url, stamp = source()
    known = _assessed(url, stamp, policy_sha)
    if missing := [v for v in chosen if v.id not in known]:
        # two sessions may assess the same version at once: both get the same answer
        known.update(_read(url, lambda s: {a.version.id: a
                                           for a in assess_many(s, policy, missing)}))
    return {v.id: known[v.id] for v in chosen}


def line_dues(policy: Policy) -> dict[str, AssessmentDue]:
    """Model line -> whether it is due for a new assessment under `policy`, now."""
    sha = policy.sha256  # hashed once here: each hashing dumps the whole policy (~5 ms)

    def assessor(chosen: list[ModelVersion]) -> dict[str, Assessment]:
        return _assess(policy, sha, chosen)

    grouped = lines()
    newest = assessor([vs[-1] for vs in grouped.values()])
    # line_due assesses the whole history of a line whose newest evidence is incomplete:
    # every such line in one read, rather than one read per line
    assessor([v for vs in grouped.values() if not newest[vs[-1].id].determination
              .evidence_complete for v in vs])
    now = datetime.now(UTC)
    return {line: line_due(policy, vs, assessor, now) for line, vs in grouped.items()}


def comparison(policy: Policy, version_a: str, version_b: str) -> VersionComparison:
    """B compared with A per indicator under `policy`, paired per item where the runs allow."""
    return _comparison(*source(), policy.sha256, version_a, version_b, policy)


@st.cache_resource(**CACHED)
def _comparison(url: str, stamp: tuple, policy_sha: str, version_a: str, version_b: str,
                _policy: Policy) -> VersionComparison:
    by_id = {v.id: v for v in versions()}
    return _read(url, lambda s: compare_versions(s, _policy, by_id[version_a],
                                                 by_id[version_b]))


def judges(models: frozenset[str]) -> dict[str, JudgeReliability]:
    """Each grader model's measured reliability as a judge (registry.judge_reliability)."""
    return _judges(*source(), models)


@st.cache_resource(**CACHED)
def _judges(url: str, stamp: tuple, models: frozenset[str]) -> dict[str, JudgeReliability]:
    return _read(url, lambda s: judge_reliability(s, set(models)))


def runs_frame() -> pd.DataFrame:
    """One row per run, newest first, with how each run was elicited in one line."""
    return _runs_frame(*source())


@st.cache_data(**CACHED)
def _runs_frame(url: str, stamp: tuple) -> pd.DataFrame:
    query = ("SELECT r.id, v.model_line, v.label AS version, r.task, r.task_version, r.status, "
             "r.total_samples, r.error_samples, r.completed_at, r.revision, r.superseded_by, "
             "r.model, r.elicitation_json, r.log_location "
             "FROM eval_run r JOIN model_version v ON v.id = r.model_version_id "
             "ORDER BY r.completed_at DESC")
    runs = _read(url, lambda s: pd.read_sql(text(query), s.connection()))
    # parsed here, once per registry state: 4,000 runs took 0.05-0.1 s on every page load
    runs.insert(int(runs.columns.get_loc("error_samples")) + 1, "elicitation",
                [Elicitation.from_json(text or "").summary() for text in runs["elicitation_json"]])
    return runs.drop(columns=["elicitation_json"])


def samples_frame(run_id: str) -> pd.DataFrame:
    """The samples of one run, by id and epoch."""
    return _samples_frame(*source(), run_id)


@st.cache_data(**CACHED)
def _samples_frame(url: str, stamp: tuple, run_id: str) -> pd.DataFrame:
    query = ("SELECT sample_id, epoch, score_value, scores_json, answer, target, error, "
             "total_tokens, log_location FROM sample WHERE run_id = :run "
             "ORDER BY sample_id, epoch")
    return _read(url, lambda s: pd.read_sql(text(query), s.connection(),
                                            params={"run": run_id}))


def version_runs(version_id: str) -> list[EvalRun]:
    """Successful runs of a version, newest first."""
    return _version_runs(*source(), version_id)


@st.cache_resource(**CACHED)
def _version_runs(url: str, stamp: tuple, version_id: str) -> list[EvalRun]:
    return _read(url, lambda s: [e.run for e in load_evidence(s, [version_id])[version_id]])


def reviewers_path() -> Path:
    """The reviewers file signatures are checked against: $RSP_REVIEWERS, else
    ./reviewers.allowed."""
    return Path(os.environ.get("RSP_REVIEWERS", "reviewers.allowed"))


def signoff_state(policy: Policy, version_id: str) -> SignoffState:
    """A version's sign-off state (registry.signoff_store), read in one connection."""
    path = reviewers_path()
    mtime = path.stat().st_mtime_ns if path.exists() else None
    return _signoff_state(*source(), policy.sha256, version_id, str(path), mtime, policy)


@st.cache_resource(**CACHED)
def _signoff_state(url: str, stamp: tuple, policy_sha: str, version_id: str, reviewers: str,
                   reviewers_mtime: int | None, _policy: Policy) -> SignoffState:
    version = next(v for v in versions() if v.id == version_id)
    return _read(url, lambda s: read_signoff_state(s, _policy, version, Path(reviewers)))


def log_sample(log_file: str, sample_id: int | str, epoch: int) -> EvalSample:
    """One sample of an Inspect log, with its messages; read again when the file changes."""
    info = Path(log_file).stat()  # a log that moved since ingest raises here, uncached
    return _log_sample(log_file, info.st_mtime_ns, info.st_size, sample_id, epoch)


@st.cache_resource(**CACHED)
def _log_sample(log_file: str, mtime_ns: int, size: int, sample_id: int | str,
                epoch: int) -> EvalSample:
    from inspect_ai.log import read_eval_log_sample  # heavy: only once a transcript shows

    return read_eval_log_sample(log_file, sample_id, epoch)
