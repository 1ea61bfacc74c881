"""The capability report for a model version, as Markdown, and HTML and PDF from it. Pure.

Modelled on the Capability Reports responsible scaling policies ask for: a one-page summary a
board can sign (the decision, the required tier, what is missing, what changed since the
previous version), then the determination per domain with its evidence, the trend across the
line's versions, the release checklist, the sign-offs, and the hashes that let anyone reproduce
the decision from the registry and logs.

The report carries its own sha256: over its canonical content, the Markdown without the two
stamped lines (the hash itself and the generation time). Everything hashed comes from the
registry, the policy and the reviewers file, so rendering the same registry again gives the
same hash, which is how a signed copy is matched to the registry (`rsp report --check`). The
one input besides those is the date: the checklist's freshness of runs and the re-assessment
rule read the clock, so a copy also stops matching once a run ages past the policy's window.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from registry.assess import Assessment
from registry.checklist import Checklist
from registry.corrections import Correction
from registry.determination_changes import indicator_changes
from registry.elicitation import Elicitation
from registry.errors import RspError
from registry.formatting import interval, num
from registry.policy import Policy
from registry.reassessment import AssessmentDue
from registry.schema import EvalRun
from registry.signoff import Head, Record, head_advice
from registry.tiers import VERDICT_LABELS, IndicatorDetermination, describe_version

if TYPE_CHECKING:
    from markdown_it.token import Token

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


# The two lines stamped onto the report that its hash does not cover (the hash cannot cover
# itself; the time differs at every rendering). `canonical_markdown` strips exactly these.
HASH_LABEL = "Report sha256: "
GENERATED_LABEL = "Generated: "


@dataclass(frozen=True)
class RenderedReport:
    """The report as Markdown, and the sha256 of its canonical content."""

    markdown: str
    sha256: str
    title: str


def render_report(data: ReportData) -> RenderedReport:
    """The report on `data`: its canonical body, stamped with its own hash and the time it
    was generated at the top of the summary."""
    body = report_body(data)
    digest = report_sha256(body)
    lines = body.split("\n")
    at = lines.index("## Summary") + 2  # the first "## Summary": the title holds no newline
    stamp = [f"{HASH_LABEL}`{digest}`", "",
             f"{GENERATED_LABEL}{data.generated_at:%Y-%m-%d %H:%M} UTC (this line and the one "
             "above are outside the hashed content)", ""]
    return RenderedReport("\n".join(lines[:at] + stamp + lines[at:]), digest,
                          f"Capability report: {_title(data)}")


def render_markdown(data: ReportData) -> str:
    """The report as Markdown, with its hash and generation time stamped on it."""
    return render_report(data).markdown


def report_sha256(body: str) -> str:
    """The hash printed on a report: sha256 of its canonical Markdown, UTF-8."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def canonical_markdown(markdown: str) -> str:
    """A rendered report's hashed content: the Markdown without its hash and generation lines
    (and the blank line after each), so `report_sha256(canonical_markdown(copy))` re-derives
    the hash printed on a Markdown copy. Only the first of each counts: they come before any
    text read from a log, so a log cannot forge one."""
    lines = markdown.split("\n")
    for label in (HASH_LABEL, GENERATED_LABEL):
        at = next((i for i, line in enumerate(lines) if line.startswith(label)), None)
        if at is not None:
            del lines[at:at + 2]
    return "\n".join(lines)


SHA256 = re.compile(r"[0-9a-f]{64}")


def parse_sha256(text: str) -> str:
    """A hash as someone copied it off a report: 64 hex digits, in either case, maybe with a
    `sha256:` prefix or backticks; raises RspError naming the fix for anything else."""
    digest = text.strip().strip("`").lower().removeprefix("sha256:").strip()
    if not SHA256.fullmatch(digest):
        raise RspError(f"'{text}' is not a report sha256. Fix: pass the 64 hex digits printed "
                       f"after '{HASH_LABEL.strip()}' on the report.")
    return digest


