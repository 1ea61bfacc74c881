"""The release gate's decision, pure: is a version within the allowed tier, and why (not)."""

from __future__ import annotations

from registry.policy import Policy
from registry.tiers import UNDECIDED, IndicatorDetermination, VersionDetermination


def describe(ind: IndicatorDetermination) -> str:
    """One line: indicator, estimate with interval and n, and what it decided."""
    if ind.estimate is None:
        return f"{ind.domain}/{ind.indicator}: not evaluated (no run of task '{ind.task}')"
    est = ind.estimate
    return (f"{ind.domain}/{ind.indicator}: {ind.metric}={est.value:.3f} "
            f"CI [{ind.ci_low:.3f}, {ind.ci_high:.3f}] n={est.n} -> {ind.tier} ({ind.verdict})")


def gate_verdict(policy: Policy, result: VersionDetermination,
                 max_tier: str) -> tuple[bool, list[str]]:
    """Pass when the required tier is at most `max_tier` and nothing undecided could exceed it.

    Under an `escalate` policy an inconclusive indicator does not raise the tier but needs a
    comprehensive assessment; the gate fails on it, because the version is not shown to be
    within `max_tier`.
    """
    limit = policy.tier_rank(max_tier)
    reasons: list[str] = []
    passed = policy.tier_rank(result.required_tier) <= limit
    for ind in result.indicators:
        if ind.tier is not None and policy.tier_rank(ind.tier) > limit:
            reasons.append(f"above {max_tier}: {describe(ind)}")
        elif ind.needs_assessment and any(
            tv.verdict in UNDECIDED and policy.tier_rank(tv.tier) > limit for tv in ind.per_tier
        ):
            passed = False
            reasons.append(f"needs a comprehensive assessment: {describe(ind)}")
        elif ind.verdict == "insufficient_samples":
            reasons.append(f"too few samples (min {ind.min_samples}): {describe(ind)}")
        elif ind.verdict == "not_evaluated" and ind.required:
            reasons.append(f"not evaluated: {describe(ind)}")
        if ind.alert:
            reasons.append(f"alert: {describe(ind)}")
    return passed, reasons
