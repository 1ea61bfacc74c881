"""What `rsp policy validate` and `rsp plan` show: whether the shipped tasks can decide the
policy's thresholds, and how many samples would decide each indicator of a version."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from registry.decidability import DecidabilityReport, PlanItem, SizeCheck
from registry.elicitation import MinimumCheck
from registry.formatting import num
from registry.policy import Policy
from rsp.output import VERDICT_STYLE, finite


def _check_row(check: SizeCheck) -> dict[str, Any]:
    return {"domain": check.domain, "indicator": check.indicator, "task": check.task,
            "tier": check.tier, "check": check.check, "threshold": check.threshold,
            "result": check.result(), "size": check.size, "needed": check.needed,
            "min_samples": check.min_samples, "decidable": check.decidable,
            "blocking": check.blocking,
            "fix": check.fix or None}


def decidability_json(policy: Policy, report: DecidabilityReport) -> dict[str, Any]:
    """The decidability report as JSON: findings (checks that fail), every check, and the
    indicators that could not be checked before a run."""
    level = policy.evaluation.confidence_level
    return {
        "policy": policy.policy.name, "version": policy.policy.version,
        "policy_sha256": policy.sha256, "confidence_level": level,
        "findings": [{**_check_row(c), "message": c.describe(level)} for c in report.findings],
        "checks": [_check_row(c) for c in report.checks],
        "not_checked": [{"domain": n.domain, "indicator": n.indicator, "task": n.task,
                         "reason": n.reason} for n in report.not_checked],
    }


def print_decidability(console: Console, policy: Policy, report: DecidabilityReport,
                       strict: bool) -> None:
    """One row per check (size shipped against size needed), then the indicators not checked,
    then the verdict: warnings, or errors under `strict`."""
    level = policy.evaluation.confidence_level
    table = Table(title=f"Can the shipped tasks decide the thresholds? ({level:.0%} intervals)",
                  caption="rule out: can a result with no risk rule out the lowest tier? "
                          "rule in: can a result of all risk rule in the highest?",
                  title_justify="left", caption_justify="left", pad_edge=False)
    for column in ("indicator", "tier", "check", "shipped", "needed", "fix"):
        numeric = column in ("shipped", "needed")
        # "rule out" over its threshold, so that the names get the width
        table.add_column(column, justify="right" if numeric else "left", no_wrap=numeric,
                         overflow="fold", max_width=9 if column == "check" else None)
    bad = "bold red" if strict else "yellow"
    for c in report.checks:
        # the cell names the size; the sentence after the table gives the whole fix
        short = "no size can" if c.needed is None else f"grow to {c.needed} items"
        fix = "[green]ok[/]" if c.decidable else f"[{bad}]{short}[/]"
        table.add_row(f"{c.domain}/\n{c.indicator}", c.tier, f"{c.check} {c.threshold}",
                      str(c.size), "none" if c.needed is None else str(c.needed), fix)
    console.print(table)
    if report.not_checked:
        skipped = Table(title="Not checked before a run", title_justify="left",
                        caption="`rsp plan MODEL@VERSION` sizes these from a run's estimate.",
                        caption_justify="left", pad_edge=False)
        for column in ("indicator", "task", "why"):
            skipped.add_column(column, overflow="fold",
                               min_width=18 if column == "indicator" else None)
        for n in report.not_checked:
            skipped.add_row(f"{n.domain}/\n{n.indicator}", n.task, n.reason)
        console.print(skipped)
    for finding in report.findings:
        label = "[bold red]error:[/]" if strict and finding.blocking else "[yellow]warning:[/]"
        note = "" if finding.blocking else (" A perfect score then leaves the tier "
                                            "undecided, which never reads as below it: this can "
                                            "only over-state the risk, so it does not fail "
                                            "--strict.")
        console.print(f"{label} {finding.describe(level)}{note}", highlight=False)
    if not report.findings:
        console.print(f"[green]ok[/] every checked threshold can be decided at its task's "
                      f"shipped size ({len(report.checks)} checks).")


def _plan_row(item: PlanItem) -> dict[str, Any]:
    ind = item.determination
    need = item.samples
    return {
        "domain": ind.domain, "indicator": ind.indicator, "task": ind.task,
        "metric": ind.metric, "required": ind.required, "status": item.status,
        "verdict": ind.verdict, "value": finite(ind.value), "stderr": finite(ind.stderr),
        "n": ind.n,
        "ci_low": finite(ind.ci_low), "ci_high": finite(ind.ci_high),
        "min_samples": ind.min_samples, "interval": item.interval, "shipped_size": item.size,
        "samples_needed": need.needed if need else None,
        "reason": need.reason if need else None,
        "tiers": [{"tier": t.tier, "needed": t.needed, "reason": t.reason}
                  for t in need.tiers] if need else [],
        "to_decide_when_run": [_check_row(c) for c in item.extremes],
        "elicitation_minimum": item.elicitation.describe() if item.elicitation else None,
        "elicitation_gaps": list(ind.elicitation_gaps),
    }


def plan_json(policy: Policy, version_id: str, items: list[PlanItem]) -> dict[str, Any]:
    """The plan of one version as JSON, one row per indicator."""
    return {"version": version_id, "policy": policy.policy.name,
            "policy_version": policy.policy.version, "policy_sha256": policy.sha256,
            "confidence_level": policy.evaluation.confidence_level,
            "indicators": [_plan_row(item) for item in items]}


def _plan_cells(item: PlanItem) -> tuple[str, str]:
    """The "to decide" cell and the reason behind it."""
    need = item.samples
    if item.status == "decided":
        return "[green]decided[/]", ""
    if item.status == "under_elicited":
        minimum = item.elicitation.describe() if item.elicitation else "the policy's minimum"
        return (f"rerun {item.determination.task}",
                f"under-elicited ({escape('; '.join(item.determination.elicitation_gaps))}); "
                f"a run counts with {minimum}")
    if need is not None:
        if need.needed is None:
            return "[bold red]no number can[/]", need.reason
        return f"[bold]{need.needed}[/] samples", need.reason
    size = "size unknown" if item.size is None else f"ships {item.size} items"
    if not item.extremes:
        return (f"run {item.determination.task}",
                f"{size}; interval: normal, so the samples it needs follow from a run's spread")
    needs = "; ".join(
        c.summary() + ("" if c.size is None or c.decidable else " [yellow](more than it ships)[/]")
        for c in item.extremes)
    return f"run {item.determination.task}", f"{size}; {needs}"


def print_plan(console: Console, policy: Policy, version_id: str, items: list[PlanItem]) -> None:
    """Per indicator: verdict, estimate and n, and what would decide it."""
    table = Table(title=f"Plan for {version_id} under {policy.policy.name} "
                        f"{policy.policy.version}", title_justify="left", pad_edge=False)
    for column in ("indicator", "verdict", "value", "n", "to decide"):
        numeric = column in ("value", "n")
        table.add_column(column, justify="right" if numeric else "left", no_wrap=numeric,
                         overflow="fold", max_width={"verdict": 13, "indicator": 22}.get(column),
                         ratio={"indicator": 1, "to decide": 2}.get(column))
    for item in items:
        ind = item.determination
        headline, why = _plan_cells(item)
        table.add_row(f"{ind.domain}/\n{ind.indicator}",
                      f"[{VERDICT_STYLE[ind.verdict]}]{ind.verdict}[/]",
                      num(ind.value), str(ind.n),
                      f"{headline}\n[dim]{why}[/]" if why else headline)
    console.print(table)
    counts = {s: sum(1 for i in items if i.status == s)
              for s in ("decided", "undecided", "under_elicited", "not_evaluated")}
    weak = (f"{counts['under_elicited']} under-elicited, " if counts["under_elicited"] else "")
    console.print(f"{counts['decided']} decided, {counts['undecided']} undecided, {weak}"
                  f"{counts['not_evaluated']} not evaluated.", highlight=False)


def elicitation_checks_json(checks: list[MinimumCheck]) -> list[dict[str, Any]]:
    """Each elicitation minimum against this project's defaults, as JSON."""
    return [{"indicator": c.indicator, "task": c.task, "minimum": c.minimum.describe(),
             "checked": c.shortfalls is not None, "met": c.met, "shortfalls": c.shortfalls}
            for c in checks]


