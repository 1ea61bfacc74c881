"""What `rsp audit` shows: one table row per finding, registry against log, then a summary.

Cells are plain `Text`, never markup, with control characters spelled out: a sample's answer
is model output and a log's ids are a task's, both untrusted, and neither may style the
report or move the terminal's cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from registry.audit import AuditReport, Finding

CELL_CHARS = 48  # a long answer is cut here; --json carries it whole


def audit_json(report: AuditReport) -> list[dict[str, Any]]:
    """The findings as JSON-ready dicts, one per finding."""
    return [f.to_json() for f in report.findings]


def print_audit(console: Console, report: AuditReport) -> None:
    """The findings as a table (when there are any), grouped by run, then the summary line."""
    if report.findings:
        table = Table(title="Stored rows that differ from their logs", title_justify="left",
                      pad_edge=False)
        for column in ("run", "difference", "in the registry", "in the log"):
            table.add_column(column, overflow="fold")
        previous = None
        for f in report.findings:
            stored, recomputed = _sides(f)
            run = "" if f.run == previous else f"{f.run.model_version}\n{f.run.task}\n{f.run.id}"
            previous = f.run
            table.add_row(Text(_printable(run)), Text(_printable(_what(f)), style="bold red"),
                          Text(_printable(stored)), Text(_printable(recomputed)))
        console.print(table)
    console.print(Text(report.summary(), style="bold red" if report.findings else "green"))


def _printable(text: str) -> str:
    """Text with control characters (a terminal escape in a sample id) spelled out, lines kept."""
    return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text)


def _what(f: Finding) -> str:
    """The difference in words: "score flip_scorer/flip_rate changed", "6 sample rows
    missing", "log changed"."""
    state = f.kind.rsplit("_", 1)[1]
    if f.kind.startswith("samples_"):
        return f"{f.count:,} sample row{'s' if f.count > 1 else ''} {state}"
    if f.kind.startswith("score_"):
        return f"{f.subject} {state}"
    if f.kind == "run_changed":
        return f"run {f.subject}"
    return f.kind.replace("_", " ")


def _sides(f: Finding) -> tuple[str, str]:
    """What the registry holds and what the log says, as two cell texts."""
    if f.kind == "samples_changed":
        def side(which: str) -> str:
            return _examples(f, lambda e: ", ".join(f"{k} {_value(v[which])}"
                                                    for k, v in e["fields"].items()))

        return side("stored"), side("recomputed")
    if f.kind == "samples_missing":
        return "—", _examples(f)
    if f.kind == "samples_extra":
        return _examples(f), "—"
    if f.kind.startswith("log_"):
        return (f"sha256 {f.stored}" if f.stored else "—",
                "\n".join(filter(None, (f"sha256 {f.recomputed}" if f.recomputed else "",
                                        f.detail))))
    if f.kind == "run_deleted":
        return f.detail, "—"
    if f.kind.startswith("score_"):  # a missing or extra score has no row on one side
        return _fields(f.stored), _fields(f.recomputed)
    return _value(f.stored), _value(f.recomputed)


def _examples(f: Finding, describe: Callable[[dict[str, Any]], str] = lambda e: "") -> str:
    """The finding's example samples, one a line, with how many more there are."""
    lines = [f"{e['sample_id']} epoch {e['epoch']}" + (f": {text}" if (text := describe(e))
                                                       else "") for e in f.examples]
    if f.count > len(f.examples):
        lines.append(f"… and {f.count - len(f.examples):,} more")
    return "\n".join(lines)


def _fields(values: dict[str, Any] | None) -> str:
    if values is None:
        return "—"
    return ", ".join(f"{k} {_value(v)}" for k, v in values.items())


def _value(value: Any) -> str:
    """A stored or recomputed value, spelled so that types show: text quoted, NULL as NULL."""
    text = "NULL" if value is None else repr(value) if isinstance(value, str | float) \
        else str(value)
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1] + "…"
