"""Confidence intervals for the estimates the tier engine decides on."""

from __future__ import annotations

import math
from statistics import NormalDist


def z_value(confidence_level: float) -> float:
    """Two-sided normal quantile, e.g. 1.96 for 0.95."""
    return NormalDist().inv_cdf(0.5 + confidence_level / 2)


def wilson_interval(p: float, n: int, confidence_level: float) -> tuple[float, float]:
    """Wilson score interval for a proportion.

    Unlike p ± z·se it stays inside [0, 1] and does not collapse to a point at 0 or 1, so
    "0 flips out of 30" is not read as certainty that the rate is zero.
    """
    if n <= 0:
        return (0.0, 1.0)
    z = z_value(confidence_level)
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def normal_interval(value: float, stderr: float | None, confidence_level: float) -> tuple[float,
                                                                                          float]:
    """value ± z·stderr; an unknown stderr gives an unbounded interval, never a point."""
    if stderr is None or math.isnan(stderr):
        return (-math.inf, math.inf)
    z = z_value(confidence_level)
    return (value - z * stderr, value + z * stderr)


def proportion_stderr(p: float, n: int) -> float:
    """Standard error of a sample proportion (0 samples: undefined, NaN)."""
    return math.sqrt(p * (1 - p) / n) if n > 0 else math.nan
