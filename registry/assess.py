"""Glue between the registry and the pure tier engine: gather estimates, store determinations."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from registry.corrections import Correction, corrected, corrections
from registry.elicitation import Elicitation, gaps
from registry.errors import RspError
from registry.policy import Indicator, JudgeRule, Policy
from registry.reassessment import AssessedVersion, AssessmentDue, assessment_due
from registry.records_store import read_records
from registry.schema import Determination, EvalRun, ModelVersion, Score, SignoffRecord
from registry.tiers import Estimate, VersionDetermination, decide_version


class UnknownModel(RspError, LookupError):
    """A MODEL[@VERSION] that the registry does not hold."""


@dataclass(frozen=True)
class Assessment:
    version: ModelVersion
    determination: VersionDetermination
    assessed_at: datetime | None = None  # completion of the newest run the decision rests on


def parse_model_spec(spec: str) -> tuple[str, str | None]:
    """`line@label` -> (line, label); a bare `line` means its latest version."""
    line, sep, label = spec.rpartition("@")
    return (line, label) if sep else (spec, None)


def latest_versions(session: Session) -> list[ModelVersion]:
    """The newest version of every model line (by when it was first recorded)."""
    versions = session.exec(select(ModelVersion).order_by(col(ModelVersion.created_at))).all()
    latest: dict[str, ModelVersion] = {}
    for v in versions:
        latest[v.model_line] = v
    return sorted(latest.values(), key=lambda v: v.model_line)


def all_versions(session: Session) -> list[ModelVersion]:
    """Every version in the registry, by line, each line's oldest first."""
    versions = session.exec(select(ModelVersion).order_by(col(ModelVersion.created_at))).all()
    return sorted(versions, key=lambda v: v.model_line)  # stable: keeps each line's order


def resolve_versions(session: Session, spec: str | None) -> list[ModelVersion]:
    """The versions a MODEL[@VERSION] argument names; None means every line's latest."""
    if spec is None:
        return latest_versions(session)
    line, label = parse_model_spec(spec)
    query = select(ModelVersion).where(ModelVersion.model_line == line)
    if label is not None:
        query = query.where(ModelVersion.label == label)
    found = session.exec(query.order_by(col(ModelVersion.created_at))).all()
    if not found:
        known = sorted(session.exec(select(ModelVersion.id)).all())
        hint = ", ".join(known[:10]) if known else "none yet: run `rsp eval run` or `rsp ingest`"
        raise UnknownModel(f"No model version '{spec}' in the registry. Fix: use MODEL@VERSION "
                           f"as `rsp tiers` lists it; known versions: {hint}.")
    return [found[-1]]


@dataclass(frozen=True)
class RunEvidence:
    """A successful run and its scores: what an estimate can be drawn from. With a correction
    (samples invalidated), the scores are the ones it recomputed."""

    run: EvalRun
    scores: list[Score]
    correction: Correction | None = None


def load_evidence(session: Session, version_ids: list[str]) -> dict[str, list[RunEvidence]]:
    """Successful runs with their scores per version, newest first, in three queries; a run
    superseded by a later revision of its eval is history, not evidence, and a run with
    invalidated samples is read as its newest invalidation recomputed it."""
    if not version_ids:
        return {}
    runs = session.exec(
        select(EvalRun).where(col(EvalRun.model_version_id).in_(version_ids),
                              EvalRun.status == "success", col(EvalRun.superseded_by).is_(None))
        .order_by(col(EvalRun.completed_at).desc())
    ).all()
    by_run: dict[str, list[Score]] = {run.id: [] for run in runs}
    if by_run:
        for score in session.exec(select(Score).where(col(Score.run_id).in_(list(by_run)))):
            by_run[score.run_id].append(score)
    fixes = corrections(read_records(session, col(SignoffRecord.kind) == "invalidate",
                                     col(SignoffRecord.model_version).in_(version_ids)))
    evidence: dict[str, list[RunEvidence]] = {v: [] for v in version_ids}
    for run in runs:
        fix = fixes.get(run.id)
        scores = by_run[run.id] if fix is None else corrected(by_run[run.id], fix)
        evidence[run.model_version_id].append(RunEvidence(run, scores, fix))
    return evidence


def select_estimates(policy: Policy, evidence: list[RunEvidence]) -> dict[tuple[str, str],
                                                                          Estimate]:
    """Per indicator, the estimate from the newest run of its task that has its metric and
    meets the indicator's elicitation minimum. Where runs exist but none meets it, the newest
    is kept with its shortfalls, so the determination can say it is under-elicited and why."""
    estimates: dict[tuple[str, str], Estimate] = {}
    for domain, indicator in policy.indicators():
        candidates = []
        for item in evidence:
            score = (_metric_score(item.scores, indicator)
                     if indicator.matches_run(item.run.task, item.run.dataset_name) else None)
            if score is None:
                continue
            elicitation = Elicitation.from_json(item.run.elicitation_json or "")
            candidates.append(Estimate(
                value=score.value, stderr=score.stderr, n=score.n, run_id=item.run.id,
                task=item.run.task, correction=item.correction.seq if item.correction else 0,
                elicitation=elicitation,
                elicitation_gaps=tuple(gaps(indicator.elicitation, elicitation)),
                judge_problem=_below("judge unreliable", indicator.judge, item.scores),
                engagement_problem=_below("too little engagement", indicator.engagement,
                                          item.scores)))
        if candidates:
            estimates[(domain.id, indicator.id)] = next(
                (c for c in candidates if not c.elicitation_gaps), candidates[0])
    return estimates


