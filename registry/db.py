"""Database URLs, engines and short-lived sessions.

DuckDB lets one process hold a file for writing, and while it does no other process can open
it at all. So connections are opened per unit of work (NullPool) and a lock conflict is
retried with back-off, then explained plainly.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from registry import schema  # noqa: F401  (registers the tables on SQLModel.metadata)
from registry.errors import RspError
from registry.schema_version import (
    SchemaMismatch,
    SchemaState,
    check_schema,
    schema_state,
    upgrade,
)

DEFAULT_DB_URL = "duckdb:///rsp.duckdb"
LOCK_RETRY_SECONDS = 30.0

T = TypeVar("T")


class RegistryLocked(RspError, RuntimeError):
    """Another process kept the registry open for longer than we were willing to wait."""


UNREACHABLE = (RegistryLocked, SchemaMismatch, OperationalError)


def unreachable_message(exc: RegistryLocked | SchemaMismatch | OperationalError) -> str:
    """What to tell a person whose registry cannot be used (locked, down, refused, another
    schema version), with the fix."""
    if isinstance(exc, RegistryLocked | SchemaMismatch):
        return str(exc)
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return (f"Cannot use the registry database ({reason}). Fix: check --db / $RSP_DB and that "
            "the server is running and reachable.")


def resolve_db_url(url: str | None = None) -> str:
    """The URL to use: the argument, else $RSP_DB, else ./rsp.duckdb. A bare path means DuckDB;
    `postgresql://` (or `postgres://`) means PostgreSQL through psycopg 3."""
    url = url or os.environ.get("RSP_DB") or DEFAULT_DB_URL
    if "://" not in url:
        url = f"duckdb:///{url}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def duckdb_path(url: str) -> Path | None:
    """The file behind a DuckDB URL, or None for other backends and in-memory databases."""
    if not url.startswith("duckdb:///"):
        return None
    path = url.removeprefix("duckdb:///").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def registry_location(url: str | None = None) -> str:
    """Where a registry lives, without who connects to it: an absolute DuckDB path, or a
    PostgreSQL server and database with the user, password and options left out, so that
    reviewers who connect as different roles name the same registry the same way."""
    url = resolve_db_url(url)
    path = duckdb_path(url)
    if path is not None:
        return f"duckdb:///{path.resolve()}"
    if is_postgres(url):
        parsed = make_url(url)
        return f"postgresql://{parsed.host or ''}:{parsed.port or 5432}/{parsed.database or ''}"
    return url


def make_engine(url: str, read_only: bool = False) -> Engine:
    """An engine that opens a fresh connection per use and holds none in between."""
    connect_args: dict = {}
    if url.startswith("duckdb"):
        connect_args = {"read_only": True} if read_only else {}
    elif is_postgres(url):
        # timestamps are stored as UTC; a server in another zone must not shift them
        connect_args = {"options": "-c timezone=UTC"}
    return create_engine(url, poolclass=NullPool, connect_args=connect_args)


def is_lock_conflict(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in ("could not set lock", "conflicting lock",
                                             "database is locked"))


def with_lock_retry(work: Callable[[], T], url: str, timeout: float = LOCK_RETRY_SECONDS) -> T:
    """Run `work`, retrying with jittered exponential back-off while the DuckDB file is locked."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            return work()
        except (DBAPIError, OSError, RuntimeError) as exc:
            if isinstance(exc, RegistryLocked) or not is_lock_conflict(exc):
                raise
            if time.monotonic() >= deadline:
                raise RegistryLocked(
                    f"The registry {url} stayed locked by another process for {timeout:.0f}s. "
                    "DuckDB allows one writer at a time: wait for the other `rsp` command or "
                    "close the program holding the file, or use PostgreSQL for concurrent "
                    "workers (--db postgresql://...)."
                ) from exc
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 1.0)


_SCHEMA_READY: set[str] = set()
# any constant will do: it only has to be the same in every process that creates the schema
_SCHEMA_LOCK_KEY = 0x5253505F


