"""0002's columns made NOT NULL, its tables' indexes, and sign-off records the database
itself refuses to change.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

- eval_run.eval_id and .revision, signoff_record.evidence_json: NOT NULL, now they are filled.
- The indexes 0002 dropped, and one on eval_run.eval_id (a run's revisions).
- PostgreSQL: sign-off records refuse UPDATE, DELETE and TRUNCATE at the database level. DuckDB
  has no triggers (nor roles): there the hashes, signatures and kept heads detect a change.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {"eval_run": {"ix_eval_run_model_version_id": "model_version_id",
                        "ix_eval_run_task": "task", "ix_eval_run_eval_id": "eval_id"},
           "signoff_record": {"ix_signoff_record_model_version": "model_version"}}

# No '%' anywhere: psycopg would read it as a placeholder.
APPEND_ONLY_SQL = [
    """CREATE OR REPLACE FUNCTION rsp_signoff_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION USING
           MESSAGE = 'sign-off records are append-only: ' || TG_OP || ' on signoff_record '
                     || 'refused',
           HINT = 'a decision is changed by appending a record (rsp signoff reject ...), '
                  || 'never by editing or removing one';
       END $$""",
    "DROP TRIGGER IF EXISTS signoff_record_append_only ON signoff_record",
    """CREATE TRIGGER signoff_record_append_only BEFORE UPDATE OR DELETE ON signoff_record
       FOR EACH ROW EXECUTE FUNCTION rsp_signoff_append_only()""",
    # row triggers do not fire on TRUNCATE, which would empty the table in one statement
    "DROP TRIGGER IF EXISTS signoff_record_no_truncate ON signoff_record",
    """CREATE TRIGGER signoff_record_no_truncate BEFORE TRUNCATE ON signoff_record
       FOR EACH STATEMENT EXECUTE FUNCTION rsp_signoff_append_only()""",
]


def upgrade() -> None:
    op.alter_column("eval_run", "eval_id", nullable=False)
    op.alter_column("eval_run", "revision", nullable=False, server_default=None)
    op.alter_column("signoff_record", "evidence_json", nullable=False)
    for table, indexes in INDEXES.items():
        for name, column in indexes.items():
            op.create_index(name, table, [column])
    if op.get_bind().dialect.name == "postgresql":
        for statement in APPEND_ONLY_SQL:
            op.execute(statement)
