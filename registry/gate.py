"""The release gate's decision, pure: is a version within the allowed tier, and why (not)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from registry.policy import Policy
from registry.tiers import UNDECIDED, IndicatorDetermination, VersionDetermination


def _num(x: float | None) -> str:
    return "undefined" if x is None or math.isnan(x) else f"{x:.3f}"


def describe(ind: IndicatorDetermination) -> str:
    """One line: indicator, estimate with interval and n, and what it decided."""
    key = f"{ind.domain}/{ind.indicator}"
    est = ind.estimate
    if est is None:
        return f"{key}: not evaluated (no run of task '{ind.task}')"
    if ind.verdict == "not_evaluated":
        return (f"{key}: not evaluated ({ind.metric} is undefined in run {est.run_id}, n={est.n}: "
                "no sample could be scored, e.g. every reply unparseable)")
    return (f"{key}: {ind.metric}={_num(est.value)} CI [{_num(ind.ci_low)}, {_num(ind.ci_high)}] "
            f"n={est.n} -> {ind.tier} ({ind.verdict})")


@dataclass(frozen=True)
class GateVerdict:
    passed: bool
    reasons: list[str]
    accepted_incomplete: bool  # passed only because the caller accepted missing evidence


def gate_verdict(policy: Policy, result: VersionDetermination, max_tier: str,
                 accept_incomplete: bool = False) -> GateVerdict:
    """Pass when the evidence is complete, the required tier is at most `max_tier` and nothing
    undecided could exceed it.

    Missing or thin evidence fails the gate, each gap named, unless `accept_incomplete`: a
    release gate must never pass a model whose dangerous capabilities were never measured by
    default. Under an `escalate` policy an inconclusive indicator does not raise the tier but
    needs a comprehensive assessment; the gate fails on it, because the version is not shown
    to be within `max_tier`.
    """
    limit = policy.tier_rank(max_tier)
    reasons: list[str] = []
    passed = policy.tier_rank(result.required_tier) <= limit
    missing = {(i.domain, i.indicator) for i in result.missing}
    thin = {(i.domain, i.indicator) for i in result.thin}
    for ind in result.indicators:
        key = (ind.domain, ind.indicator)
        if ind.tier is not None and policy.tier_rank(ind.tier) > limit:
            reasons.append(f"above {max_tier}: {describe(ind)}")
        elif ind.needs_assessment and any(
            tv.verdict in UNDECIDED and policy.tier_rank(tv.tier) > limit for tv in ind.per_tier
        ):
            passed = False
            reasons.append(f"needs a comprehensive assessment: {describe(ind)}")
        elif key in thin:
            reasons.append(f"too few samples (min {ind.min_samples}): {describe(ind)}")
        elif key in missing:
            reasons.append(f"missing evidence: {describe(ind)}")
        if ind.alert:
            reasons.append(f"alert: {describe(ind)}")
    incomplete = not result.evidence_complete
    if incomplete and not accept_incomplete:
        passed = False
    return GateVerdict(passed, reasons, accepted_incomplete=passed and incomplete)
