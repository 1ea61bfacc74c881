"""Per-task figures from a folder of Inspect logs: headline metric with its 95% interval and n,
unparseable rate, tool calls per sample, and wall time.

    .venv/bin/python bench/suite_report.py LOG_DIR [LOG_DIR ...]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from datetime import datetime
from pathlib import Path

from inspect_ai.log import read_eval_log

from registry.policy import load_policy
from registry.stats import normal_interval
from registry.tiers import Estimate, confidence_interval
from task_contract import HEADLINE_METRIC_KEY, SHARED_STDERR, count_key, stderr_key

POLICY = load_policy()


def headline(log) -> tuple[str, float, float | None, int]:
    """(metric, value, stderr, n) of the task's headline metric."""
    name = (log.eval.metadata or {}).get(HEADLINE_METRIC_KEY, "accuracy")
    metrics = {k: m.value for k, m in log.results.scores[0].metrics.items()}
    n = int(metrics.get(count_key(name), log.results.scores[0].scored_samples or 0))
    stderr = metrics.get(stderr_key(name), metrics.get(SHARED_STDERR))
    return name, metrics[name], stderr, n


def interval(task: str, metric: str, value: float, stderr: float | None,
             n: int) -> tuple[float, float]:
    """The interval the default policy decides on (Wilson for its proportions)."""
    for _, indicator in POLICY.indicators():
        if indicator.matches_task(task) and indicator.metric == metric:
            return confidence_interval(indicator, Estimate(value, stderr, n), 0.95)
    return normal_interval(value, stderr, 0.95)


def timed(command: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run `command` (an `rsp` command line), capturing its output; with its wall time."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done, time.perf_counter() - started


def tool_calls(log) -> float:
    counts = [sum(len(m.tool_calls or []) for m in s.messages if m.role == "assistant")
              for s in log.samples or []]
    return sum(counts) / len(counts) if counts else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log_dirs", nargs="+", type=Path)
    args = parser.parse_args()
    print(f"{'model':<34} {'task':<24} {'metric':<22} {'value':>6} {'95% CI':>16} {'n':>4} "
          f"{'unparse':>7} {'tools/s':>7} {'wall s':>7}")
    for folder in args.log_dirs:
        for path in sorted(folder.rglob("*.eval")):
            log = read_eval_log(str(path))
            if log.status != "success":
                continue
            name, value, stderr, n = headline(log)
            low, high = interval(log.eval.task, name, value, stderr, n)
            metrics = {k: m.value for k, m in log.results.scores[0].metrics.items()}
            unparseable = metrics.get("unparseable_rate")
            wall = (datetime.fromisoformat(log.stats.completed_at)
                    - datetime.fromisoformat(log.stats.started_at)).total_seconds()
            print(f"{log.eval.model:<34} {log.eval.task.split('/')[-1]:<24} {name:<22} "
                  f"{value:6.3f} {f'[{low:.3f}, {high:.3f}]':>16} {n:>4} "
                  f"{'' if unparseable is None else f'{unparseable:.2f}':>7} "
                  f"{tool_calls(log):7.1f} {wall:7.0f}")


if __name__ == "__main__":
    main()
