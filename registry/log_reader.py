"""Finding and reading Inspect logs, locally or on any fsspec filesystem (S3 included).

Everything is validated with Inspect's own models. Sample summaries are streamed: Inspect's
reader `json.load`s a log's whole `summaries.json`, which for 200,000 samples costs gigabytes.
So for `.eval` logs the summaries are parsed incrementally (ijson) and each is validated with
Inspect's `EvalSampleSummary` model exactly as Inspect validates it; logs without consolidated
summaries (`.json` logs) go through Inspect's reader.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import fsspec
import ijson
from inspect_ai._util.constants import get_deserializing_context  # Inspect's own read context
from inspect_ai.log import (
    EvalLog,
    EvalSampleSummary,
    list_eval_logs,
    read_eval_log,
    read_eval_log_sample_summaries,
)

LOG_SUFFIXES = (".eval", ".json")
# bookkeeping Inspect writes beside its logs (log listings, eval_set state): not logs
NOT_LOGS = {"logs.json", "eval-set.json"}
SUMMARIES_MEMBER = "summaries.json"
HEADER_MEMBER = "header.json"


def is_remote(location: str) -> bool:
    return "://" in location and not location.startswith("file://")


def discover_logs(paths: Iterable[str | Path]) -> tuple[list[str], list[str]]:
    """Expand files, directories and remote prefixes (s3://...) into log locations.

    Returns (logs, missing): local paths are resolved to absolute paths.
    """
    found: list[str] = []
    missing: list[str] = []
    for raw in paths:
        location = str(raw)
        if is_remote(location):
            found.extend(_remote_logs(location))
            continue
        path = Path(location)
        if path.is_dir():
            found.extend(str(p.resolve()) for p in sorted(path.rglob("*"))
                         if p.suffix in LOG_SUFFIXES and p.is_file()
                         and not p.name.startswith(".") and p.name not in NOT_LOGS)
        elif path.is_file():
            found.append(str(path.resolve()))
        else:
            missing.append(location)
    return found, missing


def _remote_logs(location: str) -> list[str]:
    if location.endswith(LOG_SUFFIXES):
        return [location]
    return [info.name for info in list_eval_logs(location, recursive=True)]


def open_binary(location: str) -> IO[bytes]:
    return fsspec.open(location, "rb").open() if is_remote(location) else open(location, "rb")


def file_sha256(location: str) -> str:
    digest = hashlib.sha256()
    with open_binary(location) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_header(location: str) -> EvalLog:
    """The log without its samples: spec, results, stats.

    A finished .eval log's header member is validated with Inspect's EvalLog model directly:
    the same result as Inspect's header-only read, without its per-call async set-up (which
    costs more than parsing a 500-sample log's summaries).
    """
    if location.endswith(".eval"):
        with open_binary(location) as raw, zipfile.ZipFile(raw) as archive:
            _check_member_names(archive)
            if HEADER_MEMBER in archive.namelist():
                return EvalLog.model_validate(json.loads(archive.read(HEADER_MEMBER)),
                                              context=get_deserializing_context())
    return read_eval_log(location, header_only=True)


def _check_member_names(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose directory names a member in bytes that are not UTF-8.

    Inspect's own zip reader decodes every member name as UTF-8 (Python's zipfile falls back
    to cp437), so such a log, e.g. one with a bit flipped in a sample's name, cannot be opened
    by Inspect even though its header and summaries read here: it is damaged, not a log.
    """
    for info in archive.infolist():
        if info.flag_bits & 0x800:  # already decoded as UTF-8 by zipfile
            continue
        try:
            info.filename.encode("cp437").decode("utf-8")
        except UnicodeError:
            raise ValueError(f"the zip directory names a member {info.filename!r} in bytes "
                             "that are not UTF-8") from None


def iter_summaries(location: str) -> Iterator[EvalSampleSummary]:
    """Every sample summary of a log, one at a time."""
    if location.endswith(".eval"):
        with open_binary(location) as raw, zipfile.ZipFile(raw) as archive:
            if SUMMARIES_MEMBER in archive.namelist():
                with archive.open(SUMMARIES_MEMBER) as member:
                    for item in ijson.items(member, "item", use_float=True):
                        yield EvalSampleSummary.model_validate(
                            item, context=get_deserializing_context())
                    return
    # an in-progress .eval (journal only) or a .json log: Inspect's reader handles both
    yield from read_eval_log_sample_summaries(location)
