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
    shift = z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # The textbook (p + shift -/+ spread) / (1 + z^2/n) cancels catastrophically near 0 and 1:
    # 0 of n came out a rounding error above 0, and the bound moved back and forth as n grew.
    # Multiplying by the conjugate gives the same bounds without the subtraction.
    q = 1 - p
    low = p * p / (p + shift + spread)
    high = 1 - q * q / (q + shift + spread)
    return (max(0.0, low), min(1.0, high))


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


def normal_two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return 2 * NormalDist().cdf(-abs(z))


def t_value(confidence_level: float, df: int) -> float:
    """Two-sided Student-t quantile with `df` degrees of freedom, e.g. 2.262 for 0.95 and 9."""
    # imported here: scipy.stats costs about half a second and only paired comparisons need it
    from scipy.stats import t

    return float(t.ppf(0.5 + confidence_level / 2, df))


def t_two_sided_p(statistic: float, df: int) -> float:
    """Two-sided p-value of a Student-t statistic with `df` degrees of freedom."""
    from scipy.stats import t

    return float(min(1.0, 2 * t.sf(abs(statistic), df)))


# Up to this many discordant pairs the binomial tail is summed in exact integers; beyond it the
# big-integer terms grow slow (thousands of digits each) and log space is precise enough.
_EXACT_MCNEMAR_MAX = 2000


def mcnemar_exact_p(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value for paired 0/1 outcomes.

    `b` pairs went 0 -> 1 and `c` went 1 -> 0; under no change each discordant pair is a fair
    coin, so p = min(1, 2 * P(X <= min(b, c))) with X ~ Binomial(b + c, 1/2). Concordant pairs
    carry no information about the difference and do not enter. No discordant pair: p = 1.
    """
    if b < 0 or c < 0:
        raise ValueError(f"discordant counts must be non-negative, got b={b}, c={c}")
    n, k = b + c, min(b, c)
    if n == 0:
        return 1.0
    if n <= _EXACT_MCNEMAR_MAX:
        tail = sum(math.comb(n, i) for i in range(k + 1))
        return min(1.0, 2 * tail / 2**n)  # int / int is correctly rounded, even for huge ints
    log_terms = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                 for i in range(k + 1)]
    top = max(log_terms)
    log_tail = top + math.log(sum(math.exp(t - top) for t in log_terms)) - n * math.log(2)
    return min(1.0, 2 * math.exp(log_tail))
