"""Alembic's entry point for the registry's migrations.

`registry.schema_version` runs these with a connection it has already opened (and, on DuckDB,
holds the file lock of), passed in `config.attributes["connection"]`; the `alembic` command
line works too, with `-x db=URL`.
"""

from __future__ import annotations

from alembic import context
from alembic.ddl.impl import DefaultImpl
from sqlalchemy import Connection
from sqlmodel import SQLModel

from registry import schema  # noqa: F401  (registers the tables on SQLModel.metadata)


class DuckDBImpl(DefaultImpl):
    """Alembic ships no DuckDB dialect support; its generic DDL is what DuckDB accepts."""

    __dialect__ = "duckdb"
    transactional_ddl = True


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=SQLModel.metadata,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from registry.db import make_engine, resolve_db_url

    engine = make_engine(resolve_db_url(context.get_x_argument(as_dictionary=True).get("db")))
    with engine.begin() as connection:
        _run(connection)


run_migrations_online()
