"""`rsp`: run eval suites, ingest Inspect logs, and read tiers under the policy.

Exit codes are for CI: 0 ok, 1 a gate that did not pass, 2 any error (bad input, unknown
model, malformed policy, unreadable log).

Every command imports what it uses inside its own function: at start-up only Typer, Rich and
the light modules are loaded (no Inspect, pandas, SQLAlchemy or even the policy model), so
`rsp --help` and a CI gate do not pay for what eval runs and ingest need
(tests/test_cli_imports.py pins it; bench/cli_startup.py times it).
"""

from __future__ import annotations

import atexit
import gc
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from registry.policy_path import DEFAULT_POLICY_PATH
from rsp import output
from rsp.common import (
    Commands,
    DbOption,
    JsonOption,
    PolicyOption,
    console,
    errors,
    fail,
    imported_out_of_gc,
    registry_session,
)
from rsp.signoff_cli import DEFAULT_REVIEWERS, ReviewersOption, signoff_checklist
from rsp.signoff_cli import app as signoff_app

if TYPE_CHECKING:
    from registry.policy import Policy

# The interpreter's teardown otherwise walks the whole heap in its final garbage collections:
# about 0.5 s after an eval run's 300,000 objects. Registered before Inspect, the model servers
# and the registry register their exit hooks, so it runs after them. Frozen objects are still
# freed (and files closed) by reference counting.
atexit.register(gc.freeze)

app = typer.Typer(
    name="rsp",
    cls=Commands,
    help="Responsible-scaling evaluation registry: run Inspect eval suites, record the results, "
         "and decide each model version's risk tier under policies/asl.yaml.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Run eval suites through Inspect and record the results.",
                       no_args_is_help=True)
policy_app = typer.Typer(help="Check and inspect the policy file.", no_args_is_help=True)
export_app = typer.Typer(help="Export the registry for other tools (DuckDB, pandas, Spark).",
                         no_args_is_help=True)
