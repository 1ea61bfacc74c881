"""Metrics that carry their own uncertainty.

Each returns `{name: value, name_stderr: se, name_n: n}`, named as `task_contract` sets out;
Inspect stores the three as sibling metrics, and the registry's ingest reads them back as one
estimate with its stderr and count. That matters for rates over a subset (e.g. flips among
first-correct answers), whose n is not the number of samples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from inspect_ai.scorer import Metric, SampleScore, metric

from task_contract import estimate_metrics


def _field(score: SampleScore, key: str) -> float | None:
    value = score.score.value
    item = value.get(key) if isinstance(value, dict) else None
    return None if item is None else float(item)


def with_uncertainty(name: str, values: Sequence[float]) -> dict[str, float]:
    """Mean of `values` with its standard error and count, keyed as ingest expects."""
    n = len(values)
    mean = sum(values) / n if n else math.nan
    if n > 1:
        variance = sum((v - mean) ** 2 for v in values) / (n - 1)
        stderr = math.sqrt(variance / n)
    else:
        stderr = math.nan
    return estimate_metrics(name, mean, stderr, n)


@metric
def subset_mean(key: str, name: str, given: str | None = None) -> Metric:
    """Mean of score field `key` over the samples whose field `given` is 1 (default: all)."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        values = [
            v for s in scores
            if (v := _field(s, key)) is not None and (given is None or _field(s, given) == 1.0)
        ]
        return with_uncertainty(name, values)

    return compute
