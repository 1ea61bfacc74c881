"""Two versions side by side: per indicator, the difference and whether it is significant.

Pure: takes two determinations. The test is a two-sided z-test on independent estimates
(difference over the root sum of squared standard errors); paired per-sample comparison needs
both runs on the same items and lives with the samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from registry.stats import proportion_stderr, z_value
from registry.tiers import IndicatorDetermination, VersionDetermination


@dataclass(frozen=True)
class IndicatorDifference:
    domain: str
    indicator: str
    metric: str
    value_a: float | None
    value_b: float | None
    difference: float | None  # b - a
    ci_low: float | None
    ci_high: float | None
    significant: bool
    tier_a: str | None
    tier_b: str | None


def _stderr(ind: IndicatorDetermination) -> float | None:
    est = ind.estimate
    if est is None:
        return None
    if est.stderr is not None and math.isfinite(est.stderr):
        return est.stderr
    if est.n > 0 and 0 <= est.value <= 1:
        return proportion_stderr(est.value, est.n)
    return None


def compare(a: VersionDetermination, b: VersionDetermination,
            confidence_level: float) -> list[IndicatorDifference]:
    """Per indicator evaluated in both versions: b - a with its interval."""
    z = z_value(confidence_level)
    by_key = {(i.domain, i.indicator): i for i in b.indicators}
    rows = []
    for ind_a in a.indicators:
        ind_b = by_key[(ind_a.domain, ind_a.indicator)]
        se_a, se_b = _stderr(ind_a), _stderr(ind_b)
        if ind_a.estimate is None or ind_b.estimate is None or se_a is None or se_b is None:
            diff = lo = hi = None
            significant = False
        else:
            diff = ind_b.estimate.value - ind_a.estimate.value
            half = z * math.hypot(se_a, se_b)
            lo, hi = diff - half, diff + half
            significant = lo > 0 or hi < 0
        rows.append(IndicatorDifference(
            ind_a.domain, ind_a.indicator, ind_a.metric,
            ind_a.estimate.value if ind_a.estimate else None,
            ind_b.estimate.value if ind_b.estimate else None,
            diff, lo, hi, significant, ind_a.tier, ind_b.tier))
    return rows


@dataclass(frozen=True)
class PairedDifference:
    mean: float
    stderr: float
    n: int
    ci_low: float
    ci_high: float

    @property
    def significant(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


def paired_difference(a: list[float], b: list[float], confidence_level: float) -> PairedDifference:
    """Mean of b - a over paired samples, with the paired standard error and interval."""
    diffs = [y - x for x, y in zip(a, b, strict=True)]
    n = len(diffs)
    mean = sum(diffs) / n if n else math.nan
    se = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1) / n) if n > 1 else math.nan
    half = z_value(confidence_level) * se
    return PairedDifference(mean, se, n, mean - half, mean + half)