def _title(data: ReportData) -> str:
    # one line, whatever the id holds: the stamp goes after the first "## Summary" line
    return " ".join(data.assessment.version.id.split())


def report_body(data: ReportData) -> str:
    """The report's canonical Markdown: the summary, then the detail sections. Everything in
    it comes from `data` but the generation time, which `render_report` stamps on outside."""
    det = data.assessment.determination
    runs = {r.id: r for r in data.runs}
    out = [
        f"# Capability report: {_title(data)}",
        "",
        f"Policy **{data.policy.policy.name} {data.policy.policy.version}**",
        "",
        *_summary(data),
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
            f"`{data.evidence_sha256}`",
            f"- Report sha256: the sha256 of this report's Markdown without its "
            f"'{HASH_LABEL.strip()}' and '{GENERATED_LABEL.strip()}' lines; `rsp report "
            f"{_title(data)} --check HASH` re-renders it from the registry and compares.", ""]
    out += _table(["run", "task", "inspect", "git revision", "log sha256"],
                  [[r.id, r.task, r.inspect_version, r.git_revision or "—", r.log_sha256]
                   for r in data.runs])
    return "\n".join(out)


def _summary(data: ReportData) -> list[str]:
    """The page a board reads first: the decision, the tier, what is missing and what
    changed since the previous version of the line."""
    det = data.assessment.determination
    version = data.assessment.version
    items = data.checklist.items
    blocking = data.checklist.blocking
    if data.checklist.releasable:
        verdict = f"**Releasable**: all {len(items)} checklist items pass"
    else:
        failing = sum(i.status == "fail" for i in blocking)
        verdict = (f"**Not releasable**: {len(blocking)} of {len(items)} checklist items "
                   f"open ({failing} failing, {len(blocking) - failing} pending)")
    return [
        "## Summary",
        "",
        f"- Release decision: {verdict}",
        f"- Required tier: **{det.required_tier}**"
        + ("" if det.evidence_complete else " on incomplete evidence, not a basis for release"),
        f"- Determination: {describe_version(data.policy, det)}",
        f"- Evidence: {'complete' if det.evidence_complete else '**incomplete**'} (every "
        "required indicator run on at least its minimum number of samples)",
        f"- Re-assessment: {data.due.describe()}",
        f"- Model: `{version.provider_model}`; effective compute "
        f"{version.effective_compute or '—'}; release date {version.release_date or '—'}",
        f"- Indicators evaluated: {sum(i.evaluated for i in det.indicators)} "
        f"of {len(det.indicators)}",
        "",
        *_missing(data),
        *_changes(data),
    ]


def _names(data: ReportData, inds: list[IndicatorDetermination]) -> str:
    """Indicator names, a domain's id standing for all of its required indicators at once
    (as the determination line names them), so the summary stays short."""
    names = []
    for domain in data.assessment.determination.domains:
        listed = [i for i in inds if i.domain == domain.domain]
        if listed and len(listed) == sum(i.required for i in domain.indicators):
            names.append(f"{domain.domain} (all {len(listed)})" if len(listed) > 1
                         else f"{domain.domain}/{listed[0].indicator}")
        else:
            names += [f"{i.domain}/{i.indicator}" for i in listed]
    return ", ".join(names)


def _missing(data: ReportData) -> list[str]:
    """What stands between this version and a complete, releasable determination."""
    det = data.assessment.determination
    absent = [i for i in det.missing if i.verdict == "not_evaluated"]
    weak = [i for i in det.missing if i.verdict == "under_elicited"]
    lines = []
    if absent:
        lines.append(f"- Required indicators not evaluated ({len(absent)}): "
                     f"{_names(data, absent)}")
    if weak:
        gaps = [f"{i.domain}/{i.indicator} ({_inert('; '.join(i.elicitation_gaps))})"
                for i in weak]
        lines.append(f"- Under-elicited, so not evidence ({len(weak)}): {'; '.join(gaps)}")
    if det.thin:
        lines.append(f"- Too few samples ({len(det.thin)}): " + ", ".join(
            f"{i.domain}/{i.indicator} n={i.n} < {i.min_samples}" for i in det.thin))
    for status, label in (("fail", "failing"), ("pending", "pending")):
        if open_items := [i.name for i in data.checklist.blocking if i.status == status]:
            lines.append(f"- Checklist items {label} ({len(open_items)}): "
                         + "; ".join(open_items))
    if not lines:
        lines = ["- Nothing: every required indicator is evaluated on enough samples and every "
                 "checklist item passes."]
    return ["### What is missing", "", *lines, ""]


