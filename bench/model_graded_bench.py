"""Both bundled models as judges and under red-teaming, and the wall time of the model-graded
tasks on them: the figures of issue 17.

Each task runs through `rsp eval run`, as a user would, on the first `--limit` items (the
datasets are interleaved by kind and technique, so a prefix keeps their proportions); its wall
time is also scaled to the whole dataset. Expect strong position bias from models this small.

    .venv/bin/python bench/model_graded_bench.py [--judge-limit 45] [--attack-limit 60]
        [--graded-limit 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from inspect_ai.log import read_eval_log
from suite_report import timed

RSP = Path(sys.executable).with_name("rsp")
MODELS = ["rsp-local/smollm2-135m-instruct", "rsp-local/gemma3-270m"]
FULL = {"judge_position_bias": 130, "red_team": 120, "constitution_graded": 108}
SHOWN = {
    "judge_position_bias": ["first_position_preference", "swap_consistency", "clear_accuracy",
                            "unparseable_rate"],
    "red_team": ["leak_rate", "leak_rate_role_play", "leak_rate_instruction_override",
                 "leak_rate_fake_system_message", "leak_rate_translation_encoding",
                 "leak_rate_completion_bait", "leak_rate_multi_turn"],
    "constitution_graded": ["loss_rate", "harmlessness_loss_rate", "helpfulness_loss_rate",
                            "judge_consistency", "judge_first_position_preference",
                            "unparseable_rate"],
}


def run(work: Path, task: str, model: str, limit: int, *extra: str) -> None:
    """Run one task on one model and print its figures with their 95% normal intervals."""
    logs = work / f"{task}-{model.rsplit('/', 1)[-1]}"
    command = [str(RSP), "eval", "run", "--task", task, "--model", model, "--limit", str(limit),
               "--log-dir", str(logs), "--db", f"duckdb:///{work / 'bench.duckdb'}", "--json",
               *extra]
    done, wall = timed(command)
    if done.returncode != 0:
        print(f"{task} on {model}: exit {done.returncode}\n{done.stderr[-2000:]}")
        return
    (path,) = sorted(logs.rglob("*.eval"))
    metrics = {k: m.value for k, m in read_eval_log(str(path)).results.scores[0].metrics.items()}
    print(f"{task} on {model} ({' '.join(extra) or 'no grader'}): {limit} items in {wall:.0f} s,"
          f" about {wall * FULL[task] / limit / 60:.1f} min for all {FULL[task]}")
    for name in SHOWN[task]:
        value, stderr, n = (metrics.get(name), metrics.get(f"{name}_stderr"),
                            metrics.get(f"{name}_n"))
        half = 1.96 * stderr if isinstance(stderr, float) and stderr == stderr else None
        bound = f" ± {half:.3f}" if half is not None else ""
        shown = "undefined" if value is None or value != value else f"{value:.3f}"
        print(f"  {name:<34} {shown}{bound} (n={int(n) if n == n and n else 0})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judge-limit", type=int, default=45)
    parser.add_argument("--attack-limit", type=int, default=60)
    parser.add_argument("--graded-limit", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="graded_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    for model in MODELS:
        run(work, "judge_position_bias", model, args.judge_limit)
        run(work, "red_team", model, args.attack_limit)
    # the smaller model's answers, graded by the larger: never by the model itself
    run(work, "constitution_graded", MODELS[0], args.graded_limit, "--grader", MODELS[1])
    print(f"logs and registry: {work}")


if __name__ == "__main__":
    main()
