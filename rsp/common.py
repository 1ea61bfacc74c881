"""What every `rsp` command module shares: the consoles, the common options, the one way an
error becomes an exit code, and the way into the registry. A leaf: it imports no command
module, so sub-apps (`rsp.signoff_cli`) never import the main app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from registry.policy import Policy, PolicyError, load_policy

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


@contextmanager
def registry_errors() -> Iterator[None]:
    """Turn a registry that cannot be used (locked, down, refused, another schema version)
    into a plain exit 2."""
    from registry.db import UNREACHABLE, unreachable_message

    try:
        yield
    except UNREACHABLE as exc:
        raise fail(unreachable_message(exc)) from None


@contextmanager
def registry_session(db: str | None, read_only: bool = False) -> Iterator[Session]:
    """The CLI's way into the registry: a session whose unusable database is an exit 2."""
    from registry.db import open_session

    with registry_errors(), open_session(db, read_only=read_only) as session:
        yield session


def policy_or_exit(path: Path) -> Policy:
    """The policy at `path`, or exit 2 with its located errors and their fixes."""
    try:
        return load_policy(path)
    except PolicyError as exc:
        raise fail(str(exc)) from None
