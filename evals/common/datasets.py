"""Loading the JSONL datasets that ship inside `evals/`."""

from __future__ import annotations

import hashlib
import site
from collections.abc import Callable
from pathlib import Path

from inspect_ai.dataset import Dataset, Sample, json_dataset

from task_contract import DATASET_SHA256_KEY

EVALS_DIR = Path(__file__).resolve().parent.parent


def dataset_path(relative: str) -> Path:
    """A path relative to `evals/` (bundled data), or an absolute / cwd-relative path."""
    candidate = Path(relative)
    if candidate.is_file():
        return candidate.resolve()
    bundled = EVALS_DIR / relative
    if bundled.is_file():
        return bundled
    raise FileNotFoundError(f"Dataset {relative} not found (looked in the current directory "
                            f"and in {EVALS_DIR}). Fix: pass the path of a JSONL file.")


def jsonl_dataset(relative: str, record_to_sample: Callable[[dict], Sample]) -> Dataset:
    path = dataset_path(relative)
    return json_dataset(str(path), record_to_sample, name=path.stem)


def dataset_metadata(dataset: Dataset) -> dict[str, str]:
    """Task metadata with the content hash of a dataset read from a local file (nothing for
    one built in memory), so that runs of different files are never paired item by item."""
    location = Path(dataset.location or "")
    if not location.is_file():
        return {}
    return {DATASET_SHA256_KEY: hashlib.sha256(location.read_bytes()).hexdigest()}


def task_name(name: str) -> str:
    """The name to register a task under so that it is always `evals/<name>`.

    Inspect prefixes the package only for code installed in site-packages; an editable install
    (how this repository is set up) would leave tasks bare and `inspect eval evals/<name>`
    would not find them.
    """
    installed = any(EVALS_DIR.is_relative_to(Path(p).resolve()) for p in site.getsitepackages())
    return name if installed else f"evals/{name}"
