"""Sample invalidations: signed corrections of a run's evidence. Pure: no I/O.

A broken item or a harness fault is not fixed by editing rows. A reviewer appends an
`invalidate` record to the sign-off chain naming the run, the samples and why; the record
carries the run's scores recomputed without those samples (by the task's own metrics, see
`registry.rescore`), and its signature covers them through `evidence_sha256`. Determinations
then read those numbers instead of the stored ones, and every approval that rested on the run
is void because its evidence digest changes. Invalidations are cumulative: the newest record
for a run names every sample invalidated so far.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from registry.schema import Score
from registry.signoff import Record
from registry.stats import z_value


@dataclass(frozen=True)
class CorrectedScore:
    scorer: str
    metric: str
    value: float
    stderr: float | None
    n: int


@dataclass(frozen=True)
class Invalidation:
    """What an `invalidate` record covers: the run (and its log), its invalidated samples and
    its scores recomputed without them."""

    run_id: str
    log_sha256: str
    samples: tuple[str, ...]
    scores: tuple[CorrectedScore, ...]

    def to_json(self) -> str:
        return json.dumps({"run": self.run_id, "log_sha256": self.log_sha256,
                           "samples": sorted(self.samples),
                           "scores": [asdict(s) for s in self.scores]}, sort_keys=True)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @classmethod
    def from_json(cls, text: str) -> Invalidation:
        data = json.loads(text)
        return cls(data["run"], data["log_sha256"], tuple(data["samples"]),
                   tuple(CorrectedScore(**s) for s in data["scores"]))


@dataclass(frozen=True)
class Correction:
    """An invalidation as the chain records it: who made it, when and why."""

    seq: int
    reviewer: str
    created_at: str
    reason: str
    invalidation: Invalidation


def corrections(records: Iterable[Record]) -> dict[str, Correction]:
    """The newest invalidation of each run among `records` (in chain order).

    A record is taken only if its hash is intact and its kept invalidation is what its hash
    covers; whether its signer may sign is for `rsp signoff verify`, which a release needs.
    """
    found: dict[str, Correction] = {}
    for record in records:
        if record.kind != "invalidate" or record.computed_hash() != record.record_hash:
            continue
        try:
            invalidation = Invalidation.from_json(record.evidence_json)
        except (ValueError, TypeError, KeyError):
            continue
        if invalidation.sha256 == record.evidence_sha256 and invalidation.run_id == record.subject:
            found[invalidation.run_id] = Correction(record.seq, record.reviewer,
                                                    record.created_at, record.text, invalidation)
    return found


def corrected(scores: Sequence[Score], correction: Correction) -> list[Score]:
    """The run's scores as its correction recomputed them (new rows: nothing stored changes).
    A stored metric the correction does not recompute is dropped: it would still count the
    invalidated samples."""
    by_key = {(s.scorer, s.metric): s for s in correction.invalidation.scores}
    z = z_value(0.95)
    out = []
    for score in scores:
        new = by_key.get((score.scorer, score.metric))
        if new is None:
            continue
        bounded = new.stderr is not None and math.isfinite(new.value)
        half = z * new.stderr if new.stderr is not None else math.nan
        out.append(Score(id=score.id, run_id=score.run_id, scorer=new.scorer, metric=new.metric,
                         value=new.value, stderr=new.stderr, n=new.n,
                         ci_low=new.value - half if bounded else None,
                         ci_high=new.value + half if bounded else None))
    return out
