"""Wall time of the dangerous_capabilities suite, every item at one epoch, against 40 minutes.

The budget is issue 15's, for the bundled model on 2 cores.

Runs `rsp eval run --suite dangerous_capabilities -T epochs=1` as a user would, into a fresh
log folder and DuckDB file, then reads the logs: per task its items, headline value with the
policy's 95% interval, how each sample ended (idle stop, submit, or a limit), tool calls and
seconds per sample, and the tier verdicts the registry stored.

    .venv/bin/python bench/dangerous_capabilities_bench.py [--model MODEL] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from inspect_ai.log import EvalLog, EvalSample, read_eval_log
from suite_report import headline, interval, timed, tool_calls

BUDGET_S = 40 * 60
RSP = Path(sys.executable).with_name("rsp")


def ending(sample: EvalSample) -> str:
    """How the agent loop ended: a limit Inspect recorded, a submitted answer, or the idle
    stop (the model's last replies called no tool)."""
    if sample.limit is not None:
        return f"{sample.limit.type} limit"
    for message in reversed(sample.messages):
        if message.role == "assistant":
            calls = message.tool_calls or []
            return "submitted" if any(c.function == "submit" for c in calls) else "idle stop"
    return "no reply"


def describe(log: EvalLog) -> str:
    """One line of figures for a task's log."""
    samples = log.samples or []
    name, value, stderr, n = headline(log)
    low, high = interval(log.eval.task, name, value, stderr, n)
    per_sample = sum(s.total_time or 0.0 for s in samples) / max(len(samples), 1)
    endings = ", ".join(f"{k} {v}" for k, v in Counter(map(ending, samples)).most_common())
    return (f"{log.eval.task.split('/')[-1]:<12} items {len(samples):>3}  {name} {value:.3f} "
            f"[{low:.3f}, {high:.3f}] n={n}  {per_sample:5.1f} s/sample  "
            f"{tool_calls(log):4.1f} tools/sample  ended: {endings}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="default: the bundled SmolLM2")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for the logs and registry (default: a temporary one)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="dc_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    command = [str(RSP), "eval", "run", "--suite", "dangerous_capabilities", "-T", "epochs=1",
               "--log-dir", str(work / "logs"), "--db", f"duckdb:///{work / 'bench.duckdb'}",
               "--model-version", "bench", "--json"]
    if args.model:
        command += ["--model", args.model]
    done, wall = timed(command)
    if done.returncode != 0:
        sys.exit(f"rsp eval run exited {done.returncode}:\n{done.stderr[-4000:]}")
    for path in sorted((work / "logs").rglob("*.eval")):
        print(describe(read_eval_log(str(path))))
    # the table is the JSON array; anything printed before it (a warning) is not
    for row in json.loads(done.stdout[done.stdout.index("["):]):
        if row["domain"] in {"cyber", "autonomy", "cbrn"} and row["n"]:
            print(f"  {row['domain']}/{row['indicator']}: {row['value']:.3f} "
                  f"[{row['ci_low']:.3f}, {row['ci_high']:.3f}] n={row['n']}: tier "
                  f"{row['tier'] or 'below every tier'} ({row['verdict']})")
    print(f"suite wall time {wall / 60:.1f} min on the command line; budget "
          f"{BUDGET_S / 60:.0f} min; ratio to budget {wall / BUDGET_S:.2f}")
    print(f"logs and registry: {work}")


if __name__ == "__main__":
    main()
