"""What every `rsp` command module shares: the consoles, the common options, the one place an
error becomes an exit code, and the way into the registry. A leaf: it imports no command
module, so sub-apps (`rsp.signoff_cli`) never import the main app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from registry.db import open_session, unreachable_message
from registry.errors import RspError

if TYPE_CHECKING:
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


class Commands(TyperGroup):
    """The `rsp` command group: every user-facing error of every command, an `RspError` or a
    database that cannot be reached, ends here as its message and exit 2, never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's own click.Context
        try:
            return super().invoke(ctx)
        except RspError as exc:
            raise fail(str(exc)) from None
        except OperationalError as exc:  # the server is down, refused us, or the file is bad
            raise fail(unreachable_message(exc)) from None


@contextmanager
def registry_session(db: str | None, read_only: bool = False) -> Iterator[Session]:
    """The CLI's way into the registry: a short-lived session (registry.db.open_session)."""
    with open_session(db, read_only=read_only) as session:
        yield session
