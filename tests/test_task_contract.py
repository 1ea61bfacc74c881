"""Every shipped task honours `task_contract`, and ingest reads what tasks write by the same
names. The tasks are built and their metrics run on made-up scores: no model is called."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest
from inspect_ai import Task
from inspect_ai._util.registry import registry_params
from inspect_ai.scorer import SampleScore, Score
from inspect_ai.util import registry_info

import task_contract as contract
from evals.common.metrics import with_uncertainty
from evals.suites import BYO_TASKS, TASKS
from registry.ingest import score_rows
from task_contract import (
    DATASET_SHA256_KEY,
    HEADLINE_METRIC_KEY,
    SAMPLE_FIELD_KEY,
    SHARED_STDERR,
    count_key,
    estimate_metrics,
    is_companion,
    stderr_key,
)

MWE = Path(__file__).parent / "data" / "mwe_power_seeking.jsonl"
# Per sample: (the field a metric reads, whether the sample is in the metric's subset).
SCORED = [(1.0, True), (0.0, True), (1.0, False)]


def build(name: str) -> Task:
    return TASKS[name](dataset=str(MWE)) if name in BYO_TASKS else TASKS[name]()


def declared_metrics(task: Task) -> list:
    if task.metrics is not None:
        return list(task.metrics)
    return [m for s in task.scorer or [] for m in registry_info(s).metadata["metrics"]]


def metric_fields(task: Task) -> dict[str, tuple[object, dict]]:
    """Each metric the task reports, by the name its log gives it, with its parameters (the
    score field it reads, for a metric over dict-valued scores)."""
    out: dict[str, tuple[object, dict]] = {}
    for m in declared_metrics(task):
        params = registry_params(m)
        out[params.get("name") or registry_info(m).name.split("/")[-1]] = (m, params)
    return out


def made_up_scores(params: dict) -> list[SampleScore]:
    key, given = params.get("key"), params.get("given")
    return [SampleScore(sample_id=i, score=Score(
        value={key: value, given: float(member)} if given else {key: value} if key else value))
        for i, (value, member) in enumerate(SCORED)]


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_metadata_names_its_headline_and_sample_field(name):
    task = build(name)
    metadata, metrics = task.metadata or {}, metric_fields(task)
    headline = metadata[HEADLINE_METRIC_KEY]
    assert headline in metrics, f"{name}: headline {headline} is not one of {sorted(metrics)}"
    field = metrics[headline][1].get("key")
    if field is None:  # scores are plain values, stored as they are
        assert SAMPLE_FIELD_KEY not in metadata
    else:  # the per-sample value ingest stores is the headline metric's own field
        assert metadata[SAMPLE_FIELD_KEY] == field


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_metadata_hashes_a_local_dataset_file(name):
    task = build(name)
    location = Path(task.dataset.location or "")
    expected = hashlib.sha256(location.read_bytes()).hexdigest() if location.is_file() else None
    assert (task.metadata or {}).get(DATASET_SHA256_KEY) == expected


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_metrics_report_uncertainty_as_ingest_reads_it(name):
    reported: dict[str, float] = {}
    for metric_name, (metric, params) in metric_fields(build(name)).items():
        value = metric(made_up_scores(params))
        if isinstance(value, dict):
            assert set(value) == {metric_name, stderr_key(metric_name), count_key(metric_name)}
            reported |= value
        else:
            reported[metric_name] = value
    rows = {row.metric: row for row in score_rows("run", "scorer", reported, len(SCORED))}
    assert set(rows) == {k for k in reported if not is_companion(k)}
    for metric_name, row in rows.items():
        assert row.value == reported[metric_name]
        if count_key(metric_name) in reported:
            assert row.n == reported[count_key(metric_name)]
            assert row.stderr == reported[stderr_key(metric_name)]
        else:
            assert row.n == len(SCORED) and row.stderr == reported.get(SHARED_STDERR)


def test_ingest_reads_an_estimate_by_the_contract_names():
    metrics = {**estimate_metrics("flip_rate", 0.25, 0.05, 40), "accuracy": 0.8,
               SHARED_STDERR: 0.02, **estimate_metrics("lonely", 1.0, math.nan, 1)}
    rows = {row.metric: row for row in score_rows("run", "scorer", metrics, default_n=100)}
    assert set(rows) == {"flip_rate", "accuracy", "lonely"}
    assert (rows["flip_rate"].value, rows["flip_rate"].stderr, rows["flip_rate"].n) == \
        (0.25, 0.05, 40)
    assert (rows["accuracy"].value, rows["accuracy"].stderr, rows["accuracy"].n) == \
        (0.8, 0.02, 100)
    assert rows["lonely"].stderr is None and rows["lonely"].n == 1


def test_the_metrics_helper_writes_the_contract_names():
    assert with_uncertainty("flip_rate", [1.0, 0.0, 0.0, 1.0]) == \
        pytest.approx(estimate_metrics("flip_rate", 0.5, math.sqrt(1 / 12), 4))
    assert all(is_companion(k) for k in (SHARED_STDERR, stderr_key("x"), count_key("x")))
    assert not is_companion("flip_rate")


def test_the_stored_names_never_change():
    """Logs already written and registries already filled carry these strings."""
    assert (contract.SAMPLE_FIELD_KEY, contract.HEADLINE_METRIC_KEY,
            contract.DATASET_SHA256_KEY) == ("sample_field", "headline_metric", "dataset_sha256")
    assert (contract.MODEL_LINE_KEY, contract.MODEL_VERSION_KEY, contract.EFFECTIVE_COMPUTE_KEY,
            contract.RELEASE_DATE_KEY) == ("rsp_model_line", "rsp_model_version",
                                           "effective_compute", "release_date")
    assert (stderr_key("x"), count_key("x"), SHARED_STDERR) == ("x_stderr", "x_n", "stderr")