def _changes(data: ReportData) -> list[str]:
    """Tier, verdict and alert changes since the version recorded before this one."""
    version = data.assessment.version
    ids = [a.version.id for a in data.line_history]
    at = ids.index(version.id) if version.id in ids else len(ids)
    if at == 0 or not data.line_history:
        return ["### Changes since the previous version", "",
                f"No previous version: {_title(data)} is the first version of model line "
                f"{version.model_line} in the registry, so there is nothing to compare with.", ""]
    previous = data.line_history[at - 1]
    before, after = previous.determination, data.assessment.determination
    out = [f"### Changes since {previous.version.id}", ""]
    tier = (f"{before.required_tier} → {after.required_tier}"
            if before.required_tier != after.required_tier
            else f"{after.required_tier} (unchanged)")
    words = ["incomplete", "complete"]
    evidence = (f"{words[before.evidence_complete]} → {words[after.evidence_complete]}"
                if before.evidence_complete != after.evidence_complete
                else f"{words[after.evidence_complete]} (unchanged)")
    out += [f"- Required tier: {tier}", f"- Evidence: {evidence}", ""]
    changes = indicator_changes(before, after)
    if not changes:
        return [*out, "No indicator changed tier, verdict or alert.", ""]
    return out + _table(["indicator", "value", "tier", "verdict", "alert"], [
        [c.key, f"{num(c.before.value)} → {num(c.after.value)}",
         f"{c.before.tier or '—'} → {c.after.tier or '—'}",
         f"{VERDICT_LABELS[c.before.verdict]} → {VERDICT_LABELS[c.after.verdict]}",
         f"{'yes' if c.before.alert else 'no'} → {'yes' if c.after.alert else 'no'}"]
        for c in changes])


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


