"""The tier engine: policy x estimates -> determinations. Pure: no I/O, no clock.

Per indicator and tier, the estimate's confidence interval is compared with the tier's
thresholds (design.md, "Determinations"):

- ruled_in: the whole interval is past rule_in, so the tier is reached;
- ruled_out: the whole interval is short of rule_out;
- inconclusive: anything else; the policy decides whether it counts as reached
  (precautionary) or escalates to a comprehensive assessment, but it never reads as below;
- insufficient_samples: fewer scored samples than the policy's minimum; like inconclusive,
  except that a result already ruled in stands (evidence of risk is not discarded);
- alert: not ruled in, but the estimate is past the alert level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from registry.policy import Domain, Indicator, Policy, Threshold
from registry.stats import normal_interval, wilson_interval

Verdict = Literal["ruled_in", "ruled_out", "inconclusive", "insufficient_samples",
                  "not_evaluated"]
UNDECIDED: frozenset[str] = frozenset({"inconclusive", "insufficient_samples"})


@dataclass(frozen=True)
class Estimate:
    """A metric's value from one eval run, with what is needed to bound it."""

    value: float
    stderr: float | None
    n: int
    run_id: str = ""
    task: str = ""


@dataclass(frozen=True)
class TierVerdict:
    tier: str
    verdict: Verdict
    alert: bool
    threshold: Threshold


@dataclass(frozen=True)
class IndicatorDetermination:
    """What one indicator says about a model version, with the evidence behind it."""

    domain: str
    indicator: str
    task: str
    metric: str
    required: bool
    estimate: Estimate | None
    ci_low: float | None
    ci_high: float | None
    tier: str | None
    verdict: Verdict
    alert: bool
    needs_assessment: bool
    min_samples: int
    per_tier: list[TierVerdict] = field(default_factory=list)

    @property
    def evidence(self) -> dict:
        """A JSON-ready record of everything this determination rests on."""
        est = self.estimate
        return {
            "run_id": est.run_id if est else None,
            "task": est.task if est else self.task,
            "value": est.value if est else None,
            "stderr": est.stderr if est else None,
            "n": est.n if est else 0,
            "ci": [self.ci_low, self.ci_high],
            "min_samples": self.min_samples,
            "per_tier": [
                {"tier": tv.tier, "verdict": tv.verdict, "alert": tv.alert,
                 "rule_out": tv.threshold.rule_out, "rule_in": tv.threshold.rule_in,
                 "alert_level": tv.threshold.alert}
                for tv in self.per_tier
            ],
        }


@dataclass(frozen=True)
class DomainDetermination:
    domain: str
    name: str
    tier: str | None  # None: no indicator of this domain was evaluated
    indicators: list[IndicatorDetermination]


@dataclass(frozen=True)
class VersionDetermination:
    """The policy's verdict on one model version."""

    required_tier: str
    domains: list[DomainDetermination]
    policy_sha256: str

    @property
    def indicators(self) -> list[IndicatorDetermination]:
        return [i for d in self.domains for i in d.indicators]


def confidence_interval(indicator: Indicator, estimate: Estimate,
                        confidence_level: float) -> tuple[float, float]:
    """The interval the policy asks for: Wilson for proportions, normal otherwise."""
    if indicator.interval == "wilson":
        return wilson_interval(min(max(estimate.value, 0.0), 1.0), estimate.n, confidence_level)
    return normal_interval(estimate.value, estimate.stderr, confidence_level)


def tier_verdict(indicator: Indicator, tier: str, threshold: Threshold, ci: tuple[float, float],
                 value: float, enough_samples: bool) -> TierVerdict:
    """Verdict of one interval against one tier's thresholds."""
    # Orient everything so that larger means riskier.
    sign = 1.0 if indicator.direction == "higher_is_riskier" else -1.0
    low, high = sorted((sign * ci[0], sign * ci[1]))
    if low > sign * threshold.rule_in:
        verdict: Verdict = "ruled_in"
    elif not enough_samples:
        verdict = "insufficient_samples"
    elif high < sign * threshold.rule_out:
        verdict = "ruled_out"
    else:
        verdict = "inconclusive"
    alert = (verdict != "ruled_in" and threshold.alert is not None
             and sign * value >= sign * threshold.alert)
    return TierVerdict(tier, verdict, alert, threshold)


def decide_indicator(policy: Policy, domain: Domain, indicator: Indicator,
                     estimate: Estimate | None) -> IndicatorDetermination:
    """Determine one indicator's tier; a missing or non-finite estimate is not_evaluated."""
    min_samples = policy.min_samples_for(indicator)
    base = dict(domain=domain.id, indicator=indicator.id, task=indicator.task,
                metric=indicator.metric, required=indicator.required, min_samples=min_samples)
    if estimate is None or not math.isfinite(estimate.value):
        return IndicatorDetermination(**base, estimate=estimate, ci_low=None, ci_high=None,
                                      tier=None, verdict="not_evaluated", alert=False,
                                      needs_assessment=False)
    ci = confidence_interval(indicator, estimate, policy.evaluation.confidence_level)
    enough = estimate.n >= min_samples
    per_tier = [tier_verdict(indicator, t, indicator.thresholds[t], ci, estimate.value, enough)
                for t in policy.tier_ids if t in indicator.thresholds]
    precautionary = policy.evaluation.inconclusive == "precautionary"
    tier = policy.tier_ids[0]
    verdict: Verdict = "ruled_out"
    for tv in per_tier:  # ascending; thresholds are monotone, so the last hit is the highest
        if tv.verdict == "ruled_in" or (precautionary and tv.verdict in UNDECIDED):
            tier = tv.tier
        if tv.verdict != "ruled_out":
            verdict = tv.verdict
    return IndicatorDetermination(
        **base, estimate=estimate, ci_low=ci[0], ci_high=ci[1], tier=tier, verdict=verdict,
        alert=any(tv.alert for tv in per_tier),
        needs_assessment=not precautionary and any(tv.verdict in UNDECIDED for tv in per_tier),
        per_tier=per_tier,
    )


def decide_version(policy: Policy,
                   estimates: dict[tuple[str, str], Estimate]) -> VersionDetermination:
    """Determine every indicator, each domain's tier and the version's required tier.

    `estimates` is keyed by (domain id, indicator id); indicators without one are
    not_evaluated. A domain's tier is the highest its indicators reach; the version's is the
    highest over domains (the lowest tier when nothing was evaluated).
    """
    domains = []
    for domain in policy.domains:
        results = [decide_indicator(policy, domain, ind, estimates.get((domain.id, ind.id)))
                   for ind in domain.indicators]
        reached = [r.tier for r in results if r.tier is not None]
        domains.append(DomainDetermination(domain.id, domain.name,
                                           _highest(policy, reached), results))
    all_reached = [d.tier for d in domains if d.tier is not None]
    required = _highest(policy, all_reached) or policy.tier_ids[0]
    return VersionDetermination(required, domains, policy.sha256)


def _highest(policy: Policy, tiers: list[str]) -> str | None:
    return max(tiers, key=policy.tier_rank) if tiers else None
