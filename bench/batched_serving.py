"""Batched serving: llama-cpp-python's server against llama.cpp's llama-server with K slots.

Sends the first turn of the first N "Are you sure?" questions (the user message the task
builds, temperature 0, the task's max_tokens, the same seed and repeat penalty) to the bundled
SmolLM2 through the OpenAI-compatible /v1/chat/completions endpoint of

  (a) llama-cpp-python's server, one request at a time: what served the bundled models before
      the bundled models moved to llama-server;
  (b) llama-server (rsp.llama_server.LlamaServer) with --parallel K and continuous batching,
      K = 1, 2, 4, the same model file, the same context per slot and the same threads, sent by
      K concurrent clients. K = 1 is how the bundled models are served now.

Prints wall time, samples/s and the ratio to (a), and the share of replies identical to (a)'s
and to llama-server K=1's for the same prompt: the batched rows show how far a reply depends on
what else was in the batch. Server start-up and one warm-up request are not timed.

    .venv/bin/python bench/batched_serving.py [--limit N] [--slots 1 2 4] [--llama-server PATH]

llama-server is the one scripts/setup.sh builds (or $RSP_LLAMA_SERVER, or --llama-server).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from llama_cpp.server.types import repeat_penalty_field

from evals.sycophancy.are_you_sure import are_you_sure
from rsp.llama_server import (
    CONTEXT_TOKENS,
    LLAMA_SERVER_ENV,
    REPEAT_PENALTY,
    LlamaServer,
    bundled_model,
    decode_threads,
)

MODEL = "smollm2-135m-instruct"
SEED = 0


class LlamaCppPythonServer(LlamaServer):
    """llama-cpp-python's server with the settings the bundled models were served with."""

    def command(self, weights: Path) -> list[str]:
        threads = str(decode_threads())
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(weights),
                "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(CONTEXT_TOKENS),
                "--n_threads", threads, "--n_threads_batch", threads, "--logits_all", "False",
                "--interrupt_requests", "False", "--verbose", "False"]

    def health_url(self) -> str:
        return f"{self.base_url}/models"


def model_id(base_url: str) -> str:
    with urllib.request.urlopen(f"{base_url}/models", timeout=10) as resp:
        return json.load(resp)["data"][0]["id"]


def chat(base_url: str, model: str, prompt: str, max_tokens: int, repeat_penalty: float
         ) -> tuple[str, int]:
    body = {
        "model": model,
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0.0,
        "max_tokens": max_tokens,
        "seed": SEED,
        # 1.0 (off) by default: llama-server counts the prompt's last tokens in the penalty
        # window and llama-cpp-python does not, so at 1.1 (llama-cpp-python's server default)
        # the two decode differently from the first token on.
        "repeat_penalty": repeat_penalty,
        "stream": False,
    }
    req = urllib.request.Request(f"{base_url}/chat/completions",
                                 data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as resp:
        data = json.load(resp)
    return data["choices"][0]["message"]["content"] or "", data["usage"]["completion_tokens"]


def run_all(base_url: str, prompts: list[str], max_tokens: int, clients: int,
            repeat_penalty: float) -> tuple[float, list[str], int]:
    """Warm up once, then the wall time of all prompts sent by `clients` concurrent clients."""
    model = model_id(base_url)
    chat(base_url, model, "Say hello.", 8, repeat_penalty)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        out = list(pool.map(lambda p: chat(base_url, model, p, max_tokens, repeat_penalty),
                            prompts))
    return time.perf_counter() - start, [o[0] for o in out], sum(o[1] for o in out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=40, help="questions (default: 40)")
    parser.add_argument("--slots", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--llama-server", default=None, help="path of the llama-server binary")
    parser.add_argument("--repeat-penalty", type=float, default=REPEAT_PENALTY,
                        help=f"sent to both (default {REPEAT_PENALTY}, as the bundled models "
                             f"are served; llama-cpp-python's server defaults to "
                             f"{repeat_penalty_field.default})")
    args = parser.parse_args()

    task = are_you_sure()
    max_tokens = task.config.max_tokens or 48
    prompts = [str(s.input) for s in list(task.dataset)[: args.limit]]
    weights = bundled_model(MODEL).weights()
    threads = decode_threads()
    if args.llama_server:
        os.environ[LLAMA_SERVER_ENV] = args.llama_server

    rp = args.repeat_penalty
    rows: list[tuple[str, int, float, list[str], int]] = []
    server = LlamaCppPythonServer(weights)
    try:
        seconds, replies, tokens = run_all(server.base_url, prompts, max_tokens, 1, rp)
    finally:
        server.stop()
    rows.append(("llama-cpp-python (before)", 1, seconds, replies, tokens))

    for k in args.slots:
        batched = LlamaServer(weights, slots=k)
        try:
            seconds, replies, tokens = run_all(batched.base_url, prompts, max_tokens, k, rp)
        finally:
            batched.stop()
        rows.append(("llama-server -cb", k, seconds, replies, tokens))

    n = len(prompts)
    base_s, base_replies = rows[0][2], rows[0][3]
    k1 = next((r[3] for r in rows[1:] if r[1] == 1), None)
    print(f"are_you_sure first turn, {n} prompts, max_tokens={max_tokens}, temperature 0, "
          f"seed {SEED}, repeat_penalty {rp}, bundled {MODEL}, "
          f"{threads} threads, {os.cpu_count()} CPUs")
    print(f"{'server':26} {'slots':>5} {'seconds':>8} {'samples/s':>9} {'ratio':>6} "
          f"{'tokens':>6} {'tok/s':>6} {'same as (a)':>11} {'same as K=1':>11}")
    for name, k, seconds, replies, tokens in rows:
        same_a = sum(r == b for r, b in zip(replies, base_replies, strict=True)) / n
        same_k1 = ("" if k1 is None or name.startswith("llama-cpp-python")
                   else f"{sum(r == b for r, b in zip(replies, k1, strict=True)) / n:.0%}")
        print(f"{name:26} {k:>5} {seconds:>8.1f} {n / seconds:>9.2f} "
              f"{base_s / seconds:>6.2f} {tokens:>6} {tokens / seconds:>6.1f} {same_a:>11.0%} "
              f"{same_k1:>11}")
    out = Path(tempfile.gettempdir()) / "batched_serving_replies.json"
    out.write_text(json.dumps([{"server": r[0], "slots": r[1], "replies": r[3]} for r in rows],
                              indent=1))
    print(f"replies: {out}")


if __name__ == "__main__":
    main()
