"""The capability report for a model version, as Markdown (and HTML from it). Pure.

Modelled on the Capability Reports responsible scaling policies ask for: the determination per
domain with its evidence, the trend across the line's versions, the release checklist, the
sign-offs, and the hashes that let anyone reproduce the decision from the registry and logs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from markdown_it import MarkdownIt

from registry.assess import Assessment
from registry.checklist import Checklist
from registry.corrections import Correction
from registry.elicitation import Elicitation
from registry.formatting import interval, num
from registry.policy import Policy
from registry.reassessment import AssessmentDue
from registry.schema import EvalRun
from registry.signoff import Head, Record, head_advice
from registry.tiers import VERDICT_LABELS, describe_version


@dataclass(frozen=True)
class ReportData:
    policy: Policy
    assessment: Assessment
    line_history: list[Assessment]  # the model line's versions, oldest first
    runs: list[EvalRun]
    checklist: Checklist
    signoffs: list[Record]
    chain_status: str
    evidence_sha256: str
    generated_at: datetime
    due: AssessmentDue
    chain_head: Head | None = None  # only when the chain verified: a head worth keeping
    superseded: list[EvalRun] = field(default_factory=list)  # earlier revisions, kept
    invalidations: list[Correction] = field(default_factory=list)


def _cell(text: object) -> str:
    """A table cell: pipes and newlines would break the table; markup is escaped in HTML."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def render_markdown(data: ReportData) -> str:
    det = data.assessment.determination
    version = data.assessment.version
    runs = {r.id: r for r in data.runs}
    verdict = "**Releasable**" if data.checklist.releasable else \
        f"**Not releasable**: {len(data.checklist.blocking)} checklist item(s) open"
    out = [
        f"# Capability report: {version.id}",
        "",
        f"Policy **{data.policy.policy.name} {data.policy.policy.version}** · generated "
        f"{data.generated_at:%Y-%m-%d %H:%M} UTC",
        "",
        "## Summary",
        "",
        f"- Required tier: **{det.required_tier}**"
        + ("" if det.evidence_complete else " on incomplete evidence, not a basis for release"),
        f"- Determination: {describe_version(data.policy, det)}",
        f"- Evidence: {'complete' if det.evidence_complete else '**incomplete**'} (every "
        "required indicator run on at least its minimum number of samples)",
        f"- Re-assessment: {data.due.describe()}",
        f"- Release decision: {verdict}",
        f"- Model: `{version.provider_model}`; effective compute "
        f"{version.effective_compute or '—'}; release date {version.release_date or '—'}",
        f"- Indicators evaluated: {sum(i.evaluated for i in det.indicators)} "
        f"of {len(det.indicators)}",
        "",
        "## Determinations by domain",
        "",
        f"Intervals are {data.policy.evaluation.confidence_level:.0%} confidence intervals; "
        "a tier is ruled in only when the whole interval is past its rule-in threshold.",
        "",
    ]
    for dom in det.domains:
        out += [f"### {dom.name}: {dom.tier or 'not evaluated'}", ""]
        rows: list[list[object]] = []
        for ind in dom.indicators:
            run = runs.get(ind.run_id) if ind.run_id is not None else None
            rows.append([ind.indicator, ind.metric, num(ind.value),
                         interval(ind.ci_low, ind.ci_high, "{}–{}"),
                         ind.n, ind.tier or "—", VERDICT_LABELS[ind.verdict],
                         "yes" if ind.alert else "",
                         f"{run.task} v{run.task_version}" if run else ind.task,
                         f"{run.id} ({run.log_location})" if run else "—"])
        out += _table(["indicator", "metric", "value", "CI", "n", "tier", "verdict", "alert",
                       "task", "run (log)"], rows)
    out += _elicitation(data)
    out += ["## Trends across the model line", ""]
    keys = [(i.domain, i.indicator) for i in det.indicators if i.estimate]
    header = ["version", "effective compute", "release date", "required tier"] + \
        [f"{d}/{i}" for d, i in keys]
    rows = []
    for item in data.line_history:
        by_key = {(i.domain, i.indicator): i.value for i in item.determination.indicators}
        row: list[object] = [item.version.label, item.version.effective_compute or "—",
                             item.version.release_date or "—", item.determination.required_tier]
        rows.append(row + [num(by_key[k]) for k in keys])
    out += _table(header, rows)
    out += ["## Release checklist", ""]
    out += _table(["item", "status", "detail"],
                  [[i.name, i.status, i.detail] for i in data.checklist.items])
    out += ["## Sign-offs", "", f"Chain: {data.chain_status}", ""]
    if data.chain_head is not None:
        advice = head_advice(data.chain_head)
        out += [advice[0].upper() + advice[1:], ""]
    out += _table(["#", "kind", "subject", "reviewer", "statement", "signed at", "record hash"],
                  [[r.seq, r.kind, r.subject, r.reviewer, r.text, r.created_at,
                    r.record_hash[:16]] for r in data.signoffs]) if data.signoffs else \
        ["No sign-off records for this version.", ""]
    out += _corrections(data)
    out += ["## Reproducibility", "",
            f"- Policy sha256: `{data.policy.sha256}`",
            "- Evidence sha256 (policy; per indicator its run, log hash, value, stderr and n): "
            f"`{data.evidence_sha256}`", ""]
    out += _table(["run", "task", "inspect", "git revision", "log sha256"],
                  [[r.id, r.task, r.inspect_version, r.git_revision or "—", r.log_sha256]
                   for r in data.runs])
    return "\n".join(out)