model_app = typer.Typer(help="Model lines and versions: register a checkpoint before its evals "
                             "run, so it can fall due for assessment.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(policy_app, name="policy")
app.add_typer(export_app, name="export")
db_app = typer.Typer(help="The registry database itself: its schema version and upgrades.",
                     no_args_is_help=True)
app.add_typer(model_app, name="model")
app.add_typer(db_app, name="db")
runs_app = typer.Typer(help="Stored runs: the revisions of an eval and their corrections.",
                       no_args_is_help=True)
app.add_typer(runs_app, name="runs")
app.add_typer(signoff_app, name="signoff")


def load_policy(path: Path | str | None = None) -> Policy:
    """registry.policy.load_policy, imported when a command first reads a policy: the policy
    model (pydantic, YAML) is not for `rsp --help`."""
    from registry.policy import load_policy as load

    return load(path)


def _task_args(pairs: list[str]) -> dict[str, Any]:
    """-T KEY=VALUE pairs, typed the way `inspect eval -T` types them (YAML scalars, so
    `flag=false` is False, and comma-separated lists)."""
    from inspect_ai._cli.util import parse_cli_args

    bad = [p for p in pairs if "=" not in p]
    if bad:
        raise fail(f"Task arguments must be KEY=VALUE, got {', '.join(bad)}. Fix: e.g. "
                   "-T epochs=1.")
    return parse_cli_args(pairs)


@eval_app.command("run")
def eval_run(
    model: Annotated[str | None, typer.Option(
        "--model", help="Any Inspect model (openai/gpt-4o, vllm/..., hf/...); default: the "
        "bundled offline SmolLM2-135M-Instruct.")] = None,
    suite: Annotated[list[str] | None, typer.Option(
        "--suite", help="Suite to run (repeatable): sycophancy, situational_awareness, "
        "deception, alignment (those three); cyber, autonomy, cbrn_proxy, "
        "dangerous_capabilities (those three); judging (judge_position_bias, "
        "constitution_graded: needs --grader); red_team; scheming (oversight_subversion, "
        "self_exfiltration, goal_guarding, covert_action: agentic, in a sandbox).")] = None,
    task: Annotated[list[str] | None, typer.Option(
        "--task", help="Single task to run (repeatable), e.g. are_you_sure, mwe.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1,
                                              help="Samples per task (for a quick look).")] = None,
    task_arg: Annotated[list[str] | None, typer.Option(
        "-T", "--task-arg", help="Task argument KEY=VALUE (repeatable), e.g. -T epochs=1 for "
        "the agentic tasks.")] = None,
    dataset: Annotated[str | None, typer.Option(
        "--dataset", help="Dataset file for a single --task (e.g. --task mwe --dataset "
        "FILE.jsonl in the model-written-evals format).")] = None,
    model_version: Annotated[str | None, typer.Option(
        "--model-version", help="Version label to record the results under.")] = None,
    model_line: Annotated[str | None, typer.Option(
        "--model-line", help="Model line name (default: the model string).")] = None,
    effective_compute: Annotated[float | None, typer.Option(
        "--effective-compute", help="Effective training compute of this version (any unit, "
        "used for ratios).")] = None,
    release_date: Annotated[str | None, typer.Option(
        "--release-date", help="Release date of this version, YYYY-MM-DD.")] = None,
    log_dir: Annotated[Path, typer.Option("--log-dir", help="Where Inspect writes logs.")] =
        Path("logs"),
    grader: Annotated[str | None, typer.Option(
        "--grader", help="Model that grades the model-graded tasks (constitution_graded), bound "
        "to Inspect's `grader` role and recorded with each run; required by them, so they "
        "never grade with the model under test.")] = None,
    attacker: Annotated[str | None, typer.Option(
        "--attacker", help="Model that writes extra attacks for red_team (-T attacker_k=K), "
        "bound to Inspect's `attacker` role.")] = None,
    db: DbOption = None,
    policy: PolicyOption = DEFAULT_POLICY_PATH,
    as_json: JsonOption = False,
) -> None:
    """Run suites on a model through Inspect's eval_set (a rerun resumes), ingest the logs and
    print the tier table for that version."""
    from rsp.llama_server import DEFAULT_MODEL, LlamaServer

    LlamaServer.start_soon(model or DEFAULT_MODEL)  # a bundled model loads while Inspect imports
    with imported_out_of_gc():
        from rsp.running import EvalRequest, run_evals

    pol = load_policy(policy)
    request = EvalRequest(model=model, suites=suite or [], tasks=task or [], limit=limit,
                          dataset=dataset, task_args=_task_args(task_arg or []),
                          line=model_line, label=model_version,
                          effective_compute=effective_compute, release_date=release_date,
                          log_dir=log_dir, roles={role: name for role, name in
                                                  (("grader", grader), ("attacker", attacker))
                                                  if name})
    version_id, results = run_evals(request, db, warn=lambda text: errors.print(
        f"[bold yellow]warning:[/] {text}", highlight=False, soft_wrap=True))
    failed = [r for r in results if r.outcome == "failed"]
    if not as_json:
        output.print_ingest(console, results)
    _print_tiers(pol, db, version_id, as_json, record=True)  # the run's outcome, on record
    if failed:
        raise typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(
        help="Inspect log files, directories, or remote prefixes Inspect wrote to "
        "(s3://bucket/logs/).")],
    model_version: Annotated[str | None, typer.Option(
        "--model-version", help="Record under this version label (default: the label in the "
        "log's metadata, else 'unversioned').")] = None,
    model_line: Annotated[str | None, typer.Option(
        "--model-line", help="Record under this model line (default: the log's model).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest Inspect logs of any task. Idempotent: a log already stored is skipped. Each log
    lands whole or not at all; bad logs are reported and the good ones still land."""
    from rich.progress import Progress

    from registry.ingest import VersionInfo
    from registry.ingest import ingest as run_ingest

    info = VersionInfo(line=model_line, label=model_version)
    with Progress(console=errors, transient=True,
                                     disable=as_json) as progress:
        bar = progress.add_task("ingesting logs", total=None)
        results = run_ingest(paths, db, info,
                             on_log=lambda _: progress.advance(bar))
    if as_json:
        print(json.dumps([r.__dict__ for r in results], indent=2))
    else:
        output.print_ingest(console, results)
    for r in results:
        if r.outcome == "failed":
            errors.print(f"[bold red]error:[/] {r.message}", highlight=False, soft_wrap=True)
    if any(r.outcome == "failed" for r in results) or not results:
        if not results:
            errors.print("[bold red]error:[/] no Inspect logs found. Fix: pass *.eval files or "
                         "a directory containing them.")
        raise typer.Exit(2)


@app.command()
def tiers(
    model: Annotated[str | None, typer.Argument(
        help="MODEL or MODEL@VERSION; default: the latest version of every model line.")] = None,
    db: DbOption = None,
    policy: Annotated[list[Path] | None, typer.Option(
        "--policy", envvar="RSP_POLICY", help="Policy YAML the tiers are decided under "
        "(default: policies/asl.yaml). Repeat it to read the same evidence under several "
        "policies side by side: each one's required tier, the evidence it lacks, and the "
        "safeguards and sign-offs it requires next.")] = None,
    as_json: JsonOption = False,
    record: Annotated[bool, typer.Option(
        "--record", help="Also store these determinations in the registry (the record of what "
        "was decided under which policy; every sign-off stores them too). Without it, reading "
        "changes nothing.")] = False,
) -> None:
    """Show each indicator's estimate, interval, tier and verdict, per domain."""
    policies = [load_policy(p) for p in policy or [DEFAULT_POLICY_PATH]]
    if len(policies) == 1:
        _print_tiers(policies[0], db, model, as_json, record)
    else:
        _print_crosswalk(policies, db, model, as_json, record)


def _print_tiers(pol: Policy, db: str | None, model: str | None, as_json: bool,
                 record: bool) -> None:
    from datetime import UTC, datetime

    with imported_out_of_gc():
        from registry.assess import assess_many, due_for, resolve_versions

    with registry_session(db) as session:
        assessments = assess_many(session, pol, resolve_versions(session, model), record)
        now = datetime.now(UTC)
        dues = {a.version.id: due_for(session, pol, a.version, now, assessments)
                for a in assessments}
    if as_json:
        print(json.dumps(output.tier_rows(pol, assessments, dues), indent=2))
    elif not assessments:
        console.print("The registry is empty. Run [bold]rsp eval run[/] or [bold]rsp ingest "
                      "LOGS[/] first.")
    else:
        for item in assessments:
            output.print_assessment(console, pol, item, dues[item.version.id])


def _print_crosswalk(policies: list[Policy], db: str | None, model: str | None, as_json: bool,
                     record: bool) -> None:
    from registry.assess import assess_many, resolve_versions
    from registry.crosswalk import PolicyReading, read_under

    with registry_session(db) as session:
        versions = resolve_versions(session, model)
        readings: dict[str, list[PolicyReading]] = {v.id: [] for v in versions}
        for pol in policies:
            for item in assess_many(session, pol, versions, record):
                readings[item.version.id].append(read_under(pol, item.determination))
    if as_json:
        print(json.dumps([{"version": v, "policies": [output.reading_json(r) for r in rs]}
                          for v, rs in readings.items()], indent=2))
    elif not versions:
        console.print("The registry is empty. Run [bold]rsp eval run[/] or [bold]rsp ingest "
                      "LOGS[/] first.")
    else:
        for version_id, rs in readings.items():
            output.print_crosswalk(console, version_id, rs)


@app.command()
def gate(
    model: Annotated[str, typer.Argument(help="MODEL@VERSION to gate.")],
    max_tier: Annotated[str, typer.Option("--max-tier", help="Highest tier this release may "
                                                             "require, e.g. ASL-2.")],
    accept_incomplete: Annotated[bool, typer.Option(
        "--accept-incomplete", help="Decide on the evidence present even when required "
        "indicators were never run or ran on too few samples. Without it such a version fails "
        "the gate: an unmeasured capability is never read as below a threshold.")] = False,
    require_signoff: Annotated[bool, typer.Option(
        "--require-signoff", help="Also require the release checklist to be complete: "
        "evidence, safeguards attested, every role approved.")] = False,
    reviewers: ReviewersOption = DEFAULT_REVIEWERS,
    db: DbOption = None,
    policy: PolicyOption = DEFAULT_POLICY_PATH,
) -> None:
    """Exit 0 when the version's evidence is complete and its required tier is at most
    --max-tier (and, with --require-signoff, it is fully signed off); 1 when not, each reason
    named; 2 on an error (bad input, unknown version, unreachable registry)."""
    with imported_out_of_gc():  # they are most of a CI gate's time
        from registry.assess import assess, resolve_versions
        from registry.gate import gate_verdict
        from registry.signoff import head_advice
        from registry.tiers import describe_version

    pol = load_policy(policy)
    if max_tier not in pol.tier_ids:
        raise fail(f"Unknown tier '{max_tier}'. Fix: use one of {', '.join(pol.tier_ids)}.")
    if "@" not in model:
        raise fail(f"'{model}' names no version. Fix: pass MODEL@VERSION, as `rsp tiers` lists.")
    with registry_session(db) as session:
        (version,) = resolve_versions(session, model)
        result = assess(session, pol, version)
    det = result.determination
    verdict = gate_verdict(pol, det, max_tier, accept_incomplete)
    status = "[bold green]PASS[/]" if verdict.passed else "[bold red]FAIL[/]"
    basis = "" if det.evidence_complete else " on incomplete evidence"
    console.print(f"{status} {version.id}: required tier {det.required_tier}{basis}, allowed up "
                  f"to {max_tier}.", highlight=False)
    console.print(f"  {describe_version(pol, det)}", highlight=False)
    if not det.evidence_complete:
        console.print("  [bold yellow]incomplete evidence accepted by --accept-incomplete[/]: "
                      "the tier above rests only on the indicators that were run."
                      if verdict.accepted_incomplete else
                      "  [bold]incomplete evidence fails the gate[/]: run the missing tasks "
                      "(`rsp plan` sizes them) or pass --accept-incomplete to decide on what "
                      "is there.", highlight=False)
    for reason in verdict.reasons:
        console.print(f"  - {reason}", highlight=False)
    passed = verdict.passed
    if require_signoff:
        _, checklist, head = signoff_checklist(model, db, policy, reviewers)
        for item in checklist.blocking:
            console.print(f"  - sign-off: {item.name}: {item.status} ({item.detail})",
                          highlight=False)
        if checklist.releasable:
            console.print("  sign-off complete: every checklist item passes.")
        console.print(f"  {head_advice(head)}", highlight=False, soft_wrap=True)
        passed = passed and checklist.releasable
    raise typer.Exit(0 if passed else 1)


@app.command()
def report(
    model: Annotated[str, typer.Argument(help="MODEL@VERSION to report on.")],
    fmt: Annotated[str, typer.Option(
        "--format", help="md, html or pdf (pdf needs --out).")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] =
        None,
    check: Annotated[str | None, typer.Option(
        "--check", metavar="HASH", help="The report sha256 printed on a copy: re-render the "
        "report from the registry and exit 0 if its hash matches, 1 if not. Writes nothing.")] =
        None,
    reviewers: ReviewersOption = DEFAULT_REVIEWERS,
    db: DbOption = None,
    policy: PolicyOption = DEFAULT_POLICY_PATH,
) -> None:
    """The capability report a board reads: a one-page summary (decision, required tier, what
    is missing, what changed since the previous version), then determinations with evidence,
    trends, checklist, sign-offs and the hashes that make it reproducible.

    The report's own sha256 (over its content, the generation time excepted) is printed on it
    and here; `--check HASH` matches a signed copy to the registry.
    """
    from registry.assess import resolve_versions
    from registry.report import parse_sha256, render_html, render_pdf, render_report
    from registry.report_store import report_data
    from registry.signoff_witness import witness_for
    from rsp.signoff_cli import remember

    if fmt not in ("md", "html", "pdf"):
        raise fail(f"Unknown format '{fmt}'. Fix: --format md, --format html or --format pdf.")
    if "@" not in model:
        raise fail(f"'{model}' names no version. Fix: pass MODEL@VERSION.")
    if check is not None and out is not None:
        raise fail("--check compares hashes and writes nothing. Fix: drop --out, or --check.")
    if fmt == "pdf" and out is None and check is None:
        raise fail("A PDF is not written to the terminal. Fix: add --out FILE, e.g. "
                   f"rsp report {model} --format pdf --out report.pdf.")
    expected = parse_sha256(check) if check is not None else None
    pol = load_policy(policy)
    with registry_session(db) as session:
        (version,) = resolve_versions(session, model)
        witness = witness_for(db)
        data, state = report_data(session, pol, version, reviewers, witness)
    if state.status.head is not None:  # kept only when the chain behind it verified
        remember(witness, state.chain)
    rendered = render_report(data)
    if expected is not None:
        if rendered.sha256 == expected:
            console.print(f"report sha256 {expected} matches the registry: the report on "
                          f"{version.id} renders to the same content now.",
                          markup=False, highlight=False, soft_wrap=True)
            return
        console.print(
            f"NO MATCH: report sha256 {expected} does not match the registry, whose report on "
            f"{version.id} now hashes to {rendered.sha256}: the registry's content has changed "
            "since that copy was made (new or corrected evidence, sign-offs, policy, or a run "
            "aged past the freshness window), or the copy is not from this registry.",
            markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    text = rendered.markdown
    if fmt != "md":
        text = render_html(text, rendered.title, rendered.sha256)
    if out is None:
        print(text)
        # stdout carries the report itself; its hash goes beside it, to stderr
        errors.print(f"report sha256 {rendered.sha256}", markup=False, highlight=False,
                     soft_wrap=True)
        return
    if fmt == "pdf":
        out.write_bytes(render_pdf(text))
    else:
        out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}\nreport sha256 {rendered.sha256}", markup=False,
                  highlight=False, soft_wrap=True)


@app.command()
def compare(
    version_a: Annotated[str, typer.Argument(help="MODEL@VERSION, the baseline.")],
    version_b: Annotated[str, typer.Argument(help="MODEL@VERSION to compare with it.")],
    db: DbOption = None,
    policy: PolicyOption = DEFAULT_POLICY_PATH,
    as_json: JsonOption = False,
) -> None:
    """Difference (B - A) per indicator, and whether it is significant.

    Paired where it can be: when both estimates come from runs of the same task and task
    version that scored the same sample ids, the task's per-sample value is compared item by
    item on the shared items (each item averaged over its epochs): an exact McNemar test for
    0/1 outcomes, a Student-t interval on the mean per-item difference otherwise. Pairing
    cancels the item-to-item variation both versions share, so it finds changes an unpaired
    test misses, and it does not call a few flipped items significant. Otherwise the two
    estimates are compared as independent (z-test on their standard errors), labelled
    "independent" with the reason.
    """
    from registry.assess import resolve_versions
    from registry.version_compare import compare_versions

    pol = load_policy(policy)
    with registry_session(db) as session:
        a, b = (resolve_versions(session, spec)[0] for spec in (version_a, version_b))
        result = compare_versions(session, pol, a, b)
    if as_json:
        print(json.dumps(output.comparison_rows(result), indent=2))
    else:
        output.print_comparison(console, result)


PLAN_HELP = (
    "What would decide each indicator of a version: how many samples, or which run.\n\n"
    "For an evaluated indicator left undecided (inconclusive, or too few samples): the number "
    "of samples at which the interval around the same estimate would fall wholly on one side "
    "of every undecided tier's thresholds, and at least the policy's minimum. A proportion's "
    "Wilson interval is recomputed at that n; a paired difference keeps its observed spread. "
    "When the estimate itself sits between a tier's rule-out and rule-in, no number of samples "
    "can decide it, and the plan says so.\n\n"
    "For an indicator not evaluated: the task to run, its shipped size, and the size a zero "
    "(or certain) result would need to decide, e.g. at 95% a zero result rules out 0.10 only "
    "from 35 independent items on.\n\n"
    "Nothing is recorded."
)


@app.command(help=PLAN_HELP)
def plan(
    model: Annotated[str, typer.Argument(
        help="MODEL@VERSION to plan for (a bare MODEL means its latest version).")],
    db: DbOption = None,
    policy: PolicyOption = DEFAULT_POLICY_PATH,
    as_json: JsonOption = False,
) -> None:
    """`rsp plan`: samples or runs that would decide a version's indicators (see PLAN_HELP)."""
    from evals.suites import task_sizes
    from registry.assess import assess, resolve_versions
    from registry.decidability import plan_version
    from rsp.planning import plan_json, print_plan

    pol = load_policy(policy)
    with registry_session(db) as session:
        (version,) = resolve_versions(session, model)
        result = assess(session, pol, version)
        version_id = version.id
    items = plan_version(pol, result.determination, task_sizes())
    if as_json:
        print(json.dumps(plan_json(pol, version_id, items), indent=2))
    else:
        print_plan(console, pol, version_id, items)


@app.command()
def audit(
    model: Annotated[str | None, typer.Argument(
        help="MODEL@VERSION whose runs to audit (a bare MODEL means its latest version); "
        "default: every stored run.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Re-read every stored run's log and check that the registry holds what ingest would
    store from it: the log's hash, the run's fields, its scores and its samples. Exit 0 when
    every row matches, 1 naming each difference, 2 on an error."""
    from rich.progress import Progress

    from registry.assess import resolve_versions
    from registry.audit_store import audit_registry
    from rsp.auditing import audit_json, print_audit

    version_id = None
    if model is not None:
        with registry_session(db, read_only=True) as session:
            version_id = resolve_versions(session, model)[0].id
    with Progress(console=errors, transient=True,
                                     disable=as_json) as progress:
        bar = progress.add_task("auditing runs", total=None)
        report = audit_registry(db, version_id, on_run=lambda *_: progress.advance(bar))
    if as_json:
        print(json.dumps(audit_json(report), indent=2))
    else:
        print_audit(console, report)
    if report.findings:
        raise typer.Exit(1)


@app.command()
def demo(
    record: Annotated[bool, typer.Option(
        "--record", help="Rerun the demo's suites on the bundled models (about 12 minutes on "
        "2 cores) and replace the recorded logs with the new ones.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=5, help="Samples per task (--record).")] =
        40,
    log_dir: Annotated[Path | None, typer.Option(
        "--log-dir", help="Where the demo's logs are (default: the ones shipped with the "
        "package; --record replaces them).")] = None,
    db: DbOption = None,
) -> None:
    """Fill the registry with the demo: real runs of five tasks on the bundled models.

    Three SmolLM2 "releases" (the same weights under different system prompts, with dates and
    effective compute) and Gemma 3 270M as a second model line. The runs ship with the package,
    so this takes seconds; --record reruns them. Then open `rsp dashboard`.
    """
    from rsp import demo as recorded

    logs_at = log_dir or recorded.SHIPPED_LOGS
    if record:
        results = _record_demo(logs_at, limit, db)
    else:
        from registry.ingest import ingest

        logs = recorded.shipped_logs(logs_at)
        if not logs:
            raise fail(f"No demo logs under {logs_at}. Fix: record them with "
                       f"`{recorded.RECORD_COMMAND}`.")
        results = ingest(logs, db)
    output.print_ingest(console, results)
    if any(r.outcome == "failed" for r in results):
        raise typer.Exit(2)
    logs = recorded.shipped_logs(logs_at)
    console.print(f"Demo: {recorded.provenance(logs).describe()}", highlight=False,
                  soft_wrap=True)
    console.print("Next: [bold]rsp dashboard[/] (or rsp tiers).")


def _record_demo(log_dir: Path, limit: int, db: str | None) -> list:
    """Rerun the demo's releases into a clean `log_dir` and ingest them."""
    from rich.progress import Progress

    from rsp.demo import clear, demo_requests, prune_to_logs
    from rsp.running import run_evals

    clear(log_dir)
    requests = demo_requests(limit, log_dir)
    results = []
    with Progress(console=console) as progress:
        bar = progress.add_task("demo releases", total=len(requests))
        for request in requests:
            progress.update(bar, description=f"{request.line}@{request.label}")
            results += run_evals(request, db, warn=lambda text: None)[1]
            progress.advance(bar)
    prune_to_logs(log_dir)
    return results


@app.command()
def dashboard(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8501,
    demo_logs: Annotated[bool, typer.Option(
        "--demo", help="First ingest the demo's shipped runs (as `rsp demo` does), then "
        "serve.")] = False,
    auth: Annotated[Path | None, typer.Option(
        "--auth", envvar="RSP_DASHBOARD_AUTH", help="Sign-in settings (TOML): only reviewers "
        "signed in through the lab's OpenID Connect provider see results. See the README's "
        "Team deployment.")] = None,
    db: DbOption = None,
    policy: PolicyOption = DEFAULT_POLICY_PATH,
) -> None:
    """Serve the governance dashboard (read-only) on http://127.0.0.1:PORT; with --auth, to
    signed-in reviewers only."""
    import sys

    from rich.markup import escape

    from dashboard.access import GATE_ENV, AuthFileError, load_auth_file, write_streamlit_secrets
    from registry.db import is_postgres, resolve_db_url

    load_policy(policy)  # a malformed policy is reported here, not as a broken page
    try:  # so is a bad auth file (exit 2 naming the key), before anything is ingested or served
        sign_in = None if auth is None else load_auth_file(auth, port)
    except AuthFileError as exc:  # its [oidc] and [access] are TOML sections, not Rich markup
        raise fail(escape(str(exc))) from None
    if sign_in is not None and sign_in.readable_by_others:
        errors.print(f"warning: {escape(str(auth))} holds the client and cookie secrets and "
                     f"other users can read it. Fix: chmod 600 {escape(str(auth))}",
                     highlight=False, soft_wrap=True)
    if demo_logs:
        demo(record=False, limit=40, log_dir=None, db=db)
    if is_postgres(resolve_db_url(db)):  # so is a server that is down (a DuckDB file may be
        with registry_session(db, read_only=True):  # made later: the pages say how)
            pass
    app_file = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    env = {**os.environ, "RSP_DB": resolve_db_url(db), "RSP_POLICY": str(policy.resolve())}
    env.pop(GATE_ENV, None)  # the app gates exactly when this command configured sign-in
    sign_in_flags: list[str] = []
    if sign_in is not None:
        env[GATE_ENV] = sign_in.rule.to_env()
        env["RSP_REVIEWERS"] = str(sign_in.rule.reviewers)  # the sign-off page checks the same
        # Streamlit's st.login reads its provider from secrets: a private copy, this server's own
        sign_in_flags = ["--secrets.files", str(write_streamlit_secrets(sign_in))]
    console.print(f"Serving the dashboard on http://127.0.0.1:{port} (Ctrl-C to stop)")
    if sign_in is not None:
        console.print(f"Sign-in required: reviewers return from the provider to "
                      f"{sign_in.redirect_uri}", highlight=False)
    command = [sys.executable, "-m", "dashboard.serve", "run", str(app_file),
               "--server.address", "127.0.0.1", "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               # reviewers read; the developer menu and its Deploy button are not theirs
               "--client.toolbarMode", "minimal", *sign_in_flags]
    # exec, not a child process: a signal to `rsp dashboard` must reach the server itself
    os.execve(sys.executable, command, env)


@model_app.command("register")
def model_register(
    model: Annotated[str, typer.Argument(help="LINE@VERSION to record, e.g. "
                                              "smollm2-135m@ckpt-0420.")],
    effective_compute: Annotated[float | None, typer.Option(
        "--effective-compute", help="Effective training compute (any unit, used for the policy's "
        "reevaluate_compute_ratio).")] = None,
    release_date: Annotated[str | None, typer.Option(
        "--release-date", help="Date of the checkpoint or release, YYYY-MM-DD.")] = None,
    provider_model: Annotated[str | None, typer.Option(
        "--provider-model", help="Inspect model string that serves it (default: the line).")] =
        None,
    db: DbOption = None,
    policy: PolicyOption = DEFAULT_POLICY_PATH,
) -> None:
    """Record a model version with its effective compute and date before any eval runs on it.
    Its line then shows "assessment due" in `rsp tiers` once the policy says so (compute grown
    by reevaluate_compute_ratio since the last complete assessment, or that assessment older
    than freshness_days). Registering the same facts twice is harmless; other facts are
    refused (exit 2): recorded versions are never edited."""
    from datetime import UTC, date, datetime

    from registry.assess import due_for, parse_model_spec
    from registry.versions import register_version

    pol = load_policy(policy)
    if effective_compute is not None and not effective_compute > 0:
        raise fail(f"--effective-compute {effective_compute} is not positive. Fix: give the "
                   "version's effective training compute, e.g. 2e21.")
    line, label = parse_model_spec(model)
    if not label or not line:
        raise fail(f"'{model}' names no version. Fix: pass LINE@VERSION, e.g. "
                   "smollm2-135m@ckpt-0420.")
    try:
        released = date.fromisoformat(release_date) if release_date else None
    except ValueError:
        raise fail(f"--release-date '{release_date}' is not a date. Fix: use YYYY-MM-DD.") \
            from None
    with registry_session(db) as session:
        outcome, version = register_version(session, line, label, provider_model,
                                            effective_compute, released)
        session.flush()
        due = due_for(session, pol, version, datetime.now(UTC))
    console.print(f"{outcome} {version.id} (effective compute "
                  f"{version.effective_compute or 'unknown'}, release date "
                  f"{version.release_date or 'unknown'})", highlight=False)
    console.print(due.describe(), highlight=False)


@runs_app.command("list")
def runs_list(
    model: Annotated[str | None, typer.Argument(
        help="MODEL@VERSION, or MODEL for its latest version (default: every line's latest).")]
        = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the runs a version's decisions can rest on (current revisions of successful
    runs, newest first): each run's headline score with its standard error and n, beside how
    it was elicited (epochs and reducer, tools, message limit, temperature), as its log
    records it. A field the log does not record reads "unknown"."""
    from registry.assess import load_evidence, resolve_versions
    from rsp.output import print_runs, run_rows

    with registry_session(db, read_only=True) as session:
        versions = resolve_versions(session, model)
        evidence = load_evidence(session, [v.id for v in versions])
    rows = run_rows([item for v in versions for item in evidence[v.id]])
    if as_json:
        print(json.dumps(rows, indent=2, default=str))
    else:
        print_runs(console, rows)


@runs_app.command("history")
def runs_history(
    run: Annotated[str, typer.Argument(help="A run id, or the eval id of its first revision.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show every revision of a run's eval (a log rewritten under the same eval id is stored
    as a new revision that supersedes the old one, which is kept) and the samples invalidated
    in each, by whom and why."""
    from registry.corrections_store import run_history
    from rsp.output import print_run_history, run_history_json

    with registry_session(db, read_only=True) as session:
        history = run_history(session, run)
    if as_json:
        print(json.dumps(run_history_json(history), indent=2, default=str))
    else:
        print_run_history(console, history)


def _existing_registry(db: str | None) -> str:
    """The registry's URL, or exit 2 when it names a DuckDB file that does not exist."""
    from registry.db import duckdb_path, resolve_db_url

    url = resolve_db_url(db)
    path = duckdb_path(url)
    if path is not None and not path.exists():
        raise fail(f"No registry at {path}. Fix: pass --db (or set $RSP_DB) to an existing "
                   "registry.")
    return url


@db_app.command("status")
def db_status(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show the registry's schema version and the one this rsp-registry needs. Exit 0 when
    they match, 1 when the registry needs `rsp db upgrade` (or a newer rsp-registry)."""
    from registry.db import registry_location, registry_schema
    from registry.schema_version import SCHEMA_HEAD

    url = _existing_registry(db)
    state = registry_schema(url)
    current = state.current or state.empty
    if as_json:
        print(json.dumps({"registry": registry_location(url), "schema": state.label,
                          "needed": SCHEMA_HEAD, "current": current}))
    else:
        console.print(f"{registry_location(url)}: schema {state.label}; this rsp-registry "
                      f"needs {SCHEMA_HEAD}" + ("" if current else
                                                " — run `rsp db upgrade` (back it up first)"),
                      highlight=False)
    if not current:
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Migrate the registry to the schema this rsp-registry needs, in one transaction: every
    run, score, sample and sign-off is kept as it is. Back the registry up first (copy the
    DuckDB file, or pg_dump); a registry written by a newer release is refused."""
    from registry.db import registry_location, upgrade_registry

    url = _existing_registry(db)
    before, after = upgrade_registry(url)
    where = registry_location(url)
    if before == after:
        console.print(f"{where}: already at schema {after}; nothing to do.", highlight=False)
    else:
        console.print(f"{where}: upgraded from schema {before} to {after}.", highlight=False)


@export_app.command("parquet")
def export_parquet(
    out_dir: Annotated[Path, typer.Argument(help="Directory to write the .parquet files into.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write model lines, versions, runs, scores, samples and determinations as Parquet
    (one file per table), e.g. for `duckdb -c "SELECT * FROM 'DIR/samples.parquet'"`."""
    from rich.progress import Progress
    from rich.table import Table

    from registry.export import EXPORTED
    from registry.export import export_parquet as write_parquet

    with registry_session(db, read_only=True) as session, \
            Progress(console=errors, transient=True, disable=as_json) as progress:
        bar = progress.add_task("exporting", total=len(EXPORTED))
        try:
            written = write_parquet(session, out_dir,
                                    on_table=lambda *_: progress.advance(bar))
        except OSError as exc:
            raise fail(f"Cannot write to {out_dir} ({exc.strerror}). Fix: pass a directory "
                       "you can write to.") from None
    if as_json:
        print(json.dumps({name: {"path": str(out_dir / f"{name}.parquet"), "rows": rows}
                          for name, rows in written.items()}, indent=2))
        return
    table = Table("file", "rows", title=f"Parquet export in {out_dir}")
    for name, rows in written.items():
        table.add_row(f"{name}.parquet", str(rows))
    console.print(table)


# Help texts as single-line paragraphs: in rich markup mode Typer keeps a docstring's line breaks.
VALIDATE_HELP = (
    "Check a policy file, then check that the shipped tasks can decide its thresholds.\n\n"
    "A malformed policy is an error naming the file, the line and the fix (exit 2).\n\n"
    "Then, for every proportion indicator (interval: wilson) and its task's dataset as shipped: "
    "can a result with no risk at all rule out its lowest tier, and can a result of all risk "
    "rule in its highest? A tier is ruled out only when the whole confidence interval is short "
    "of rule_out, so a small task cannot do it whatever the model does: at 95%, a zero result "
    "rules out 0.10 only from 35 independent items on (0 of 12 still reaches 0.24). Each "
    "threshold that fails is named with the size that would decide it: a warning (exit 0), or "
    "with --strict an error (exit 1) when it is a rule-out. A rule-in the task cannot reach "
    "stays a warning: a perfect score then leaves the tier undecided, which never reads as "
    "below it, so it can only over-state the risk.\n\n"
    "Paired differences (interval: normal) and tasks not shipped here cannot be checked before "
    "a run: `rsp plan` sizes them from a run's estimate.\n\n"
    "Last, each indicator's elicitation minimum (epochs, tools, limits a run must show to count "
    "as evidence) is checked against how `rsp eval run` elicits its task by default: a minimum "
    "the defaults miss is a warning, or with --strict an error (exit 1)."
)


@policy_app.command("validate", help=VALIDATE_HELP)
def policy_validate(
    path: Annotated[Path, typer.Argument(help="Policy YAML (default: policies/asl.yaml).")] =
        DEFAULT_POLICY_PATH,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Treat a lowest tier the shipped task cannot rule out, or an "
        "elicitation minimum rsp eval run's defaults miss, as an error (exit 1) instead of a "
        "warning.")] = False,
    as_json: JsonOption = False,
) -> None:
    """`rsp policy validate`: structure first, then decidability (see VALIDATE_HELP)."""
    from evals.suites import task_sizes
    from registry.decidability import check_decidability
    from registry.elicitation import check_minimums
    from rsp.planning import (
        decidability_json,
        elicitation_checks_json,
        print_decidability,
        print_elicitation_checks,
    )
    from rsp.task_elicitation import default_elicitations

    pol = load_policy(path)
    report = check_decidability(pol, task_sizes())
    minimums = check_minimums(pol, default_elicitations())
    if as_json:
        print(json.dumps({"path": str(path), **decidability_json(pol, report),
                          "elicitation": elicitation_checks_json(minimums)}, indent=2))
    else:
        n_ind = sum(1 for _ in pol.indicators())
        console.print(f"[green]ok[/] {path}: policy {pol.policy.name} {pol.policy.version}, "
                      f"{len(pol.tiers)} tiers, {len(pol.domains)} domains, {n_ind} indicators, "
                      f"sha256 {pol.sha256[:16]}")
        print_decidability(console, pol, report, strict)
        print_elicitation_checks(console, minimums, strict)
    unmet = any(c.shortfalls for c in minimums)
    raise typer.Exit(1 if strict and (report.blocking or unmet) else 0)


@policy_app.command("schema")
def policy_schema() -> None:
    """Print the policy file's JSON Schema, generated from the policy model.

    Every shipped policy names its copy, policies/policy.schema.json, on its first line
    (`# yaml-language-server: $schema=policy.schema.json`), so editors with a YAML language
    server check a policy as it is typed. The schema checks structure; `rsp policy validate`
    also checks meaning (thresholds in order, tiers and indicators that exist).
    """
    from registry.policy import json_schema

    print(json.dumps(json_schema(), indent=2))


DIFF_HELP = (
    "Show which determinations a change of policy from OLD to NEW would change.\n\n"
    "Every version in the registry (or the one --model names) is decided under both policies; "
    "nothing is recorded. Listed: each version whose required tier or evidence completeness "
    "would change, and each indicator whose tier or verdict would, including indicators only "
    "one of the policies has. The command form of the dashboard's what-if.\n\n"
    "Exit 0 when nothing would change, 1 when something would (as diff does), 2 on an error."
)


@policy_app.command("diff", help=DIFF_HELP)
def policy_diff(
    old: Annotated[Path, typer.Argument(help="The policy in force (YAML).")],
    new: Annotated[Path, typer.Argument(help="The candidate policy (YAML).")],
    model: Annotated[str | None, typer.Option(
        "--model", help="Only this MODEL or MODEL@VERSION (default: every version).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """`rsp policy diff`: both policies over the registry's versions (see DIFF_HELP)."""
    from registry.assess import all_versions, assess_many, resolve_versions
    from registry.determination_changes import policy_changes

    before, after = load_policy(old), load_policy(new)
    with registry_session(db) as session:
        versions = resolve_versions(session, model) if model else all_versions(session)
        was = assess_many(session, before, versions, record=False)
        now = assess_many(session, after, versions, record=False)
    changes = [c for a, b in zip(was, now, strict=True)
               for c in policy_changes(a.version.id, a.determination, b.determination)]
    if as_json:
        print(json.dumps({"old": {"path": str(old), "sha256": before.sha256},
                          "new": {"path": str(new), "sha256": after.sha256},
                          "versions": len(versions),
                          "changes": [{"version": c.version, "determination": c.subject,
                                       "old": c.before, "new": c.after} for c in changes]},
                         indent=2))
    else:
        output.print_policy_changes(console, old, new, len(versions), changes)
    raise typer.Exit(1 if changes else 0)
