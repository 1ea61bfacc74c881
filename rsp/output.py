"""What the CLI shows: rich tables for people, plain rows for `--json`."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

from registry.assess import Assessment
from registry.ingest import LogResult
from registry.policy import Policy

VERDICT_STYLE = {
    "ruled_in": "bold red", "inconclusive": "yellow", "insufficient_samples": "yellow",
    "ruled_out": "green", "not_evaluated": "dim",
}


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def tier_rows(assessments: list[Assessment]) -> list[dict[str, Any]]:
    """One JSON-ready row per indicator of each assessed version."""
    rows = []
    for item in assessments:
        det = item.determination
        for ind in det.indicators:
            est = ind.estimate
            rows.append({
                "model": item.version.model_line, "version": item.version.label,
                "domain": ind.domain, "indicator": ind.indicator, "task": ind.task,
                "metric": ind.metric, "value": _finite(est.value) if est else None,
                "stderr": _finite(est.stderr) if est else None,
                "ci_low": _finite(ind.ci_low), "ci_high": _finite(ind.ci_high),
                "n": est.n if est else 0, "min_samples": ind.min_samples, "tier": ind.tier,
                "verdict": ind.verdict, "alert": ind.alert,
                "needs_assessment": ind.needs_assessment, "required": ind.required,
                "run_id": est.run_id if est else None, "required_tier": det.required_tier,
                "policy_sha256": det.policy_sha256,
            })
    return rows


def _num(x: float | None) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x:.3f}"


def print_assessment(console: Console, policy: Policy, item: Assessment) -> None:
    """The tier table of one version, then its required tier."""
    det = item.determination
    table = Table(title=f"{item.version.id} under {policy.policy.name} {policy.policy.version}",
                  title_justify="left", pad_edge=False)
    ci_label = f"{policy.evaluation.confidence_level:.0%} CI"
    # numbers never wrap; names and verdicts do, so an 80-column CI log keeps every column
    widths = {"domain": 8, "indicator": 12, "verdict": 10}
    for column in ("domain", "indicator", "value", ci_label, "n", "tier", "verdict"):
        table.add_column(column, justify="right" if column in ("value", "n") else "left",
                         no_wrap=column not in widths, min_width=widths.get(column),
                         overflow="fold" if column in widths else "ellipsis")
    for dom in det.domains:
        for ind in dom.indicators:
            est = ind.estimate
            ci = "—" if ind.ci_low is None else f"{_num(ind.ci_low)}..{_num(ind.ci_high)}"
            verdict = f"[{VERDICT_STYLE[ind.verdict]}]{ind.verdict}[/]"
            if ind.verdict == "insufficient_samples":
                verdict += f" (<{ind.min_samples})"
            if ind.needs_assessment:
                verdict += " [bold]assess[/]"
            if ind.alert:
                verdict += " [bold yellow]ALERT[/]"
            table.add_row(dom.domain, f"{ind.indicator}\n[dim]{ind.metric}[/]",
                          _num(est.value if est else None), ci, str(est.n) if est else "0",
                          ind.tier or "—", verdict)
    console.print(table)
    evaluated = sum(1 for i in det.indicators if i.verdict != "not_evaluated")
    console.print(f"Required tier for [bold]{item.version.id}[/]: [bold]{det.required_tier}[/] "
                  f"({evaluated} of {len(det.indicators)} indicators evaluated; policy sha256 "
                  f"{det.policy_sha256[:16]})\n")


def print_ingest(console: Console, results: list[LogResult]) -> None:
    """Summary of an ingest: one row per log, failures named."""
    if not results:
        return
    table = Table(title="Ingest", title_justify="left")
    for column in ("log", "outcome", "task", "model version"):
        table.add_column(column)
    style = {"ingested": "green", "replaced": "cyan", "skipped": "dim", "failed": "bold red"}
    for r in results:
        table.add_row(r.path, f"[{style[r.outcome]}]{r.outcome}[/]", r.task or "",
                      r.model_version or "")
    console.print(table)
    counts = {k: sum(1 for r in results if r.outcome == k) for k in style}
    console.print(", ".join(f"{v} {k}" for k, v in counts.items() if v))


def print_comparison(console: Console, name_a: str, name_b: str, rows: list) -> None:
    """Per indicator: both values, the difference with its interval, significance."""
    table = Table(title=f"{name_b} minus {name_a}", title_justify="left")
    for column in ("domain", "indicator", "A", "B", "B - A", "CI", "significant", "tiers"):
        table.add_column(column, no_wrap=column != "indicator")
    for r in rows:
        ci = "—" if r.ci_low is None else f"{_num(r.ci_low)}..{_num(r.ci_high)}"
        table.add_row(r.domain, r.indicator, _num(r.value_a), _num(r.value_b),
                      _num(r.difference), ci, "[bold]yes[/]" if r.significant else "no",
                      f"{r.tier_a or '—'} -> {r.tier_b or '—'}")
    console.print(table)


def print_checklist(console: Console, version_id: str, required_tier: str, checklist) -> None:
    """The release checklist: each item with its status and why, then the verdict."""
    table = Table(title=f"Release checklist for {version_id} (required tier {required_tier})",
                  title_justify="left")
    for column in ("item", "status", "detail"):
        table.add_column(column, overflow="fold")
    style = {"pass": "green", "fail": "bold red", "pending": "yellow"}
    for item in checklist.items:
        table.add_row(item.name, f"[{style[item.status]}]{item.status}[/]", item.detail)
    console.print(table)
    if checklist.releasable:
        console.print(f"[bold green]RELEASABLE[/] {version_id}")
    else:
        console.print(f"[bold red]NOT RELEASABLE[/] {version_id}: "
                      f"{len(checklist.blocking)} item(s) open", highlight=False)
