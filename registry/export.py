"""Export of the registry's tables as Parquet, streamed a batch at a time.

Column types follow the SQLModel tables, so DuckDB, pandas and pyarrow read the files back
exactly as the registry holds them. Times are UTC timestamps.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Table, TypeDecorator, select
from sqlmodel import Session

from registry.schema import (
    Determination,
    EvalRun,
    ModelLine,
    ModelVersion,
    Sample,
    Score,
    table_of,
)

EXPORTED: dict[str, type] = {
    "model_lines": ModelLine, "model_versions": ModelVersion, "runs": EvalRun,
    "scores": Score, "samples": Sample, "determinations": Determination,
}
BATCH_ROWS = 50_000


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema of a registry table, column for column."""
    def arrow_type(column) -> pa.DataType:
        kind = column.type
        base = kind.impl if isinstance(kind, TypeDecorator) else kind
        if isinstance(base, DateTime):  # SQLModel's UTCDateTime: aware, in UTC
            return pa.timestamp("us", tz="UTC")
        if isinstance(base, Date):
            return pa.date32()
        if isinstance(base, Boolean):
            return pa.bool_()
        if isinstance(base, Integer):
            return pa.int64()
        if isinstance(base, Float):  # Double too
            return pa.float64()
        return pa.string()

    return pa.schema([pa.field(c.name, arrow_type(c), nullable=c.nullable) for c in table.columns])


def export_parquet(session: Session, out_dir: Path,
                   on_table: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Write one Parquet file per table into `out_dir`; returns rows written per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name, model in EXPORTED.items():
        table = table_of(model)
        schema = arrow_schema(table)
        target = out_dir / f"{name}.parquet"
        partial = target.with_suffix(".parquet.partial")  # never a half-written file in place
        rows = 0
        query = select(table).order_by(*table.primary_key.columns)
        result = session.connection().execution_options(yield_per=BATCH_ROWS).execute(query)
        with pq.ParquetWriter(partial, schema) as writer:
            for chunk in result.partitions():
                columns = list(zip(*chunk, strict=True))
                writer.write_batch(pa.RecordBatch.from_arrays(
                    [pa.array(col, type=field.type) for col, field in zip(columns, schema,
                                                                           strict=True)],
                    schema=schema))
                rows += len(chunk)
            if rows == 0:
                writer.write_table(schema.empty_table())
        partial.replace(target)
        written[name] = rows
        if on_table is not None:
            on_table(name, rows)
    return written