def print_elicitation_checks(console: Console, checks: list[MinimumCheck], strict: bool) -> None:
    """Whether `rsp eval run`'s defaults meet each indicator's elicitation minimum: a minimum
    they miss would leave the indicator not evaluated whatever the model does."""
    if not checks:
        return
    table = Table(title="Do rsp eval run's defaults meet the elicitation minimums?",
                  title_justify="left", pad_edge=False)
    for column in ("indicator", "minimum", "defaults"):
        table.add_column(column)
    for c in checks:
        verdict = ("[dim]not checked: the task is not shipped here[/]" if c.shortfalls is None
                   else "[green]ok[/]" if c.met else f"[red]{escape('; '.join(c.shortfalls))}[/]")
        table.add_row(c.indicator.replace("/", "/\n"), c.minimum.describe(), verdict)
    console.print(table)
    label = "[bold red]error:[/]" if strict else "[yellow]warning:[/]"
    for c in checks:
        if c.shortfalls:
            console.print(f"{label} {c.indicator}: a run of {c.task} with rsp eval run's "
                          f"defaults falls short of its elicitation minimum "
                          f"({'; '.join(c.shortfalls)}), so it could never count as evidence. "
                          "Fix: lower the minimum, or raise the task's defaults.",
                          highlight=False)
