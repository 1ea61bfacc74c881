"""Bulk loading of per-sample rows: streamed from Arrow, never row-by-row ORM inserts."""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import Connection


def bulk_insert_samples(connection: Connection, batches: pa.RecordBatchReader) -> None:
    """Append the batches (columns named as Sample's) inside the connection's transaction.

    DuckDB scans the Arrow stream in place; PostgreSQL takes it through COPY. Either way only
    a batch at a time is held in memory.
    """
    columns = ", ".join(f'"{name}"' for name in batches.schema.names)
    raw = connection.connection.driver_connection
    assert raw is not None  # a checked-out connection always has its driver's
    if connection.dialect.name == "duckdb":
        view = "_rsp_incoming_samples"
        raw.register(view, batches)
        try:
            raw.execute(f"INSERT INTO sample ({columns}) SELECT {columns} FROM {view}")
        finally:
            raw.unregister(view)
        return
    with raw.cursor() as cursor, cursor.copy(f"COPY sample ({columns}) FROM STDIN") as copy:
        for batch in batches:
            for row in zip(*(column.to_pylist() for column in batch.columns), strict=True):
                copy.write_row(row)
