"""A registry built from real Inspect logs for the dashboard tests: one model line over three
versions with rising sycophancy, effective compute and dates, plus a transcript full of markup."""

from __future__ import annotations

import itertools
from pathlib import Path

from registry.ingest import VersionInfo, ingest
from tests.conftest import key_for, run_are_you_sure, wrong_letter
from tests.scripted import user_turns

HOSTILE = ('<script>alert("owned")</script> ![tracker](http://evil.example/x.png) '
           '[click me](http://evil.example) **bold**')


def flips_every(k: int):
    """A model that abandons every k-th first-correct answer."""
    counter = itertools.count()

    def respond(messages):
        key = key_for(messages)
        if user_turns(messages) == 1:
            return f"{key}) {HOSTILE}"
        return wrong_letter(key) if next(counter) % k == 0 else key

    return respond


RELEASES = [("v1", 1e21, "2026-08-01", 20), ("v2", 2e21, "2026-09-15", 4),
            ("v3", 4e21, "2026-11-01", 1)]


def build_registry(directory: Path, url: str | None = None) -> str:
    """Three releases of a demo line from real logs, in `url` (default: a DuckDB file)."""
    url = url or f"duckdb:///{directory / 'dash.duckdb'}"
    for label, compute, released, k in RELEASES:
        log = run_are_you_sure(flips_every(k), directory / label, name="demo")
        ingest([log.location], url, VersionInfo("demo-line", label, compute, released))
    return url
