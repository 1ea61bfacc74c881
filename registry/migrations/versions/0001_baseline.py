"""The registry as releases up to e7dde8f created it, before migrations existed.

Revision ID: 0001
Revises:
Create Date: 2026-12-04

Written out rather than derived from registry.schema, so that it keeps describing that schema
however the models change later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "model_line",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("provider", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_table(
        "model_version",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("model_line", sa.String(), nullable=False, index=True),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("provider_model", sa.String(), nullable=False),
        sa.Column("parent_label", sa.String()),
        sa.Column("effective_compute", sa.Double()),
        sa.Column("release_date", sa.Date()),
        sa.Column("generation_config", sa.Text()),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.UniqueConstraint("model_line", "label"),
    )
    op.create_table(
        "eval_run",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("log_sha256", sa.String(), nullable=False),
        sa.Column("model_version_id", sa.String(), nullable=False, index=True),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("task", sa.String(), nullable=False, index=True),
        sa.Column("task_version", sa.String(), nullable=False),
        sa.Column("task_file", sa.String()),
        sa.Column("dataset_name", sa.String()),
        sa.Column("dataset_location", sa.String()),
        sa.Column("dataset_sha256", sa.String()),
        sa.Column("sample_ids_sha256", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("started_at", TIMESTAMP),
        sa.Column("completed_at", TIMESTAMP),
        sa.Column("inspect_version", sa.String(), nullable=False),
        sa.Column("git_revision", sa.String()),
        sa.Column("epochs", sa.Integer(), nullable=False),
        sa.Column("total_samples", sa.Integer(), nullable=False),
        sa.Column("completed_samples", sa.Integer(), nullable=False),
        sa.Column("error_samples", sa.Integer(), nullable=False),
        sa.Column("log_location", sa.String(), nullable=False),
        sa.Column("ingested_at", TIMESTAMP, nullable=False),
        sa.Column("ingested_by", sa.String(), nullable=False),
        sa.Column("metadata_json", sa.Text()),
    )
    op.create_table(
        "score",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("run_id", sa.String(), nullable=False, index=True),
        sa.Column("scorer", sa.String(), nullable=False),
        sa.Column("metric", sa.String(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("stderr", sa.Double()),
        sa.Column("ci_low", sa.Double()),
        sa.Column("ci_high", sa.Double()),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_table(
        "sample",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("run_id", sa.String(), nullable=False, index=True),
        sa.Column("sample_id", sa.String(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("score_value", sa.Double()),
        sa.Column("scores_json", sa.Text()),
        sa.Column("answer", sa.Text()),
        sa.Column("target", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("total_tokens", sa.Integer(), nullable=False),
        sa.Column("log_location", sa.String(), nullable=False),
    )
    op.create_table(
        "determination",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("model_version_id", sa.String(), nullable=False, index=True),
        sa.Column("domain", sa.String(), nullable=False),
        sa.Column("indicator", sa.String(), nullable=False),
        sa.Column("task", sa.String(), nullable=False),
        sa.Column("metric", sa.String(), nullable=False),
        sa.Column("run_id", sa.String()),
        sa.Column("value", sa.Double()),
        sa.Column("ci_low", sa.Double()),
        sa.Column("ci_high", sa.Double()),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String()),
        sa.Column("verdict", sa.String(), nullable=False),
        sa.Column("alert", sa.Boolean(), nullable=False),
        sa.Column("evidence_json", sa.Text()),
        sa.Column("policy_name", sa.String(), nullable=False),
        sa.Column("policy_version", sa.String(), nullable=False),
        sa.Column("policy_sha256", sa.String(), nullable=False, index=True),
        sa.Column("decided_at", TIMESTAMP, nullable=False),
    )
    op.create_table(
        "signoff_record",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("model_version", sa.String(), nullable=False, index=True),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("text", sa.Text()),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("evidence_sha256", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("record_hash", sa.String(), nullable=False),
        sa.Column("signature", sa.String(), nullable=False),
    )
