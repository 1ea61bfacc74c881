"""Corrections on the record and sign-offs that can name what changed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04

- eval_run: `eval_id`, `revision`, `superseded_by`, `superseded_at`. A log rewritten under a
  stored eval id becomes a new revision instead of replacing the run; every existing run is
  revision 1 of its own eval id.
- signoff_record: `evidence_json`, the evidence an approval's digest covers (empty for
  records made before: those approvals can still be checked, but not itemised).

DuckDB can neither make a column NOT NULL in a table that has indexes nor in the transaction
that filled it, so the indexes are dropped here, and 0003, in a transaction of its own, makes
the new columns NOT NULL and rebuilds them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DROPPED_INDEXES = [("eval_run", "ix_eval_run_model_version_id"), ("eval_run", "ix_eval_run_task"),
                   ("signoff_record", "ix_signoff_record_model_version")]


def upgrade() -> None:
    for table, name in DROPPED_INDEXES:
        op.drop_index(name, table_name=table)
    op.add_column("eval_run", sa.Column("eval_id", sa.String()))
    op.add_column("eval_run", sa.Column("revision", sa.Integer(), server_default="1"))
    op.add_column("eval_run", sa.Column("superseded_by", sa.String()))
    op.add_column("eval_run", sa.Column("superseded_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE eval_run SET eval_id = id, revision = 1")
    op.add_column("signoff_record", sa.Column("evidence_json", sa.Text(), server_default=""))
