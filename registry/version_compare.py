"""Compare two model versions indicator by indicator, paired per item wherever the runs allow.

The use case behind `rsp compare` and the dashboard's Compare page: it reads the registry (the
runs behind each estimate and their per-sample values) and hands the numbers to the pure
`registry.compare`. Two runs are paired when they ran the same task at the same task version on
the same dataset and scored sample ids in common; the test then compares the task's per-sample
value (`sample.score_value`: the per-sample field behind its headline metric, e.g. `flipped`
for are_you_sure's flip rate), averaged per sample id over epochs, on the shared ids.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from registry.assess import Assessment, assess_many
from registry.compare import IndicatorComparison, PairedTest, compare, item_means, paired_test
from registry.elicitation import Elicitation, differences
from registry.policy import Policy
from registry.schema import EvalRun, ModelVersion, Sample
from task_contract import HEADLINE_METRIC_KEY


@dataclass(frozen=True)
class VersionComparison:
    """Both versions' assessments and, per indicator of the policy, B compared with A."""

    a: Assessment
    b: Assessment
    confidence_level: float
    rows: list[IndicatorComparison]
    # per (domain, indicator) whose two runs were elicited differently, how: their difference
    # then mixes the model with the method
    elicitation_differences: dict[tuple[str, str], list[str]]


def compare_versions(session: Session, policy: Policy, version_a: ModelVersion,
                     version_b: ModelVersion) -> VersionComparison:
    """Assess A and B under `policy` (without recording) and compare every indicator, paired
    per item where both estimates come from runs of the same task on shared items, as
    independent estimates otherwise (each such row says why)."""
    a, b = assess_many(session, policy, [version_a, version_b], record=False)
    level = policy.evaluation.confidence_level
    used = {(ind.domain, ind.indicator): (ind.metric, ind.estimate.run_id, other.estimate.run_id)
            for ind, other in zip(a.determination.indicators, b.determination.indicators,
                                  strict=True)
            if ind.estimate is not None and other.estimate is not None}
    run_ids = {run_id for _, run_a, run_b in used.values() for run_id in (run_a, run_b)}
    runs = {run.id: run for run in session.exec(
        select(EvalRun).where(col(EvalRun.id).in_(run_ids)))} if run_ids else {}
    values: dict[str, dict[str, float]] = {}  # several indicators may rest on the same run

    def per_item(run_id: str) -> dict[str, float]:
        if run_id not in values:
            values[run_id] = _item_values(session, run_id)
        return values[run_id]

    pairings: dict[tuple[str, str], PairedTest | str] = {}
    for key, (metric, run_a, run_b) in used.items():
        reason = pairing_obstacle(runs[run_a], runs[run_b], metric)
        if reason is None:
            items_a, items_b = per_item(run_a), per_item(run_b)
            if items_a.keys() & items_b.keys():
                pairings[key] = paired_test(items_a, items_b, level)
                continue
            reason = "the two runs share no scored sample id"
        pairings[key] = reason
    return VersionComparison(a, b, level, compare(a.determination, b.determination, level,
                                                  pairings), elicited_differently(a, b))


def elicited_differently(a: Assessment, b: Assessment) -> dict[tuple[str, str], list[str]]:
    """Per indicator both versions have a run for, the ways those runs were elicited
    differently (an unknown field differs from a known one)."""
    found = {}
    for ind, other in zip(a.determination.indicators, b.determination.indicators, strict=True):
        if ind.estimate is None or other.estimate is None:
            continue
        diff = differences(ind.estimate.elicitation or Elicitation(),
                           other.estimate.elicitation or Elicitation())
        if diff:
            found[(ind.domain, ind.indicator)] = diff
    return found


def pairing_obstacle(run_a: EvalRun, run_b: EvalRun, metric: str | None = None) -> str | None:
    """Why the per-sample values of two runs cannot be paired item by item (for `metric`,
    when given), or None when they can be (shared sample ids still to be checked)."""
    if run_a.task != run_b.task:
        return f"different tasks ({run_a.task} vs {run_b.task})"
    if run_a.task_version != run_b.task_version:
        return f"different task versions ({run_a.task_version} vs {run_b.task_version})"
    # the same sample ids in two datasets (a bring-your-own JSONL, an edited file) are not the
    # same items
    hashes = {run_a.dataset_sha256, run_b.dataset_sha256} - {None}
    if run_a.dataset_name != run_b.dataset_name or len(hashes) > 1:
        return "different datasets"
    for run in (run_a, run_b) if metric is not None else ():
        # a sample's stored value is its headline metric's field; another metric of the same
        # task has no per-sample value here to pair
        headline = json.loads(run.metadata_json or "{}").get(HEADLINE_METRIC_KEY)
        if headline not in (None, metric):
            return f"per-sample values are the task's {headline}, not {metric}"
    return None


def _item_values(session: Session, run_id: str) -> dict[str, float]:
    """Per sample id of a run, its score averaged over epochs: one query, no ORM objects."""
    rows = session.connection().execute(
        select(Sample.sample_id, Sample.score_value).where(Sample.run_id == run_id))
    return item_means((sample_id, value) for sample_id, value in rows)


SampleRow = tuple[str, int, float | None, str | None]  # sample id, epoch, score, answer


@dataclass(frozen=True)
class SampleChange:
    """One sample x epoch scored in both versions whose score differs."""

    sample_id: str
    epoch: int
    score_a: float
    score_b: float
    answer_a: str | None
    answer_b: str | None


@dataclass(frozen=True)
class SamplePairing:
    """Two runs of one task paired per sample: the test on the items scored in both (None
    when there is none), how many sample x epoch rows both scored, and those that changed."""

    test: PairedTest | None
    pairs: int
    changed: list[SampleChange]


def newest_runs_by_task(runs: list[EvalRun]) -> dict[str, EvalRun]:
    """The newest run of each task among `runs` (which come newest first)."""
    return {r.task: r for r in reversed(runs)}


def pair_samples(rows_a: Iterable[SampleRow], rows_b: Iterable[SampleRow],
                 confidence_level: float) -> SamplePairing:
    """Pair two runs' sample rows by sample id and epoch (runs `pairing_obstacle` allows)."""
    a, b = list(rows_a), list(rows_b)
    items_a = item_means((row[0], row[2]) for row in a)
    items_b = item_means((row[0], row[2]) for row in b)
    test = (paired_test(items_a, items_b, confidence_level)
            if items_a.keys() & items_b.keys() else None)
    by_key = {(row[0], row[1]): row for row in b if _scored(row[2])}
    both = [(row, by_key[(row[0], row[1])]) for row in a
            if _scored(row[2]) and (row[0], row[1]) in by_key]
    changed = [SampleChange(x[0], x[1], x[2], y[2], x[3], y[3]) for x, y in both
               if x[2] != y[2] and x[2] is not None and y[2] is not None]  # (for the checker)
    return SamplePairing(test, len(both), changed)


def _scored(value: float | None) -> bool:
    """A sample with a score to pair: not unscored, and not NaN (a judge's unreadable rating),
    which the paired test leaves out too and which differs even from itself."""
    return value is not None and math.isfinite(value)
