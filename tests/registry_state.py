"""What a registry holds, as one digest: to prove that a failed operation changed nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlmodel import SQLModel

from registry.db import duckdb_path, open_session, resolve_db_url


def registry_digest(db_url: str) -> str:
    """Byte-for-byte for a DuckDB file; every row of every table, in key order, otherwise."""
    path = duckdb_path(resolve_db_url(db_url))
    if path is not None:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    digest = hashlib.sha256()
    with open_session(db_url, read_only=True) as session:
        for table in sorted(SQLModel.metadata.tables.values(), key=lambda t: t.name):
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{[tuple(r) for r in rows]!r}".encode())
    return digest.hexdigest()
