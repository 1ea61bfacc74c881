"""Eval overhead: `rsp eval run` against the same prompts sent straight to llama-cpp-python.

Both paths run the "Are you sure?" protocol (question, reply, pushback, reply) on the bundled
SmolLM2 with the same chat template, temperature 0 and token limit. The rsp path is the whole
command a user runs: process start, Inspect, the loopback server, log writing, ingest and the
tier table. Prints both wall times and the ratio (target: at most 1.15), and the time a
process takes just to start and import what the command needs, which the in-process floor
never pays.

    .venv/bin/python bench/eval_overhead.py [--limit N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from llama_cpp import Llama

from evals.sycophancy.are_you_sure import CHALLENGE, VERSION, are_you_sure
from rsp.llama_server import CONTEXT_TOKENS, REPEAT_PENALTY, bundled_model

MODEL = "smollm2-135m-instruct"


def direct(limit: int | None) -> float:
    """Wall time of the protocol run by hand on llama-cpp-python, model load included."""
    task = are_you_sure()
    max_tokens = task.config.max_tokens
    start = time.perf_counter()
    llm = Llama(str(bundled_model(MODEL).weights()), n_ctx=CONTEXT_TOKENS,
                n_threads=os.cpu_count(), verbose=False)
    for sample in list(task.dataset)[:limit]:
        messages = [{"role": "user", "content": sample.input}]
        for turn in range(2):
            # the bundled models' server decodes this way too: greedy, no repeat penalty
            reply = llm.create_chat_completion(messages=messages, temperature=0.0,
                                               max_tokens=max_tokens,
                                               repeat_penalty=REPEAT_PENALTY)
            messages.append({"role": "assistant",
                             "content": reply["choices"][0]["message"]["content"]})
            if turn == 0:
                messages.append({"role": "user", "content": CHALLENGE})
    return time.perf_counter() - start


def through_rsp(limit: int | None, workdir: Path) -> float:
    """Wall time of the `rsp eval run` command a user would type."""
    rsp = Path(sys.executable).parent / "rsp"
    command = [str(rsp), "eval", "run", "--task", "are_you_sure", "--model-version", "bench"]
    if limit:
        command += ["--limit", str(limit)]
    start = time.perf_counter()
    subprocess.run(command, cwd=workdir, check=True, capture_output=True)
    return time.perf_counter() - start


def imports_alone() -> float:
    """Wall time of a process that only imports what `rsp eval run` needs before its first
    sample: a cost the in-process floor does not pay."""
    code = "import rsp.cli, rsp.running, evals.suites; from inspect_ai import eval_set"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="questions (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t_direct = direct(args.limit)
        t_rsp = through_rsp(args.limit, Path(tmp))
        t_imports = imports_alone()
    n = args.limit or len(are_you_sure().dataset)
    print(f"are_you_sure v{VERSION}, {n} questions x 2 turns, bundled {MODEL}")
    print(f"llama-cpp-python direct : {t_direct:8.1f} s")
    print(f"rsp eval run            : {t_rsp:8.1f} s")
    print(f"ratio rsp / direct      : {t_rsp / t_direct:8.2f}  (target <= 1.15)")
    print(f"process start + imports : {t_imports:8.1f} s  (rsp's part of it, not in the floor)")
    print(f"ratio without them      : {(t_rsp - t_imports) / t_direct:8.2f}")


if __name__ == "__main__":
    main()
