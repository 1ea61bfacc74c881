"""Audit, the pure half: what a difference between the registry and its logs is, and how rows
are compared. No I/O here; `registry.audit_store` reads the registry and re-reads the logs.

Rows are compared value by value as ingest wrote them: a float equals only the same float
(NaN equals NaN, 0.0 is not -0.0), None equals only None, and a value never equals one of
another type. Per-sample rows can be hundreds of thousands per run, so they are first compared
through an order-free digest per bucket of keys, built one row at a time on each side; only
the buckets whose digests differ are then compared row by row.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

EXAMPLES = 5  # rows named per finding; the count says how many there are in all
BUCKETS = 1024
SCORE_SHOWN = ("value", "stderr", "n")  # what names a missing or extra score

FindingKind = Literal[
    "log_missing", "log_unreadable", "log_changed", "run_changed",
    "score_changed", "score_missing", "score_extra",
    "samples_changed", "samples_missing", "samples_extra", "run_deleted",
]

Key = tuple[Hashable, ...]
Row = Mapping[str, Any]


def same(stored: Any, recomputed: Any) -> bool:
    """Whether a stored value is the value ingest would write: the same type and value, with
    floats compared by their exact spelling (so NaN equals NaN, and 0.0 is not -0.0)."""
    if type(stored) is not type(recomputed):
        return False
    if isinstance(stored, float):
        return repr(stored) == repr(recomputed)
    return bool(stored == recomputed)


def diff_fields(stored: Row, recomputed: Row) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ, each as (stored, recomputed), in `recomputed`'s order."""
    return {name: (stored.get(name), value) for name, value in recomputed.items()
            if not same(stored.get(name), value)}


@dataclass(frozen=True)
class ChangedRow:
    """One row present on both sides whose fields differ."""

    key: Key
    fields: dict[str, tuple[Any, Any]]  # name -> (stored, recomputed)


@dataclass
class RowsDiff:
    """How the stored rows of one kind differ from those recomputed from the log: counts of
    rows changed, missing from the registry and extra in it, and the first few of each."""

    changed: int = 0
    missing: int = 0
    extra: int = 0
    changed_rows: list[ChangedRow] = field(default_factory=list)
    missing_rows: list[tuple[Key, Row]] = field(default_factory=list)  # as the log has them
    extra_rows: list[tuple[Key, Row]] = field(default_factory=list)  # as the registry has them

    def merge(self, other: RowsDiff, limit: int = EXAMPLES) -> RowsDiff:
        """Both diffs as one (of disjoint sets of keys), keeping the first `limit` examples."""
        return RowsDiff(
            self.changed + other.changed, self.missing + other.missing,
            self.extra + other.extra, (self.changed_rows + other.changed_rows)[:limit],
            (self.missing_rows + other.missing_rows)[:limit],
            (self.extra_rows + other.extra_rows)[:limit])


def diff_rows(stored: Iterable[tuple[Key, Row]], recomputed: Iterable[tuple[Key, Row]],
              limit: int = EXAMPLES) -> RowsDiff:
    """Compare keyed rows: those only in the log are missing, those only in the registry extra,
    and a key stored twice counts its second row as extra (recomputed twice: as missing).
    Examples are the first `limit` of each kind in key order."""
    stored_rows, extra = _by_key(stored)
    log_rows, missing = _by_key(recomputed)
    missing += [(key, row) for key, row in log_rows.items() if key not in stored_rows]
    extra += [(key, row) for key, row in stored_rows.items() if key not in log_rows]
    changed: list[ChangedRow] = []
    for key, row in log_rows.items():
        if key in stored_rows and (fields := diff_fields(stored_rows[key], row)):
            changed.append(ChangedRow(key, fields))
    changed.sort(key=lambda c: _order(c.key))
    missing.sort(key=lambda item: _order(item[0]))
    extra.sort(key=lambda item: _order(item[0]))
    return RowsDiff(len(changed), len(missing), len(extra), changed[:limit], missing[:limit],
                    extra[:limit])


def _by_key(rows: Iterable[tuple[Key, Row]]
            ) -> tuple[dict[Key, Row], list[tuple[Key, Row]]]:
    first: dict[Key, Row] = {}
    repeated: list[tuple[Key, Row]] = []
    for key, row in rows:
        if key in first:
            repeated.append((key, row))
        else:
            first[key] = row
    return first, repeated


def _order(key: Key) -> tuple[tuple[str, Any], ...]:
    # values of one column may mix types (a sample id stored as text, or NULL): sort by type
    # name first, so only values of the same type are ever compared
    return tuple((type(v).__name__, v) for v in key)


class RowsDigest:
    """An order-free digest of keyed rows, kept per bucket of keys, in constant memory.

    Each row adds its hash to its key's bucket (a sum, so duplicates count and order does
    not); two sides with equal sums and counts in every bucket hold the same rows. Buckets
    come from Python's `hash` of the key: salted per process, so both sides of a comparison
    must be built in the same process.
    """

    def __init__(self, buckets: int = BUCKETS) -> None:
        self.sums = [0] * buckets
        self.counts = [0] * buckets

    @property
    def rows(self) -> int:
        return sum(self.counts)

    def bucket(self, key: Key) -> int:
        """The bucket a key's row falls in."""
        return hash(key) % len(self.counts)

    def add(self, key: Key, row: tuple[Any, ...]) -> None:
        """Count one row (its values in a fixed column order, of str, int, float or None:
        their repr is exact, so equal digests mean `same` values)."""
        b = self.bucket(key)
        self.sums[b] += int.from_bytes(hashlib.blake2b(repr(row).encode(),
                                                       digest_size=16).digest())
        self.counts[b] += 1

    def differing(self, other: RowsDigest) -> list[int]:
        """The buckets whose rows differ between the two sides."""
        return [b for b in range(len(self.sums))
                if (self.sums[b], self.counts[b]) != (other.sums[b], other.counts[b])]

    def groups(self, other: RowsDigest, max_rows: int) -> list[set[int]]:
        """The differing buckets in groups of at most `max_rows` rows on either side (a bucket
        larger than that forms a group alone), so a row-by-row comparison of one group at a
        time holds a bounded number of rows."""
        groups: list[set[int]] = []
        current: set[int] = set()
        held = 0
        for b in self.differing(other):
            size = max(self.counts[b], other.counts[b])
            if current and held + size > max_rows:
                groups.append(current)
                current, held = set(), 0
            current.add(b)
            held += size
        return [*groups, current] if current else groups


