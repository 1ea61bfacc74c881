"""What every `rsp` command module shares: the consoles, the common options, the one place an
error becomes an exit code, and the way into the registry. A leaf: it imports no command
module, so sub-apps (`rsp.signoff_cli`) never import the main app.

Light at import: the registry (SQLModel, SQLAlchemy, the database drivers) is imported only
when a command opens it, so `rsp --help` and the commands that never read it start fast.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from registry.errors import RspError

if TYPE_CHECKING:
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

console = Console()
errors = Console(stderr=True)

DbOption = Annotated[str | None, typer.Option(
    "--db", envvar="RSP_DB", help="Registry URL: duckdb:///path.duckdb (default ./rsp.duckdb) "
    "or postgresql://...")]
PolicyOption = Annotated[Path, typer.Option(
    "--policy", envvar="RSP_POLICY", help="Policy YAML the tiers are decided under.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output for scripts.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-paragraph error and return the Exit to raise."""
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def imported_out_of_gc() -> Iterator[None]:
    """For a command's heavy imports (Inspect: some 250,000 objects): the collector stays off
    while they load, then what they built is frozen out of later collections. Full collections
    triggered by the imports themselves are 13% of importing Inspect, and every later one during
    an eval run would traverse all those module objects again; modules live until exit anyway."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class Commands(TyperGroup):
    """The `rsp` command group: every user-facing error of every command, an `RspError` or a
    database that cannot be reached, ends here as its message and exit 2, never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's own click.Context
        try:
            return super().invoke(ctx)
        except RspError as exc:
            raise fail(str(exc)) from None
        except Exception as exc:
            unreachable = _operational_error()
            if unreachable is None or not isinstance(exc, unreachable):
                raise
            # the server is down, refused us, or the file is bad
            from registry.db import unreachable_message

            raise fail(unreachable_message(exc)) from None


def _operational_error() -> type[OperationalError] | None:
    """SQLAlchemy's OperationalError, if SQLAlchemy is loaded: a command that never imported
    it cannot have raised one, so this does not import it either."""
    module = sys.modules.get("sqlalchemy.exc")
    return None if module is None else module.OperationalError


@contextmanager
def registry_session(db: str | None, read_only: bool = False) -> Iterator[Session]:
    """The CLI's way into the registry: a short-lived session (registry.db.open_session)."""
    from registry.db import open_session

    with open_session(db, read_only=read_only) as session:
        yield session
