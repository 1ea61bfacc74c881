"""Each run's elicitation: how hard it looked for the capability.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

- eval_run.elicitation_json: epochs and reducer, tools, limits and generation settings as the
  run's log header records them (registry.elicitation). For runs ingested before, each log is
  read again where it is still there and still the file that was ingested (same sha256);
  otherwise the field stays empty, which reads as unknown everywhere and meets no minimum.

Nullable with an empty default: DuckDB adds a column to an indexed table only so.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from registry.log_reader import stored_log_elicitation

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("eval_run", sa.Column("elicitation_json", sa.Text(), server_default=""))
    bind = op.get_bind()
    runs = bind.execute(sa.text("SELECT id, log_location, log_sha256 FROM eval_run")).all()
    for run_id, location, log_sha256 in runs:
        found = stored_log_elicitation(location, log_sha256)
        if found is not None:
            bind.execute(sa.text("UPDATE eval_run SET elicitation_json = :e WHERE id = :id"),
                         {"e": found.to_json(), "id": run_id})