def _below(problem: str, rule: JudgeRule | None, scores: list[Score]) -> str | None:
    """`problem`, with the figure, when the run's own metric falls short of `rule` (or the
    run does not report it); None when it meets it or there is no rule."""
    if rule is None:
        return None
    found = next((s for s in scores if s.metric == rule.metric), None)
    if found is None or not math.isfinite(found.value):
        return f"{problem}: the run reports no {rule.metric}"
    if found.value < rule.at_least:
        return f"{problem}: {rule.metric} {found.value:.3g} < {rule.at_least}"
    return None


def _metric_score(scores: list[Score], indicator: Indicator) -> Score | None:
    matching = sorted((s for s in scores if s.metric == indicator.metric
                       and indicator.scorer in (None, s.scorer)), key=lambda s: s.scorer)
    return matching[0] if matching else None


def assess_many(session: Session, policy: Policy, versions: list[ModelVersion],
                record: bool = False) -> list[Assessment]:
    """Decide several versions under `policy` with a few queries in all; with `record`, also
    store the determinations (an explicit step: reading alone never writes)."""
    evidence = load_evidence(session, [v.id for v in versions])
    results = []
    for version in versions:
        determination = decide_version(policy, select_estimates(policy, evidence[version.id]))
        if record:
            record_determinations(session, policy, version, determination)
        used = {i.run_id for i in determination.indicators if i.run_id is not None}
        finished = [e.run.completed_at for e in evidence[version.id]
                    if e.run.id in used and e.run.completed_at is not None]
        results.append(Assessment(version, determination,
                                  _aware(max(finished)) if finished else None))
    return results


def _aware(moment: datetime) -> datetime:
    """Stored times come back naive from DuckDB; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def line_versions(session: Session, line: str) -> list[ModelVersion]:
    """A model line's versions, oldest first (by when each was recorded)."""
    return list(session.exec(select(ModelVersion).where(ModelVersion.model_line == line)
                             .order_by(col(ModelVersion.created_at))).all())


def history_of(assessments: list[Assessment]) -> list[AssessedVersion]:
    """What the re-assessment rule needs of each assessed version, in the same order."""
    return [AssessedVersion(a.version.id, a.version.effective_compute,
                            a.determination.evidence_complete, a.assessed_at)
            for a in assessments]


Assessor = Callable[[list[ModelVersion]], dict[str, Assessment]]


def line_due(policy: Policy, history: list[ModelVersion], assess_versions: Assessor,
             now: datetime) -> AssessmentDue:
    """Whether a line whose versions are `history` (oldest first) is due for an assessment.

    Only the newest version is assessed when its evidence is complete: versions before the
    last complete assessment cannot change the answer. Otherwise the whole line is.
    """
    newest = history[-1]
    if assess_versions([newest])[newest.id].determination.evidence_complete:
        needed = [newest]
    else:
        needed = history
    assessed = assess_versions(needed)
    return assessment_due(policy, history_of([assessed[v.id] for v in needed]), now)


def due_for(session: Session, policy: Policy, version: ModelVersion, now: datetime,
            known: Sequence[Assessment] = ()) -> AssessmentDue:
    """Whether `version`'s line, up to and including `version`, is due for an assessment;
    versions already assessed under `policy` (`known`) are not assessed again."""
    history = line_versions(session, version.model_line)
    upto = history[:[v.id for v in history].index(version.id) + 1]
    done = {a.version.id: a for a in known}

    def assessor(chosen: list[ModelVersion]) -> dict[str, Assessment]:
        rest = [v for v in chosen if v.id not in done]
        return done | {a.version.id: a for a in assess_many(session, policy, rest)}

    return line_due(policy, upto, assessor, now)


def assess(session: Session, policy: Policy, version: ModelVersion,
           record: bool = False) -> Assessment:
    """Decide a version under `policy`; with `record`, store the determinations too."""
    return assess_many(session, policy, [version], record)[0]


def record_determinations(session: Session, policy: Policy, version: ModelVersion,
                          result: VersionDetermination) -> None:
    """Store a version's determinations under `policy`, replacing any made earlier under the
    same policy content: the registry's record of what was decided on which evidence."""
    session.exec(delete(Determination).where(
        col(Determination.model_version_id) == version.id,
        col(Determination.policy_sha256) == policy.sha256))
    for ind in result.indicators:
        session.add(Determination(
            id=f"{version.id}/{policy.sha256[:16]}/{ind.domain}/{ind.indicator}",
            model_version_id=version.id, domain=ind.domain, indicator=ind.indicator,
            task=ind.task, metric=ind.metric, run_id=ind.run_id, value=ind.value,
            ci_low=ind.ci_low, ci_high=ind.ci_high, n=ind.n, tier=ind.tier,
            verdict=ind.verdict, alert=ind.alert,
            evidence_json=json.dumps(ind.evidence, sort_keys=True), policy_name=policy.policy.name,
            policy_version=policy.policy.version, policy_sha256=policy.sha256,
        ))