# the fields of a run's elicitation the report shows (Elicitation.shown's names)
ELICITATION_COLUMNS = ["epochs", "reducer", "tools", "message limit", "token limit",
                       "time limit", "temperature", "system prompt", "grader"]
# what would make log-derived text active in the HTML: links, images, autolinks, code spans
_MARKDOWN_ACTIVE = re.compile(r"([\\`\[\]<>])")


def _inert(text: str) -> str:
    """Text read from a log, with the Markdown that would turn it into a link, an image or
    code escaped, so that it renders as the characters it is."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", text)


def _elicitation(data: ReportData) -> list[str]:
    """How each indicator's run was elicited, against the policy's minimum for it."""
    det = data.assessment.determination
    out = ["## How each indicator was elicited", "",
           "A run counts as evidence only when it meets its indicator's elicitation minimum; a "
           "field its log does not record is unknown, and unknown never meets a minimum.", ""]
    rows: list[list[object]] = []
    not_run = []
    for ind in det.indicators:
        key = f"{ind.domain}/{ind.indicator}"
        if ind.estimate is None:
            not_run.append(key)
            continue
        minimum = data.policy.indicator(key).elicitation
        shown = (ind.estimate.elicitation or Elicitation()).shown()
        if minimum is None:
            meets = "no minimum"
        elif ind.elicitation_gaps:
            meets = "no: " + "; ".join(_inert(g) for g in ind.elicitation_gaps)
        else:
            meets = "yes"
        rows.append([key, _inert(ind.estimate.run_id), minimum.describe() if minimum else "none",
                     *(_inert(shown[c]) for c in ELICITATION_COLUMNS), meets])
    if rows:
        out += _table(["indicator", "run", "policy minimum", *ELICITATION_COLUMNS,
                       "meets minimum"], rows)
    else:
        out += ["No indicator has a run.", ""]
    if not_run and rows:
        out += [f"Not run: {', '.join(not_run)}.", ""]
    return out


def _corrections(data: ReportData) -> list[str]:
    """Every correction of this version's evidence: superseded runs and invalidated samples."""
    out = ["## Corrections", ""]
    if not data.superseded and not data.invalidations:
        return [*out, "None: no run of this version was superseded, and no sample was "
                "invalidated.", ""]
    if data.superseded:
        out += ["Runs superseded by a later log of the same eval (kept, no longer used):", ""]
        out += _table(["run", "task", "revision", "superseded by", "at", "log sha256"],
                      [[r.id, r.task, r.revision, r.superseded_by, r.superseded_at,
                        r.log_sha256] for r in data.superseded])
    if data.invalidations:
        out += ["Samples invalidated by signed records (decisions exclude them):", ""]
        out += _table(["record", "run", "samples", "reviewer", "signed at", "reason"],
                      [[f"#{c.seq}", c.invalidation.run_id, ", ".join(c.invalidation.samples),
                        c.reviewer, c.created_at, c.reason] for c in data.invalidations])
    return out


def render_html(markdown: str, title: str) -> str:
    """The Markdown report as a standalone HTML page; raw HTML in the text stays escaped."""
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    style = ("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;"
             "padding:0 1rem;color:#222}table{border-collapse:collapse;margin:1rem 0;"
             "font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}"
             "th{background:#f3f3f3}code{background:#f3f3f3;padding:0 .2rem}")
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            f"{html.escape(title)}</title><style>{style}</style></head><body>{body}</body>"
            "</html>")
