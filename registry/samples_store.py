"""Bulk loading of per-sample rows: through Arrow, never row-by-row ORM inserts."""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import Connection, insert

from registry.schema import Sample


def bulk_insert_samples(connection: Connection, table: pa.Table) -> None:
    """Append `table` (columns named as Sample's) inside the connection's transaction."""
    if table.num_rows == 0:
        return
    if connection.dialect.name == "duckdb":
        raw = connection.connection.driver_connection
        view = "_rsp_incoming_samples"
        columns = ", ".join(f'"{name}"' for name in table.column_names)
        raw.register(view, table)
        try:
            raw.execute(f"INSERT INTO sample ({columns}) SELECT {columns} FROM {view}")
        finally:
            raw.unregister(view)
    else:
        connection.execute(insert(Sample), table.to_pylist())
