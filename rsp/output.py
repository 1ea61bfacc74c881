"""What the CLI shows: rich tables for people, plain rows for `--json`.

Imported by every command at start-up, so the registry's modules it shows are imported only
for annotations here, and those a function calls inside that function.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from registry.formatting import interval, num
from task_contract import HEADLINE_METRIC_KEY

if TYPE_CHECKING:
    from rich.console import Console

    from registry.assess import Assessment, RunEvidence
    from registry.compare import IndicatorComparison
    from registry.corrections_store import RunHistory
    from registry.crosswalk import PolicyReading
    from registry.determination_changes import PolicyChange
    from registry.ingest import LogResult
    from registry.policy import Policy
    from registry.reassessment import AssessmentDue
    from registry.version_compare import VersionComparison

VERDICT_STYLE = {
    "ruled_in": "bold red", "inconclusive": "yellow", "insufficient_samples": "yellow",
    "ruled_out": "green", "under_elicited": "bold yellow", "not_evaluated": "dim",
}


def finite(x: float | None) -> float | None:
    """The number for JSON, where NaN and infinities have no spelling: None instead."""
    return x if x is not None and math.isfinite(x) else None


def tier_rows(policy: Policy, assessments: list[Assessment],
              dues: dict[str, AssessmentDue]) -> list[dict[str, Any]]:
    """One JSON-ready row per indicator of each assessed version; the version's own fields
    (evidence completeness, tiers ruled in and not ruled out, assessment due) repeat on each of
    its rows so that every row stands alone."""
    from registry.decidability import samples_to_decide
    from registry.tiers import describe_version

    rows = []
    for item in assessments:
        det = item.determination
        due = dues[item.version.id]
        version_fields = {
            "evidence_complete": det.evidence_complete,
            "missing": [f"{i.domain}/{i.indicator}" for i in det.missing],
            "too_few_samples": [f"{i.domain}/{i.indicator}" for i in det.thin],
            "ruled_in_tier": det.ruled_in_tier, "not_ruled_out_tier": det.not_ruled_out_tier,
            "summary": describe_version(policy, det),
            "assessment_due": due.due, "assessment_due_reasons": due.reasons,
        }
        for ind in det.indicators:
            need = samples_to_decide(policy, ind)
            rows.append({
                "model": item.version.model_line, "version": item.version.label,
                "domain": ind.domain, "indicator": ind.indicator, "task": ind.task,
                "metric": ind.metric, "value": finite(ind.value), "stderr": finite(ind.stderr),
                "ci_low": finite(ind.ci_low), "ci_high": finite(ind.ci_high),
                "n": ind.n, "min_samples": ind.min_samples, "tier": ind.tier,
                "verdict": ind.verdict, "alert": ind.alert,
                "needs_assessment": ind.needs_assessment, "required": ind.required,
                "samples_to_decide": need.needed if need else None,
                "to_decide": need.reason if need else None,
                "elicitation": json.loads(ind.estimate.elicitation.to_json())
                if ind.estimate and ind.estimate.elicitation else None,
                "elicitation_gaps": list(ind.elicitation_gaps),
                "judge_problem": ind.judge_problem,
                "engagement_problem": ind.engagement_problem,
                "run_id": ind.run_id, "required_tier": det.required_tier,
                "policy_sha256": det.policy_sha256, **version_fields,
            })
    return rows


def print_assessment(console: Console, policy: Policy, item: Assessment,
                     due: AssessmentDue) -> None:
    """The tier table of one version, then its required tier, what its evidence rules in and
    leaves open, and whether its line is due for a new assessment."""
    from registry.tiers import describe_version

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
            ci = interval(ind.ci_low, ind.ci_high, "{}..{}")
            verdict = f"[{VERDICT_STYLE[ind.verdict]}]{ind.verdict}[/]"
            if ind.verdict == "insufficient_samples":
                verdict += f" (<{ind.min_samples})"
            if ind.elicitation_gaps:
                verdict += f"\n[dim]{escape('; '.join(ind.elicitation_gaps))}[/]"
            for problem in (ind.judge_problem, ind.engagement_problem):
                if problem:
                    verdict += f"\n[dim]{escape(problem)}[/]"
            if ind.grader:
                verdict += f"\n[dim]graded by {escape(ind.grader)}[/]"
            if ind.needs_assessment:
                verdict += " [bold]assess[/]"
            if ind.alert:
                verdict += " [bold yellow]ALERT[/]"
            table.add_row(dom.domain, f"{ind.indicator}\n[dim]{ind.metric}[/]",
                          num(ind.value), ci, str(ind.n),
                          ind.tier or "—", verdict)
    console.print(table)
    evaluated = sum(1 for i in det.indicators if i.evaluated)
    basis = "" if det.evidence_complete else " [bold yellow]on incomplete evidence[/]"
    console.print(f"Required tier for [bold]{item.version.id}[/]: [bold]{det.required_tier}[/]"
                  f"{basis} ({evaluated} of {len(det.indicators)} indicators evaluated; "
                  f"policy sha256 {det.policy_sha256[:16]})", highlight=False)
    style = "green" if det.evidence_complete else "bold yellow"
    console.print(f"[{style}]{describe_version(policy, det)}[/]", highlight=False)
    if due.due:
        console.print(f"[bold yellow]{due.describe()}[/]", highlight=False)
    console.print()


def print_ingest(console: Console, results: list[LogResult]) -> None:
    """Summary of an ingest: one row per log, failures named."""
    if not results:
        return
    table = Table(title="Ingest", title_justify="left")
    for column in ("log", "outcome", "task", "model version"):
        table.add_column(column)
    style = {"ingested": "green", "revised": "cyan", "skipped": "dim", "failed": "bold red"}
    for r in results:
        table.add_row(r.path, f"[{style[r.outcome]}]{r.outcome}[/]", r.task or "",
                      r.model_version or "")
    console.print(table)
    counts = {k: sum(1 for r in results if r.outcome == k) for k in style}
    console.print(", ".join(f"{v} {k}" for k, v in counts.items() if v))


def comparison_rows(comparison: VersionComparison) -> list[dict[str, Any]]:
    """One JSON-ready row per indicator: every field plus the method's label, None for NaN,
    and how the two runs were elicited differently (empty when alike)."""
    differ = comparison.elicitation_differences
    return [{**{k: finite(v) if isinstance(v, float) else v for k, v in asdict(r).items()},
             "method_label": r.method_label,
             "elicitation_differences": differ.get((r.domain, r.indicator), [])}
            for r in comparison.rows]


def _p(p: float | None) -> str:
    return "p —" if p is None else f"p = {p:.3g}"


def _result(r: IndicatorComparison, ci_label: str) -> str:
    """The test's verdict, its p-value, and its interval or discordant counts."""
    if r.method == "not_compared":
        return "—"
    verdict = "[bold]significant[/]" if r.significant else "not significant"
    if r.method == "paired_mcnemar":
        detail = f"{r.discordant_up} up, {r.discordant_down} down"
    else:
        ci = interval(r.ci_low, r.ci_high, "{}..{}")
        per_item = f"per item {num(r.paired_difference)}, " if r.method == "paired_mean" else ""
        detail = f"{per_item}{ci_label} {ci}"
    p = "" if r.p_value is None else f"\np = {r.p_value:.3g}"
    return f"{verdict}{p}\n[dim]{detail}[/]"


