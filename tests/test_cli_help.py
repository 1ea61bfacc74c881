"""`--help` reads cleanly in an 80-column terminal: a description wraps where the terminal
does, never where the docstring's source lines happened to end."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

RSP = Path(sys.executable).parent / "rsp"
WIDTH = 80
GROUPS = ["", "eval", "policy", "export", "model", "db", "runs", "signoff"]


def help_text(*args: str) -> str:
    result = subprocess.run([str(RSP), *args, "--help"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": str(WIDTH), "NO_COLOR": "1"},
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def commands_panel(text: str) -> list[tuple[str, list[str]]]:
    """(command, description lines) for each row of the Commands panel."""
    rows: list[tuple[str, list[str]]] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("╭─ Commands"):
            inside = True
            continue
        if inside and line.startswith("╰"):
            break
        if inside:
            body = line.strip("│").rstrip()
            name, _, description = body[1:].partition(" ")
            if name:
                rows.append((name, [description.strip()]))
            else:
                rows[-1][1].append(body.strip())
    return rows


def early_breaks(rows: list[tuple[str, list[str]]], room: int) -> list[str]:
    """Lines that end although the next word would still have fitted on them."""
    found = []
    for name, lines in rows:
        for line, following in itertools.pairwise(lines):
            if len(line) + 1 + len(following.split()[0]) <= room:
                found.append(f"{name}: {line!r} then {following!r}")
    return found


@pytest.mark.parametrize("group", GROUPS)
def test_command_lists_wrap_at_the_terminal_not_the_docstring(group):
    text = help_text(*([group] if group else []))
    rows = commands_panel(text)
    assert rows, text
    assert all(len(line) <= WIDTH for line in text.splitlines())
    # the description column's width, from the widest description line in the panel
    room = max(len(line) for _, lines in rows for line in lines)
    assert not early_breaks(rows, room)
