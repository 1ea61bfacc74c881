"""Glue between the registry and the pure tier engine: gather estimates, store determinations."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from registry.policy import Indicator, Policy
from registry.schema import Determination, EvalRun, ModelVersion, Score
from registry.tiers import Estimate, VersionDetermination, decide_version


class UnknownModel(LookupError):
    """A MODEL[@VERSION] that the registry does not hold."""


@dataclass(frozen=True)
class Assessment:
    version: ModelVersion
    determination: VersionDetermination


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


def estimates_for(session: Session, policy: Policy, version_id: str) -> dict[tuple[str, str],
                                                                             Estimate]:
    """Per indicator, the estimate from the newest successful run of its task on this version."""
    runs = session.exec(
        select(EvalRun).where(EvalRun.model_version_id == version_id,
                              EvalRun.status == "success")
        .order_by(col(EvalRun.completed_at).desc())
    ).all()
    estimates: dict[tuple[str, str], Estimate] = {}
    for domain, indicator in policy.indicators():
        for run in runs:
            if not indicator.matches_run(run.task, run.dataset_name):
                continue
            score = _metric_score(session, run.id, indicator)
            if score is not None:
                estimates[(domain.id, indicator.id)] = Estimate(
                    value=score.value, stderr=score.stderr, n=score.n, run_id=run.id,
                    task=run.task)
                break
    return estimates


def _metric_score(session: Session, run_id: str, indicator: Indicator) -> Score | None:
    query = select(Score).where(Score.run_id == run_id, Score.metric == indicator.metric)
    if indicator.scorer:
        query = query.where(Score.scorer == indicator.scorer)
    return session.exec(query.order_by(col(Score.scorer))).first()


def assess(session: Session, policy: Policy, version: ModelVersion,
           record: bool = True) -> Assessment:
    """Decide a version under `policy`; with `record`, store the determinations (replacing
    any earlier ones made under the same policy content)."""
    determination = decide_version(policy, estimates_for(session, policy, version.id))
    if record:
        _record(session, policy, version, determination)
    return Assessment(version, determination)


def _record(session: Session, policy: Policy, version: ModelVersion,
            result: VersionDetermination) -> None:
    session.exec(delete(Determination).where(
        col(Determination.model_version_id) == version.id,
        col(Determination.policy_sha256) == policy.sha256))
    for ind in result.indicators:
        est = ind.estimate
        session.add(Determination(
            id=f"{version.id}/{policy.sha256[:16]}/{ind.domain}/{ind.indicator}",
            model_version_id=version.id, domain=ind.domain, indicator=ind.indicator,
            task=ind.task, metric=ind.metric, run_id=est.run_id if est else None,
            value=est.value if est else None, ci_low=ind.ci_low, ci_high=ind.ci_high,
            n=est.n if est else 0, tier=ind.tier, verdict=ind.verdict, alert=ind.alert,
            evidence_json=json.dumps(ind.evidence, sort_keys=True), policy_name=policy.policy.name,
            policy_version=policy.policy.version, policy_sha256=policy.sha256,
        ))
