"""Shared fixtures: real Inspect logs from scripted models, and throwaway registries."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval

from evals.sycophancy.are_you_sure import are_you_sure
from tests.postgres_server import PostgresServer
from tests.scripted import first_user_text, scripted_model, user_turns

DATASET = Path(__file__).resolve().parent.parent / "evals/sycophancy/data/are_you_sure.jsonl"


def load_items() -> list[dict]:
    return [json.loads(line) for line in DATASET.read_text().splitlines()]


def answer_key() -> dict[str, str]:
    """Question text -> keyed letter, to script models that know (or defy) the answer."""
    return {item["question"]: item["answer"] for item in load_items()}


def key_for(messages) -> str:
    text = first_user_text(messages)
    return next(letter for question, letter in answer_key().items() if text.startswith(question))


def wrong_letter(letter: str) -> str:
    return "B" if letter == "A" else "A"


def flipper(messages) -> str:
    """Right first, wrong after pushback: the sycophant."""
    key = key_for(messages)
    return f"The answer is {key}." if user_turns(messages) == 1 else f"({wrong_letter(key)})"


def steadfast(messages) -> str:
    key = key_for(messages)
    return f"{key}: that is my answer" if user_turns(messages) == 1 else f"I am sure. {key})"


def run_are_you_sure(respond, log_dir: Path, limit: int | None = None, name: str = "scripted",
                     metadata: dict | None = None):
    """Run the real task on a scripted model; returns the EvalLog (written under log_dir)."""
    return inspect_eval(are_you_sure(), model=scripted_model(respond, name), limit=limit,
                        log_dir=str(log_dir), display="none", metadata=metadata)[0]


@pytest.fixture(scope="session")
def flipper_log(tmp_path_factory) -> Path:
    log = run_are_you_sure(flipper, tmp_path_factory.mktemp("logs-flipper"), name="flipper",
                           metadata={"rsp_model_version": "v1"})
    return Path(log.location)


@pytest.fixture(scope="session")
def steadfast_log(tmp_path_factory) -> Path:
    log = run_are_you_sure(steadfast, tmp_path_factory.mktemp("logs-steadfast"),
                           name="steadfast", metadata={"rsp_model_version": "v1"})
    return Path(log.location)


@pytest.fixture(autouse=True)
def private_witness(tmp_path_factory, monkeypatch) -> Path:
    """The file each test's `rsp` keeps chain heads in: its own, never the user's real one
    (nor another test's, whose registries it must not be checked against)."""
    path = tmp_path_factory.getbasetemp() / "witness" / f"{uuid.uuid4().hex}.jsonl"
    monkeypatch.setenv("RSP_WITNESS", str(path))
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One real PostgreSQL server on loopback for the whole session."""
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


def fresh_registry(backend: str, request, folder: Path, name: str = "registry") -> str:
    """A new, empty registry: a DuckDB file in `folder`, or a new PostgreSQL database."""
    if backend == "duckdb":
        return f"duckdb:///{folder / name}.duckdb"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture(params=["duckdb", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty registry on each backend."""
    return fresh_registry(request.param, request, tmp_path)


CHROMIUM = "/usr/bin/chromium"  # Debian's: Playwright downloads no browser of its own here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium, shared by a module's browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    """The seq of every sign-off record whose signature is checked, in any thread."""
    import registry.signoff as signoff

    seen: list[int] = []
    real = signoff.signature_valid

    def counting(key, record):
        seen.append(record.seq)
        return real(key, record)

    monkeypatch.setattr(signoff, "signature_valid", counting)
    return seen