def init_schema(engine: Engine, read_only: bool = False) -> None:
    """Create a new registry's schema by its migrations, or check that an existing one is at
    the version this code reads (SchemaMismatch otherwise); once per process and URL.

    On PostgreSQL, concurrent workers creating the same tables collide in the catalog, so
    creation runs under a transaction-scoped advisory lock. DuckDB's file lock serialises it.
    """
    key = engine.url.render_as_string(hide_password=False)
    path = duckdb_path(key)
    if key in _SCHEMA_READY and (path is None or path.exists()):
        return
    where = registry_location(key)
    if read_only:
        with engine.connect() as connection:
            check_schema(connection, where)
    else:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": _SCHEMA_LOCK_KEY})
            if check_schema(connection, where).empty:
                upgrade(connection)
    _SCHEMA_READY.add(key)


def forget_schema(url: str) -> None:
    """Check the schema of `url` again on its next use (after it was upgraded)."""
    _SCHEMA_READY.discard(make_engine(url).url.render_as_string(hide_password=False))


@contextmanager
def open_session(url: str | None = None, read_only: bool = False) -> Iterator[Session]:
    """A short-lived session on the registry, created with its schema if new.

    The session commits on success and rolls back on any error, so a unit of work lands whole
    or not at all.
    """
    with SessionLease(url, read_only=read_only) as lease:
        session = lease.session
        yield session
        lease.commit()  # on an error, leaving the lease rolls back instead


class SessionLease:
    """One registry session kept open across a series of units of work.

    Reopening DuckDB for every small transaction costs a checkpoint each time, so the caller
    keeps the session and commits when `expired`, after which the connection is given back so
    other writers waiting on DuckDB's file lock get their turn. PostgreSQL commits cheaply and
    writers run side by side, so there a lease expires at once: a transaction holding many
    rows' locks would only invite deadlocks with other workers.
    """

    def __init__(self, url: str | None = None, hold_s: float | None = None,
                 read_only: bool = False) -> None:
        self.url = resolve_db_url(url)
        self.read_only = read_only
        self.hold_s = hold_s if hold_s is not None else 0.0 if is_postgres(self.url) else 1.0
        self._engine: Engine | None = None
        self._session: Session | None = None
        self._since = 0.0

    @property
    def session(self) -> Session:
        """The open session, connecting (with lock retry) if none is held."""
        if self._session is None:
            engine = self._engine = make_engine(self.url, read_only=self.read_only)
            self._session = with_lock_retry(lambda: self._connect(engine), self.url)
            self._since = time.monotonic()
        return self._session

    def _connect(self, engine: Engine) -> Session:
        init_schema(engine, read_only=self.read_only)
        session = Session(engine, expire_on_commit=False)
        session.connection()  # acquire the lock now, inside the retry
        return session

    @property
    def expired(self) -> bool:
        return self._session is not None and time.monotonic() - self._since >= self.hold_s

    def commit(self) -> None:
        """Commit what the session holds and give the connection back."""
        if self._session is not None:
            self._session.commit()
        self.release()

    def release(self) -> None:
        """Give the connection back; uncommitted work is rolled back."""
        if self._session is not None:
            self._session.close()
        if self._engine is not None:
            self._engine.dispose()
        self._session = self._engine = None

    def __enter__(self) -> SessionLease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def registry_schema(url: str | None = None) -> SchemaState:
    """The schema state of the registry at `url`, read without changing it."""
    return _on_registry(url, schema_state, read_only=True)


def upgrade_registry(url: str | None = None) -> tuple[str, str]:
    """Upgrade the registry at `url` to this code's schema, each migration in a transaction
    of its own (see `registry.schema_version.upgrade`). Returns the schema labels before and
    after."""
    try:
        return _on_registry(url, upgrade, read_only=False)
    finally:
        forget_schema(resolve_db_url(url))


def _on_registry(url: str | None, work: Callable[[Connection], T], read_only: bool) -> T:
    """`work` on a connection of its own to the registry, waiting out DuckDB's file lock."""
    url = resolve_db_url(url)
    engine = make_engine(url, read_only=read_only)

    def run() -> T:
        with engine.connect() as connection:
            return work(connection)

    try:
        return with_lock_retry(run, url)
    finally:
        engine.dispose()