def print_comparison(console: Console, comparison: VersionComparison) -> None:
    """Per indicator evaluated in either version: both values, B - A, the test used (paired
    or independent, and why) with its verdict, p-value and interval; then how to read it."""
    from registry.compare import METHODS_EXPLAINED

    a, b = comparison.a.version.id, comparison.b.version.id
    ci_label = f"{comparison.confidence_level:.0%} CI"
    table = Table(title=f"{b} minus {a}", title_justify="left")
    # numbers never wrap; words fold, so an 80-column terminal keeps every column
    widths = {"indicator": 10, "test": 8, "result": 8, "tiers": 5}
    for column in ("indicator", "A", "B", "B - A", "test", "result", "tiers"):
        table.add_column(column, no_wrap=column not in widths, min_width=widths.get(column),
                         overflow="fold" if column in widths else "ellipsis",
                         justify="left" if column in widths else "right")
    shown = [r for r in comparison.rows if r.value_a is not None or r.value_b is not None]
    for r in shown:
        test = r.method_label
        if r.method in ("paired_mcnemar", "paired_mean"):
            test += f"\n[dim]{r.n_shared} items shared[/]"
        elif r.note:
            test += f"\n[dim]{r.note}[/]"
        table.add_row(f"{r.indicator}\n[dim]{r.domain}[/]", num(r.value_a), num(r.value_b),
                      num(r.difference), test, _result(r, ci_label),
                      f"{r.tier_a or '—'} → {r.tier_b or '—'}")
    console.print(table)
    if len(shown) < len(comparison.rows):
        console.print(f"{len(comparison.rows) - len(shown)} indicators evaluated in neither "
                      "version are left out (--json lists every one).", highlight=False)
    for (domain, indicator), diff in comparison.elicitation_differences.items():
        console.print(f"[yellow]warning:[/] {domain}/{indicator} was elicited differently "
                      f"({escape('; '.join(diff))}): its difference mixes the model with the "
                      "method.", highlight=False)
    alpha = 1 - comparison.confidence_level
    console.print(
        f"{METHODS_EXPLAINED} Significant: p < {alpha:.2g} for McNemar, the {ci_label} "
        "excluding 0 otherwise.", highlight=False, style="dim")


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


def run_history_json(history: RunHistory) -> list[dict[str, Any]]:
    """One dict per revision, with its invalidation (if any)."""
    out = []
    for run in history.revisions:
        fix = history.corrections.get(run.id)
        out.append({"run": run.id, "eval_id": run.eval_id, "revision": run.revision,
                    "log_sha256": run.log_sha256, "log_location": run.log_location,
                    "ingested_at": run.ingested_at, "ingested_by": run.ingested_by,
                    "superseded_by": run.superseded_by, "superseded_at": run.superseded_at,
                    "invalidation": None if fix is None else {
                        "record": fix.seq, "reviewer": fix.reviewer, "at": fix.created_at,
                        "reason": fix.reason, "samples": list(fix.invalidation.samples)}})
    return out