@dataclass(frozen=True)
class RunRef:
    """The stored run a finding is about."""

    id: str
    task: str
    model_version: str
    log_location: str


@dataclass(frozen=True)
class Finding:
    """One difference between the registry and a log, named for people and for scripts."""

    run: RunRef
    kind: FindingKind
    subject: str  # what differs: "log file", "field status", "score are_you_sure/flip_rate"
    stored: Any = None  # what the registry holds
    recomputed: Any = None  # what the log says
    count: int = 1
    examples: tuple[dict[str, Any], ...] = ()
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: non-finite floats and other odd values spelled as strings."""
        return {"run_id": self.run.id, "task": self.run.task,
                "model_version": self.run.model_version, "log": self.run.log_location,
                "kind": self.kind, "subject": self.subject, "stored": _plain(self.stored),
                "recomputed": _plain(self.recomputed), "count": self.count,
                "examples": _plain(list(self.examples)), "detail": self.detail}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # JSON has no NaN or infinity
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # datetimes


def field_findings(run: RunRef, stored: Row, recomputed: Row) -> list[Finding]:
    """One finding per field of the run row that the log gives otherwise."""
    return [Finding(run, "run_changed", f"field {name}", old, new)
            for name, (old, new) in diff_fields(stored, recomputed).items()]


def score_findings(run: RunRef, diff: RowsDiff, shown: tuple[str, ...] = SCORE_SHOWN
                   ) -> list[Finding]:
    """One finding per score row changed, missing or extra, named by scorer and metric: a
    changed one with its differing fields, stored against recomputed; a missing or extra one
    with the `shown` fields of the side that has it."""
    def name(key: Key) -> str:
        return f"score {'/'.join(map(str, key))}"

    def picked(row: Row) -> dict[str, Any]:
        return {k: row[k] for k in shown if k in row}

    found = [Finding(run, "score_changed", name(c.key),
                     {k: old for k, (old, _) in c.fields.items()},
                     {k: new for k, (_, new) in c.fields.items()}) for c in diff.changed_rows]
    found += [Finding(run, "score_missing", name(key), None, picked(row),
                      detail="in the log, not in the registry") for key, row in diff.missing_rows]
    found += [Finding(run, "score_extra", name(key), picked(row), None,
                      detail="in the registry, not in the log") for key, row in diff.extra_rows]
    return found


def sample_findings(run: RunRef, diff: RowsDiff) -> list[Finding]:
    """At most one finding per kind (changed, missing, extra) with the number of sample rows
    and the first few, by sample id and epoch."""
    found: list[Finding] = []
    if diff.changed:
        examples = tuple({"sample_id": c.key[0], "epoch": c.key[1],
                          "fields": {k: {"stored": old, "recomputed": new}
                                     for k, (old, new) in c.fields.items()}}
                         for c in diff.changed_rows)
        found.append(Finding(run, "samples_changed", "sample rows", count=diff.changed,
                             examples=examples, detail="stored values differ from the log"))
    sides: tuple[tuple[FindingKind, int, list[tuple[Key, Row]], str], ...] = (
        ("samples_missing", diff.missing, diff.missing_rows, "in the log, not in the registry"),
        ("samples_extra", diff.extra, diff.extra_rows, "in the registry, not in the log"))
    for kind, count, rows, detail in sides:
        if count:
            found.append(Finding(run, kind, "sample rows", count=count, detail=detail,
                                 examples=tuple({"sample_id": k[0], "epoch": k[1]}
                                                for k, _ in rows)))
    return found


def deleted_run_findings(references: Mapping[str, list[str]],
                         versions: Mapping[str, str]) -> list[Finding]:
    """One finding per run id that rows still refer to (`references`: run id -> what refers
    to it) but that the registry no longer holds; `versions` names the version where known."""
    kind: FindingKind = "run_deleted"
    return [Finding(RunRef(run_id, "", versions.get(run_id, "unknown"), ""), kind, "run row",
                    detail="no such run, yet " + "; ".join(sorted(refs)))
            for run_id, refs in sorted(references.items())]


@dataclass
class AuditReport:
    """What an audit covered and every difference it found."""

    runs: int = 0
    logs: int = 0  # logs re-read and recomputed (a missing or unreadable one is a finding)
    samples: int = 0  # stored sample rows compared
    findings: list[Finding] = field(default_factory=list)

    @property
    def runs_with_findings(self) -> int:
        return len({f.run.id for f in self.findings})

    def summary(self) -> str:
        """One line: what was covered, and whether every stored row matches its log."""
        if not self.runs and not self.findings:
            return "audit: no stored runs to check"
        covered = f"audit: {self.runs:,} runs, {self.logs:,} logs, {self.samples:,} samples"
        if not self.findings:
            return f"{covered}: every stored row matches its log"
        return (f"{covered}: {len(self.findings):,} finding(s) in "
                f"{self.runs_with_findings:,} run(s)")
