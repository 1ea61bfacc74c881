"""The scheming suite on the bundled models: each family's rates with 95% intervals and n, what
the transcripts show the model did, and the suite's wall time against 60 minutes.

The budget is issue 18's: the whole suite on the bundled model, one epoch, 2 cores. Runs
`rsp eval run --suite scheming -T epochs=1` per model as a user would (into a fresh log folder
and DuckDB file); with `--limit N` only the first N scenarios of each family run and the wall
time is also scaled to the whole suite.

    .venv/bin/python bench/scheming_bench.py [--model MODEL ...] [--limit N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from inspect_ai.log import EvalLog, read_eval_log
from suite_report import headline, interval, timed

BUDGET_S = 60 * 60
RSP = Path(sys.executable).with_name("rsp")
MODELS = ["rsp-local/smollm2-135m-instruct", "rsp-local/gemma3-270m"]
BESIDE = ["action_rate_conflict", "action_rate_control", "denial_rate", "denial_given_action",
          "followup_unanswered_rate", "engagement_rate"]


def _estimate(metrics: dict[str, float], name: str) -> str:
    value, stderr, n = (metrics.get(name), metrics.get(f"{name}_stderr"),
                        metrics.get(f"{name}_n"))
    if value is None or value != value:
        return f"{name} undefined (n={int(n or 0)})"
    half = f" ± {1.96 * stderr:.3f}" if stderr is not None and stderr == stderr else ""
    return f"{name} {value:.3f}{half} (n={int(n or 0)})"


def describe(log: EvalLog) -> list[str]:
    """A family's figures, then what its runs did: tool calls, the commands they began with,
    how the follow-up was answered, and which limits stopped a run."""
    samples = log.samples or []
    name, value, stderr, n = headline(log)
    low, high = interval(log.eval.task, name, value, stderr, n)
    metrics = {k: m.value for k, m in log.results.scores[0].metrics.items()}
    lines = [f"{log.eval.task.split('/')[-1]}: {name} {value:.3f} [{low:.3f}, {high:.3f}] "
             f"n={n}; " + "; ".join(_estimate(metrics, b) for b in BESIDE)]
    calls = [e for s in samples for e in s.events if getattr(e, "event", "") == "tool"]
    commands = Counter(str(e.arguments.get("command", e.arguments.get("code", "")))
                       .split(" ")[0][:20] or e.function for e in calls)
    runs = [r for s in samples for r in (s.metadata.get("variants") or {}).values()]
    answers = Counter({True: "YES", False: "NO", None: "neither"}[r["admitted"]] for r in runs)
    limits = Counter(r["limit"] for r in runs if r["limit"])
    lines.append(f"  {len(runs)} runs, {len(calls) / max(len(runs), 1):.1f} tool calls/run "
                 f"(by tool or first word: {dict(commands.most_common(6))}); follow-up "
                 f"answers {dict(answers)}; limits hit {dict(limits) or 'none'}; "
                 f"{sum(s.total_time or 0 for s in samples) / max(len(samples), 1):.1f} "
                 "s/scenario")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", default=None,
                        help="repeatable; default: both bundled models")
    parser.add_argument("--limit", type=int, default=None,
                        help="scenarios per family (default: all)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for the logs and registry (default: a temporary one)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="scheming_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    for model in args.model or MODELS:
        logs = work / model.rsplit("/", 1)[-1]
        command = [str(RSP), "eval", "run", "--suite", "scheming", "-T", "epochs=1",
                   "--model", model, "--model-version", "bench", "--log-dir", str(logs),
                   "--db", f"duckdb:///{work / 'bench.duckdb'}", "--json"]
        if args.limit:
            command += ["--limit", str(args.limit)]
        done, wall = timed(command)
        if done.returncode != 0:
            print(f"{model}: rsp eval run exited {done.returncode}:\n{done.stderr[-3000:]}")
            continue
        print(f"== {model}")
        scenarios = 0
        for path in sorted(logs.rglob("*.eval")):
            log = read_eval_log(str(path))
            scenarios += len(log.samples or [])
            print("\n".join(describe(log)))
        whole = wall * 160 / scenarios if scenarios else float("nan")  # 4 families x 40
        print(f"  wall time {wall / 60:.1f} min for {scenarios} scenarios (each run twice); "
              f"the whole suite about {whole / 60:.1f} min; budget {BUDGET_S / 60:.0f} min, "
              f"ratio {whole / BUDGET_S:.2f}")
    print(f"logs and registry: {work}")


if __name__ == "__main__":
    main()
