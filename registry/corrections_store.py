"""Corrections in the registry: preparing a sample invalidation, and the history of a run.

The invalidation itself is signed and appended by the sign-off workflow; this module works out
what it covers (see `registry.corrections`) and refuses what it cannot stand behind.

Reading a run's history needs only the registry; re-reading its log and recomputing its scores
(Inspect, about a second to import) is left to `invalidation_for`, which imports them itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from registry.corrections import CorrectedScore, Correction, Invalidation, corrections
from registry.errors import RspError
from registry.records_store import read_records
from registry.schema import EvalRun, Sample, Score, SignoffRecord
from registry.signoff import SignoffError


class UnknownRun(RspError, LookupError):
    """A run id the registry does not hold."""


@dataclass(frozen=True)
class RunHistory:
    """Every revision of one eval, oldest first, and the invalidations of each."""

    revisions: list[EvalRun]
    corrections: dict[str, Correction]  # run id -> its newest invalidation


def find_run(session: Session, run_id: str) -> EvalRun:
    """The run with this id (or the current revision of the eval with this id)."""
    run = session.get(EvalRun, run_id) or session.exec(
        select(EvalRun).where(EvalRun.eval_id == run_id,
                              col(EvalRun.superseded_by).is_(None))).first()
    if run is None:
        raise UnknownRun(f"No run '{run_id}' in the registry. Fix: use a run id as `rsp "
                         "report` or the dashboard's Runs page lists it.")
    return run


def run_history(session: Session, run_id: str) -> RunHistory:
    """The revisions of the eval `run_id` belongs to, with their invalidations."""
    run = find_run(session, run_id)
    revisions = list(session.exec(select(EvalRun).where(EvalRun.eval_id == run.eval_id)
                                  .order_by(col(EvalRun.revision))).all())
    found = corrections(read_records(session, col(SignoffRecord.kind) == "invalidate",
                                     col(SignoffRecord.subject).in_([r.id for r in revisions])))
    return RunHistory(revisions, found)


def version_corrections(session: Session, version_id: str) -> tuple[list[EvalRun],
                                                                    list[Correction]]:
    """What was corrected in a version's evidence: superseded runs, and invalidations."""
    superseded = list(session.exec(
        select(EvalRun).where(EvalRun.model_version_id == version_id,
                              col(EvalRun.superseded_by).is_not(None))
        .order_by(col(EvalRun.eval_id), col(EvalRun.revision))).all())
    records = read_records(session, col(SignoffRecord.kind) == "invalidate",
                           col(SignoffRecord.model_version) == version_id)
    every = [c for r in records for c in corrections([r]).values()]
    return superseded, every


def invalidation_for(session: Session, run_id: str,
                     samples: list[str]) -> tuple[EvalRun, Invalidation]:
    """The run, and what invalidating `samples` of it covers: all its invalidated samples so
    far and its scores recomputed without them. Raises SignoffError saying why when the run is not
    current, a sample is not in it, or its scores cannot be recomputed faithfully."""
    from registry.log_reader import file_sha256, read_header
    from registry.rescore import Unrecomputable, differences, recompute_scores

    run = find_run(session, run_id)
    if run.superseded_by is not None:
        raise SignoffError(f"Run {run.id} is superseded by {run.superseded_by}. Fix: invalidate "
                           "samples of the current revision.")
    stored = session.exec(select(Sample.sample_id, Sample.epoch, Sample.scores_json)
                          .where(Sample.run_id == run.id)).all()
    unknown = sorted(set(samples) - {row[0] for row in stored})
    if unknown:
        raise SignoffError(f"Run {run.id} has no sample {', '.join(unknown)}. Fix: use sample "
                           "ids as the dashboard's Runs page or the log lists them.")
    earlier = corrections(read_records(session, col(SignoffRecord.kind) == "invalidate",
                                       col(SignoffRecord.subject) == run.id)).get(run.id)
    excluded = frozenset(samples) | frozenset(earlier.invalidation.samples if earlier else ())
    if len(excluded) == len({row[0] for row in stored}):
        raise SignoffError(f"That would invalidate every sample of run {run.id}. Fix: re-run "
                           "the eval instead; its new log supersedes this run.")
    try:
        if file_sha256(run.log_location) != run.log_sha256:
            raise SignoffError(f"The log of run {run.id} ({run.log_location}) changed since it "
                               "was ingested. Fix: run `rsp audit` and settle that first.")
        header = read_header(run.log_location)
    except OSError as exc:
        raise SignoffError(f"The log of run {run.id} cannot be read ({exc}); its metrics are "
                           "needed to recompute its scores. Fix: restore the log at "
                           f"{run.log_location}.") from None
    rows = list(session.exec(select(Score).where(Score.run_id == run.id)).all())
    try:
        mismatch = differences(rows, recompute_scores(header, run.id, stored))
        if mismatch:
            raise Unrecomputable("its stored scores are not reproduced: " + "; ".join(mismatch))
        scores = recompute_scores(header, run.id, stored, excluded)
    except Unrecomputable as exc:
        raise SignoffError(f"The scores of run {run.id} cannot be recomputed without those "
                           f"samples ({exc}), so they cannot be invalidated here. Fix: re-run "
                           "the eval without them.") from None
    return run, Invalidation(run.id, run.log_sha256, tuple(sorted(excluded)), tuple(
        CorrectedScore(s.scorer, s.metric, s.value, s.stderr, s.n) for s in scores))
