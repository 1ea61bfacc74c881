"""Registry tables. String primary keys throughout: DuckDB has no SERIAL, and the same models
must run unchanged on PostgreSQL. Floats are DOUBLE: DuckDB's FLOAT is 32-bit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, Double, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a table model (SQLModel sets it without declaring it)."""
    return model.__table__  # type: ignore[attr-defined]


class ModelLine(SQLModel, table=True):
    """A family of releases (e.g. `smollm2-135m-instruct`)."""

    __tablename__ = "model_line"

    name: str = Field(primary_key=True)
    provider: str = ""
    description: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class ModelVersion(SQLModel, table=True):
    """One release candidate of a model line: what the policy decides on."""

    __tablename__ = "model_version"
    __table_args__ = (UniqueConstraint("model_line", "label"),)

    id: str = Field(primary_key=True)  # "<line>@<label>"
    model_line: str = Field(index=True)
    label: str
    provider_model: str  # the Inspect model string
    parent_label: str | None = None
    effective_compute: float | None = Field(default=None, sa_type=Double)
    release_date: date | None = None
    generation_config: str = Field(default="{}", sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)


class EvalRun(SQLModel, table=True):
    """One Inspect log: a task run against a model version.

    A log rewritten under the same eval id with other content is a correction: it is stored as
    a new revision that supersedes the old run, which stays, so the record of what was decided
    on earlier is never overwritten.
    """

    __tablename__ = "eval_run"

    id: str = Field(primary_key=True)  # Inspect's eval id; "<eval id>~<revision>" after the 1st
    eval_id: str = Field(index=True)
    revision: int = 1
    superseded_by: str | None = None  # the run id of the next revision, once there is one
    superseded_at: datetime | None = None
    log_sha256: str
    model_version_id: str = Field(index=True)
    model: str
    task: str = Field(index=True)
    task_version: str = ""
    task_file: str | None = None
    dataset_name: str | None = None
    dataset_location: str | None = None
    dataset_sha256: str | None = None  # content hash of a local dataset file, when known
    sample_ids_sha256: str = ""
    status: str
    started_at: datetime | None = None
    completed_at: datetime | None = None
    inspect_version: str = ""
    git_revision: str | None = None
    epochs: int = 1
    total_samples: int = 0
    completed_samples: int = 0
    error_samples: int = 0
    log_location: str
    ingested_at: datetime = Field(default_factory=utcnow)
    ingested_by: str = ""
    metadata_json: str = Field(default="{}", sa_column=Column(Text))
    # How hard the run looked (registry.elicitation), read from its log header; empty: unknown.
    elicitation_json: str = Field(default="", sa_column=Column(Text, server_default=""))


class Score(SQLModel, table=True):
    """One metric of one scorer in one run, with its uncertainty and sample count."""

    __tablename__ = "score"

    id: str = Field(primary_key=True)  # "<run>/<scorer>/<metric>"
    run_id: str = Field(index=True)
    scorer: str
    metric: str
    value: float = Field(sa_type=Double)
    stderr: float | None = Field(default=None, sa_type=Double)
    # 95% normal interval, for browsing; decisions recompute the policy's own interval
    ci_low: float | None = Field(default=None, sa_type=Double)
    ci_high: float | None = Field(default=None, sa_type=Double)
    n: int = 0


class Sample(SQLModel, table=True):
    """One sample x epoch; bulk-loaded through Arrow, never row by row."""

    __tablename__ = "sample"

    id: str = Field(primary_key=True)  # "<run>/<sample id>/<epoch>"
    run_id: str = Field(index=True)
    sample_id: str
    epoch: int
    # the first scorer's value, or the field the task names as its per-sample value
    score_value: float | None = Field(default=None, sa_type=Double)
    scores_json: str = Field(default="{}", sa_column=Column(Text))
    answer: str | None = Field(default=None, sa_column=Column(Text))
    target: str | None = Field(default=None, sa_column=Column(Text))
    error: str | None = Field(default=None, sa_column=Column(Text))
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    log_location: str


class Determination(SQLModel, table=True):
    """The tier engine's output for one indicator of one version under one policy."""

    __tablename__ = "determination"

    id: str = Field(primary_key=True)  # "<version>/<policy sha>/<domain>/<indicator>"
    model_version_id: str = Field(index=True)
    domain: str
    indicator: str
    task: str
    metric: str
    run_id: str | None = None
    value: float | None = Field(default=None, sa_type=Double)
    ci_low: float | None = Field(default=None, sa_type=Double)
    ci_high: float | None = Field(default=None, sa_type=Double)
    n: int = 0
    tier: str | None = None
    verdict: str
    alert: bool = False
    evidence_json: str = Field(default="{}", sa_column=Column(Text))
    policy_name: str
    policy_version: str
    policy_sha256: str = Field(index=True)
    decided_at: datetime = Field(default_factory=utcnow)


class SignoffRecord(SQLModel, table=True):
    """One append-only sign-off record (see registry.signoff for the chain and signatures)."""

    __tablename__ = "signoff_record"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    prev_hash: str
    kind: str
    model_version: str = Field(index=True)
    subject: str
    text: str = Field(sa_column=Column(Text))
    reviewer: str
    evidence_sha256: str
    created_at: str
    record_hash: str
    signature: str
    # What `evidence_sha256` is the digest of, so a reader can say which number changed since;
    # it is trusted only when it digests to `evidence_sha256`, which the signature covers.
    evidence_json: str = Field(default="", sa_column=Column(Text, nullable=False,
                                                              server_default=""))
