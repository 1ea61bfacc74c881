"""Database URLs, engines and short-lived sessions.

DuckDB lets one process hold a file for writing, and while it does no other process can open
it at all. So connections are opened per unit of work (NullPool) and a lock conflict is
retried with back-off, then explained plainly.
"""

from __future__ import annotations

import os
import random
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel

from registry import schema  # noqa: F401  (registers the tables on SQLModel.metadata)

DEFAULT_DB_URL = "duckdb:///rsp.duckdb"
LOCK_RETRY_SECONDS = 30.0

T = TypeVar("T")


class RegistryLocked(RuntimeError):
    """Another process kept the registry open for longer than we were willing to wait."""


UNREACHABLE = (RegistryLocked, OperationalError)


def unreachable_message(exc: RegistryLocked | OperationalError) -> str:
    """What to tell a person whose registry cannot be used (locked, down, refused), with the fix."""
    if isinstance(exc, RegistryLocked):
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


def init_schema(engine: Engine) -> None:
    """Create missing tables, once per process and URL.

    On PostgreSQL, concurrent workers creating the same tables collide in the catalog, so
    creation runs under a transaction-scoped advisory lock. DuckDB's file lock serialises it.
    """
    key = engine.url.render_as_string(hide_password=False)
    path = duckdb_path(key)
    if key in _SCHEMA_READY and (path is None or path.exists()):
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": _SCHEMA_LOCK_KEY})
        SQLModel.metadata.create_all(connection)
        if connection.dialect.name == "postgresql":
            _refuse_signoff_changes(connection)
        # DuckDB has no triggers (nor roles), so there nothing below the application refuses
        # an UPDATE or DELETE of a sign-off: the hashes, signatures and kept heads detect it.
    _SCHEMA_READY.add(key)


# No '%' anywhere: psycopg would read it as a placeholder.
_APPEND_ONLY_SQL = [
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


def _refuse_signoff_changes(connection: Connection) -> None:
    """Have PostgreSQL itself refuse UPDATE, DELETE and TRUNCATE of sign-off records.

    Idempotent: run on every first use per process, so a database created before the guard
    existed gains it; once both triggers are there nothing is executed, since dropping and
    re-creating them would lock the table against readers each time. A role that may use the
    tables but does not own them cannot create triggers: it gets a warning, not a failure,
    because refusing every command would lock reviewers out of a registry that is still
    tamper-evident without the guard.
    """
    present = connection.execute(text(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'signoff_record'::regclass "
        "AND tgname IN ('signoff_record_append_only', 'signoff_record_no_truncate')")).scalar()
    if present == 2:
        return
    try:
        with connection.begin_nested():
            for statement in _APPEND_ONLY_SQL:
                connection.execute(text(statement))
    except ProgrammingError as exc:  # insufficient privilege, not ownership of the table
        warnings.warn(f"signoff_record is not guarded against UPDATE and DELETE ({exc.orig}). "
                      "Fix: run any `rsp` command once as the owner of the registry's tables.",
                      stacklevel=2)


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
        if not self.read_only:
            init_schema(engine)
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
