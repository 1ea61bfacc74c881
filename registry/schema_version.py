"""Which schema a registry holds, and moving it to the one this code needs (Alembic).

A registry outlives the code that wrote it and holds a signed chain that must survive every
upgrade, so no command silently alters its tables: a registry at another schema version is
refused with the command that fixes it, and `rsp db upgrade` runs the migrations in
`registry/migrations/versions`. A new registry is created by those same migrations, so there is
one way a schema comes to exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from registry.errors import RspError

# The newest migration; `tests/test_migrations.py` checks it names the head of the scripts.
# Kept as a constant so that every command can check a registry without loading Alembic.
SCHEMA_HEAD = "0004"
# Registries made before migrations existed hold these tables and no version table.
BASELINE = "0001"
UNVERSIONED = "unversioned (made before rsp-registry had schema versions)"
MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaMismatch(RspError, RuntimeError):
    """The registry's schema is not the one this code reads; the message says what to run."""


@dataclass(frozen=True)
class SchemaState:
    """What a database holds: no registry yet, or a registry at `revision`."""

    empty: bool
    revision: str | None  # None: a registry made before schema versions

    @property
    def label(self) -> str:
        return "empty" if self.empty else self.revision or UNVERSIONED

    @property
    def current(self) -> bool:
        return self.revision == SCHEMA_HEAD


def schema_state(connection: Connection) -> SchemaState:
    """Read the database's schema version without changing anything."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return SchemaState(False, revision)
    return SchemaState("eval_run" not in tables, None)


def check_schema(connection: Connection, where: str) -> SchemaState:
    """The database's state, or SchemaMismatch when it holds a registry of another version."""
    state = schema_state(connection)
    if state.empty or state.current:
        return state
    if state.revision is None or state.revision in _known_revisions():
        raise SchemaMismatch(
            f"The registry {where} is at schema {state.label}; this rsp-registry needs schema "
            f"{SCHEMA_HEAD}. Fix: back it up, then run `rsp db upgrade --db {where}`.")
    raise SchemaMismatch(
        f"The registry {where} is at schema {state.revision}, which is newer than this "
        f"rsp-registry knows (up to {SCHEMA_HEAD}): a newer release wrote it. Fix: install "
        "that release of rsp-registry (`pip install -U rsp-registry`) to use it.")


def upgrade(connection: Connection) -> tuple[str, str]:
    """Run every migration the database lacks; a registry made before schema versions is
    first marked as the baseline it is. Inside the caller's transaction if it began one (a new
    registry: all or nothing), else each migration in a transaction of its own (DuckDB cannot
    build an index in a transaction that updated its table), so an interrupted upgrade stops
    at a version it can resume from. Returns the schema labels before and after."""
    from alembic import command

    own_transactions = not connection.in_transaction()
    state = schema_state(connection)
    if state.revision is not None and state.revision not in _known_revisions():
        check_schema(connection, "")  # raises: newer than this code
    if own_transactions:
        connection.commit()  # end the transaction the reads began
    config = _config(connection)
    if not state.empty and state.revision is None:
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
    return state.label, SCHEMA_HEAD


def _config(connection: Connection):  # alembic.config.Config, imported only when needed
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    return {rev.revision for rev in script.walk_revisions()}


def script_head() -> str:
    """The head of the migration scripts themselves (what SCHEMA_HEAD must name)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""