def print_run_history(console: Console, history: RunHistory) -> None:
    """The revisions of an eval as a table; ids, paths and reasons are shown as plain text."""
    table = Table(title=f"Revisions of eval {history.revisions[0].eval_id}", title_justify="left")
    for column in ("rev", "run", "ingested", "log sha256", "status", "invalidated samples"):
        table.add_column(column, overflow="fold")
    for run in history.revisions:
        fix = history.corrections.get(run.id)
        status = (Text(f"superseded by {run.superseded_by} at {run.superseded_at:%Y-%m-%d %H:%M}",
                       style="dim") if run.superseded_by and run.superseded_at else
                  Text("current", style="green"))
        invalidated = Text("—") if fix is None else Text(
            f"{', '.join(fix.invalidation.samples)} (record #{fix.seq} by {fix.reviewer}, "
            f"{fix.created_at[:16]}: {fix.reason})")
        table.add_row(str(run.revision), Text(run.id),
                      Text(f"{run.ingested_at:%Y-%m-%d %H:%M} by {run.ingested_by}"),
                      run.log_sha256[:16], status, invalidated)
    console.print(table)


def run_rows(evidence: list[RunEvidence]) -> list[dict[str, Any]]:
    """One JSON-ready row per run: its headline score (stderr, n) and its elicitation."""
    from registry.elicitation import Elicitation

    rows = []
    for item in evidence:
        run = item.run
        headline = json.loads(run.metadata_json or "{}").get(HEADLINE_METRIC_KEY)
        score = next((s for s in item.scores if s.metric == headline),
                     item.scores[0] if item.scores else None)
        elicitation = Elicitation.from_json(run.elicitation_json or "")
        rows.append({"run": run.id, "model_version": run.model_version_id, "task": run.task,
                     "metric": score.metric if score else None,
                     "value": finite(score.value) if score else None,
                     "stderr": finite(score.stderr) if score else None,
                     "n": score.n if score else None, "completed_at": run.completed_at,
                     "elicitation": json.loads(elicitation.to_json()),
                     "elicitation_summary": elicitation.summary()})
    return rows


def print_runs(console: Console, rows: list[dict[str, Any]]) -> None:
    """The runs as a table; every string from a log is shown as plain text."""
    if not rows:
        console.print("No runs. Run [bold]rsp eval run[/] or [bold]rsp ingest LOGS[/] first.")
        return
    table = Table(title="Runs and how they were elicited", title_justify="left")
    for column in ("run", "version", "task", "score", "elicitation"):
        table.add_column(column, overflow="fold")
    for row in rows:
        score = ("—" if row["metric"] is None else
                 f"{row['metric']} {num(row['value'])} ± {num(row['stderr'])} (n={row['n']})")
        table.add_row(Text(row["run"]), Text(row["model_version"]), Text(row["task"]),
                      Text(score), Text(row["elicitation_summary"]))
    console.print(table)


def print_policy_changes(console: Console, old: Path, new: Path, versions: int,
                         changes: list[PolicyChange]) -> None:
    """`rsp policy diff` for people: one row per determination that would change."""
    if not changes:
        console.print(f"No determination of the {versions} version(s) would change from {old} "
                      f"to {new}.")
        return
    table = Table(title=f"{len(changes)} determination(s) of {versions} version(s) would "
                        "change")
    for header in ("version", "determination", str(old), str(new)):
        table.add_column(header, overflow="fold")
    for c in changes:
        table.add_row(c.version, c.subject, c.before or "(not in this policy)",
                      c.after or "(not in this policy)")
    console.print(table)


def reading_json(r: PolicyReading) -> dict[str, Any]:
    return {"policy": r.policy, "policy_sha256": r.policy_sha256,
            "required_tier": r.required_tier, "ruled_in_tier": r.ruled_in_tier,
            "not_ruled_out_tier": r.not_ruled_out_tier,
            "evidence_complete": r.evidence_complete, "summary": r.summary,
            "safeguards": [{"safeguard": s, "why": why} for s, why in r.safeguards],
            "signoff_roles": r.signoff_roles}


def print_crosswalk(console: Console, version_id: str, readings: list[PolicyReading]) -> None:
    """One version under several policies: a row per policy, then each one's summary."""
    table = Table(title=f"{version_id} under {len(readings)} policies")
    for header in ("policy", "requires", "evidence", "required next"):
        table.add_column(header, overflow="fold")
    for r in readings:
        needs = ", ".join(s for s, _ in r.safeguards) or "no safeguards"
        table.add_row(r.policy, r.required_tier,
                      "complete" if r.evidence_complete else "[yellow]incomplete[/]",
                      f"{needs}; sign-off by {', '.join(r.signoff_roles)}")
    console.print(table)
    for r in readings:
        console.print(f"[bold]{escape(r.policy)}[/]: {escape(r.summary)}")
