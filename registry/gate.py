"""The release gate's decision, pure: is a version within the allowed tier, and why (not)."""

from __future__ import annotations

from dataclasses import dataclass

from registry.formatting import interval, num
from registry.policy import Policy
from registry.tiers import UNDECIDED, IndicatorDetermination, VersionDetermination


def describe(ind: IndicatorDetermination) -> str:
    """One line: indicator, estimate with interval and n, and what it decided."""
    key = f"{ind.domain}/{ind.indicator}"
    est = ind.estimate
    if est is None:
        return f"{key}: not evaluated (no run of task '{ind.task}')"
    if ind.verdict == "under_elicited":
        return (f"{key}: under-elicited, not evidence (run {est.run_id}: "
                f"{'; '.join(ind.elicitation_gaps)})")
    if ind.verdict == "not_evaluated":
        return (f"{key}: not evaluated ({ind.metric} is undefined in run {est.run_id}, n={est.n}: "
                "no sample could be scored, e.g. every reply unparseable)")
    ci = interval(ind.ci_low, ind.ci_high, "[{}, {}]")
    return (f"{key}: {ind.metric}={num(est.value)} CI {ci} n={est.n} -> {ind.tier} "
            f"({ind.verdict})")


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
    gaps = {(i.domain, i.indicator): f"too few samples (min {i.min_samples})" for i in result.thin}
    gaps |= {(i.domain, i.indicator): "missing evidence" for i in result.missing}
    passed = policy.tier_rank(result.required_tier) <= limit
    reasons: list[str] = []
    for domain in result.domains:
        for ind in domain.indicators:
            escalated = domain.role != "tracked" and _needs_assessment(policy, ind, limit)
            passed = passed and not (escalated and domain.role == "capability")
            if ind.tier is not None and _beyond(policy, ind, ind.tier, limit) \
                    and domain.role != "tracked":
                what = (f"above {max_tier}" if domain.role == "capability" else
                        f"requires {ind.tier} safeguards (the tier stays)")
                reasons.append(f"{what}: {describe(ind)}")
            elif escalated:
                what = ("" if domain.role == "capability" else
                        " of its safeguards (the tier stays)")
                reasons.append(f"needs a comprehensive assessment{what}: {describe(ind)}")
            elif (ind.domain, ind.indicator) in gaps:
                reasons.append(f"{gaps[(ind.domain, ind.indicator)]}: {describe(ind)}")
            if ind.alert:
                reasons.append(f"alert: {describe(ind)}")
    incomplete = not result.evidence_complete
    if incomplete and not accept_incomplete:
        passed = False
    return GateVerdict(passed, reasons, accepted_incomplete=passed and incomplete)


def _needs_assessment(policy: Policy, ind: IndicatorDetermination, limit: int) -> bool:
    """An `escalate` policy's undecided tier above the limit: not shown to be within it."""
    return ind.needs_assessment and any(
        tv.verdict in UNDECIDED and _beyond(policy, ind, tv.tier, limit)
        for tv in ind.per_tier)


def _beyond(policy: Policy, ind: IndicatorDetermination, level: str, limit: int) -> bool:
    """Whether `level` of the indicator's domain is past the tier ranked `limit`: the tier it
    requires is higher, or, for a safeguards domain of its own levels (which require no
    tier), it is above the domain's floor."""
    domain = policy.domain(ind.domain)
    if domain.levels and domain.role == "safeguards":
        return level != domain.levels[0].id
    return policy.tier_rank(policy.global_tier(ind.domain, level)) > limit