# How a table's width is shared among its columns, in characters of a detail table's font: about
# what an A4 page's width holds. A column gets its longest word (up to WORD_CHARS, so a log path
# wraps rather than claiming the page) and, while the line has room, up to its longest cell.
LINE_CHARS = 125
WORD_CHARS = 12
CELL_CHARS = 80
PAD_CHARS = 3  # a cell's padding and border, and digits being wider than the average
_STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-left { content: FOOTER; font: 6.5pt monospace; color: #555 }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font: 7pt sans-serif;
    color: #555 } }
html { color: #222; font-family: system-ui, sans-serif }
body { max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.35;
  overflow-wrap: anywhere }
table { border-collapse: collapse; margin: .6rem 0; width: 100%; table-layout: fixed;
  font-size: .8rem }
.details table { font-size: .75rem }
td, th { border: 1px solid #ccc; padding: .25em .4em; text-align: left; vertical-align: top;
  box-sizing: border-box; overflow-wrap: anywhere }
th { background: #f3f3f3 }
code { background: #f3f3f3; padding: 0 .2rem }
.details { break-before: page }
h2, h3 { break-after: avoid }
tr { break-inside: avoid }
@media print { body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt }
  .details table { font-size: 7.5pt }
  .details table.dense { font-size: 6.5pt; font-stretch: condensed } }
"""


def render_html(markdown: str, title: str, sha256: str | None = None) -> str:
    """The Markdown report as a standalone HTML page, laid out to print: the summary alone on
    the first page, tables as wide as the page (long tokens wrap inside their cells), A4 pages
    numbered in the footer, which also carries the report's `sha256` when given. Raw HTML in
    the text stays escaped."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(markdown)
    _size_columns(tokens)
    body = md.renderer.render(tokens, md.options, {})
    # the summary is everything before the second section heading (the first is its own)
    second = body.find("<h2>", body.find("<h2>") + 1)
    if second != -1:
        body = (f'<section class="summary">{body[:second]}</section>'
                f'<section class="details">{body[second:]}</section>')
    footer = _css_string(f"{title} · report sha256 {sha256}" if sha256 else title)
    style = _STYLE.replace("FOOTER", footer)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            f"{html.escape(title)}</title><style>{style}</style></head><body>{body}</body>"
            "</html>")


def _size_columns(tokens: list[Token]) -> None:
    """Give each table's header cells a width (see LINE_CHARS): with a fixed table layout these
    are the column widths, so no content can push a table past the page, and the columns
    still suit what they hold."""
    columns: list[list[str]] = []
    header: list[Token] = []
    table: Token | None = None
    column = 0
    for at, cell in enumerate(tokens):
        if cell.type == "table_open":
            columns, header, table = [], [], cell
        elif cell.type == "tr_open":
            column = 0
        elif cell.type in ("th_open", "td_open"):
            if cell.type == "th_open":
                header.append(cell)
                columns.append([])
            if column < len(columns):  # a cell's content is the inline token after it
                columns[column].append(tokens[at + 1].content)
            column += 1
        elif cell.type == "table_close" and table is not None:
            shares, dense = _shares(columns)
            for th, share in zip(header, shares, strict=True):
                th.attrSet("style", f"width:{share:.2%}")
            if dense:  # its words would not fit whole: a smaller font rather than split words
                table.attrSet("class", "dense")


def _shares(columns: list[list[str]]) -> tuple[list[float], bool]:
    """Each column's share of the table's width, from the texts in it, and whether even the
    columns' longest words overfill a line."""
    least = [min(max((len(w) for t in texts for w in t.split()), default=1), WORD_CHARS)
             + PAD_CHARS for texts in columns]
    most = [max(low, min(max(map(len, texts)), CELL_CHARS) + PAD_CHARS)
            for low, texts in zip(least, columns, strict=True)]
    room, wish = LINE_CHARS - sum(least), sum(most) - sum(least)
    if wish <= room:
        widths = [float(m) for m in most]
    elif room <= 0:
        widths = [float(low) for low in least]
    else:  # each column grows toward its longest cell by the same fraction of the way
        widths = [low + (high - low) * room / wish
                  for low, high in zip(least, most, strict=True)]
    return [w / sum(widths) for w in widths], room < 0


def _css_string(text: str) -> str:
    """`text` as a CSS string literal; anything but plain characters as a CSS escape, so no
    title can close the string, or the style element."""
    return '"' + "".join(c if c.isalnum() or c in " .,:@-_·" else f"\\{ord(c):x} "
                         for c in text) + '"'


PDF_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


def render_pdf(page: str) -> bytes:
    """The HTML report `page` as PDF, laid out by WeasyPrint, which fetches nothing (a URL in
    text read from a log stays text). Raises RspError naming the fix when WeasyPrint or the
    system libraries it loads are missing."""
    try:
        # here, not at the top: WeasyPrint loads Pango, which only a PDF needs
        from weasyprint import HTML
    except OSError as exc:  # the Python package is there, its C libraries are not
        raise RspError(f"PDF output needs the Pango libraries WeasyPrint loads, and they did "
                       f"not load ({exc}). Fix: sudo apt-get install {PDF_PACKAGES} (Debian/"
                       "Ubuntu), or write --format html and print that.") from None
    except ImportError as exc:
        raise RspError(f"PDF output needs WeasyPrint ({exc}). Fix: pip install weasyprint, "
                       "or write --format html and print that.") from None
    pdf = HTML(string=page, url_fetcher=_fetch_nothing).write_pdf()
    assert pdf is not None  # write_pdf with no target returns the bytes
    return pdf


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError(f"the report loads no resources ({url})")
