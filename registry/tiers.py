"""The tier engine: policy x estimates -> determinations. Pure: no I/O, no clock.

Per indicator and tier, the estimate's confidence interval is compared with the tier's
thresholds (README.md, "Reading the tier table"):

- ruled_in: the whole interval is past rule_in, so the tier is reached;
- ruled_out: the whole interval is short of rule_out;
- inconclusive: anything else; the policy decides whether it counts as reached
  (precautionary) or escalates to a comprehensive assessment, but it never reads as below;
- insufficient_samples: fewer scored samples than the policy's minimum; like inconclusive,
  except that a result already ruled in stands (evidence of risk is not discarded);
- under_elicited: the run fell short of the indicator's elicitation minimum, so its result is
  not evidence: the indicator reads as not evaluated, its tiers all open;
- a model-graded run whose judge is below the indicator's `judge` rule, or an agentic run in
  which the model engaged less than the indicator's `engagement` rule asks, rules nothing out:
  its ruled_out tiers read inconclusive;
- alert: not ruled in, but the estimate is past the alert level.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal

from registry.elicitation import Elicitation
from registry.policy import Domain, DomainRole, Indicator, Policy, Threshold, Tier
from registry.stats import normal_interval, wilson_interval

Verdict = Literal["ruled_in", "ruled_out", "inconclusive", "insufficient_samples",
                  "under_elicited", "not_evaluated"]
UNDECIDED: frozenset[str] = frozenset({"inconclusive", "insufficient_samples"})
# Verdicts with no evidence behind them: the gate and the checklist read both as "not evaluated".
NO_EVIDENCE: frozenset[str] = frozenset({"not_evaluated", "under_elicited"})
# A verdict in words, for people: the report, the dashboard (the CLI shows the ids themselves).
VERDICT_LABELS: dict[Verdict, str] = {
    "ruled_in": "ruled in", "ruled_out": "ruled out", "inconclusive": "inconclusive",
    "insufficient_samples": "too few samples", "under_elicited": "under-elicited",
    "not_evaluated": "not evaluated"}


@dataclass(frozen=True)
class Estimate:
    """A metric's value from one eval run, with what is needed to bound it."""

    value: float
    stderr: float | None
    n: int
    run_id: str = ""
    task: str = ""
    correction: int = 0  # the sign-off record whose invalidation recomputed it, if any
    elicitation: Elicitation | None = None  # how the run was elicited, as its log records it
    # how the run falls short of the indicator's elicitation minimum; non-empty: not evidence
    elicitation_gaps: tuple[str, ...] = ()
    # why its judge is below the indicator's judge rule; set: nothing is ruled out on it
    judge_problem: str | None = None
    # why the model engaged too little for the indicator's engagement rule; set: likewise
    engagement_problem: str | None = None


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
    threshold_tiers: tuple[str, ...] = ()  # the tiers it has thresholds for, ascending

    # The estimate's fields, for when there may be no run: none, and no samples.
    @property
    def value(self) -> float | None:
        return self.estimate.value if self.estimate else None

    @property
    def stderr(self) -> float | None:
        return self.estimate.stderr if self.estimate else None

    @property
    def n(self) -> int:
        return self.estimate.n if self.estimate else 0

    @property
    def run_id(self) -> str | None:
        return self.estimate.run_id if self.estimate else None

    @property
    def evaluated(self) -> bool:
        """True when a run counts as evidence for it (see NO_EVIDENCE)."""
        return self.verdict not in NO_EVIDENCE

    @property
    def elicitation_gaps(self) -> tuple[str, ...]:
        return self.estimate.elicitation_gaps if self.estimate else ()

    @property
    def grader(self) -> str | None:
        """The model that graded the run behind it, where one did."""
        est = self.estimate
        return est.elicitation.grader if est and est.elicitation else None

    @property
    def judge_problem(self) -> str | None:
        return self.estimate.judge_problem if self.estimate else None

    @property
    def engagement_problem(self) -> str | None:
        return self.estimate.engagement_problem if self.estimate else None

    @property
    def evidence(self) -> dict:
        """A JSON-ready record of everything this determination rests on."""
        est = self.estimate
        return {
            "run_id": self.run_id,
            "task": est.task if est else self.task,
            "value": self.value,
            "stderr": self.stderr,
            "n": self.n,
            "ci": [self.ci_low, self.ci_high],
            "min_samples": self.min_samples,
            "elicitation": json.loads(est.elicitation.to_json())
            if est and est.elicitation else None,
            "elicitation_gaps": list(self.elicitation_gaps),
            "judge_problem": self.judge_problem,
            "engagement_problem": self.engagement_problem,
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
    role: DomainRole
    tier: str | None  # None: no indicator of this domain was evaluated
    indicators: list[IndicatorDetermination]

    @property
    def counts_for_completeness(self) -> bool:
        """Tracked domains are reported only; the others must have their evidence."""
        return self.role != "tracked"


@dataclass(frozen=True)
class VersionDetermination:
    """The policy's verdict on one model version, and how complete its evidence is.

    `required_tier` is the highest tier a capability domain reached on the evidence present
    (precautionary policies count an undecided tier as reached). `ruled_in_tier` is the highest
    tier a capability indicator's whole interval actually passed; `not_ruled_out_tier` the
    highest tier the evidence leaves open, where a required indicator with no run leaves every
    one of its tiers open. The gap between them is what more evidence could still decide.
    """

    required_tier: str
    ruled_in_tier: str
    not_ruled_out_tier: str
    domains: list[DomainDetermination]
    policy_sha256: str

    @property
    def indicators(self) -> list[IndicatorDetermination]:
        return [i for d in self.domains for i in d.indicators]

    @property
    def required_indicators(self) -> list[IndicatorDetermination]:
        """Required indicators of the domains whose evidence must be complete."""
        return [i for d in self.domains if d.counts_for_completeness
                for i in d.indicators if i.required]

    @property
    def missing(self) -> list[IndicatorDetermination]:
        """Required indicators with no usable run: none at all, an undefined metric, or only
        runs below the indicator's elicitation minimum."""
        return [i for i in self.required_indicators if not i.evaluated]

    @property
    def thin(self) -> list[IndicatorDetermination]:
        """Required indicators evaluated on fewer samples than the policy's minimum."""
        return [i for i in self.required_indicators if i.estimate is not None
                and i.evaluated and i.estimate.n < i.min_samples]

    @property
    def undecided(self) -> list[IndicatorDetermination]:
        """Evaluated indicators that neither rule their tiers in nor out."""
        return [i for i in self.indicators if i.verdict in UNDECIDED]

    @property
    def evidence_complete(self) -> bool:
        """Every required indicator evaluated on at least its minimum number of samples."""
        return not self.missing and not self.thin

    def domains_with_role(self, role: DomainRole) -> list[DomainDetermination]:
        return [d for d in self.domains if d.role == role]


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
    """Determine one indicator's tier; a missing or non-finite estimate is not_evaluated, one
    from a run below the indicator's elicitation minimum under_elicited."""
    min_samples = policy.min_samples_for(indicator)
    ladder = policy.ladder_ids(domain.id)
    determined = partial(
        IndicatorDetermination, domain=domain.id, indicator=indicator.id, task=indicator.task,
        metric=indicator.metric, required=indicator.required, min_samples=min_samples,
        threshold_tiers=tuple(t for t in ladder if t in indicator.thresholds))
    if estimate is None or not math.isfinite(estimate.value) or estimate.elicitation_gaps:
        verdict: Verdict = ("under_elicited" if estimate and estimate.elicitation_gaps
                            else "not_evaluated")
        return determined(estimate=estimate, ci_low=None, ci_high=None, tier=None,
                          verdict=verdict, alert=False, needs_assessment=False)
    ci = confidence_interval(indicator, estimate, policy.evaluation.confidence_level)
    enough = estimate.n >= min_samples
    per_tier = [tier_verdict(indicator, t, indicator.thresholds[t], ci, estimate.value, enough)
                for t in ladder if t in indicator.thresholds]
    # an unreliable judge's verdicts, or a model that never engaged, cannot clear a tier
    if estimate.judge_problem or estimate.engagement_problem:
        per_tier = [replace(tv, verdict="inconclusive") if tv.verdict == "ruled_out" else tv
                    for tv in per_tier]
    precautionary = policy.evaluation.inconclusive == "precautionary"
    tier = ladder[0]
    verdict = "ruled_out"
    for tv in per_tier:  # ascending; thresholds are monotone, so the last hit is the highest
        if tv.verdict == "ruled_in" or (precautionary and tv.verdict in UNDECIDED):
            tier = tv.tier
        if tv.verdict != "ruled_out":
            verdict = tv.verdict
    return determined(
        estimate=estimate, ci_low=ci[0], ci_high=ci[1], tier=tier, verdict=verdict,
        alert=any(tv.alert for tv in per_tier),
        needs_assessment=not precautionary and any(tv.verdict in UNDECIDED for tv in per_tier),
        per_tier=per_tier,
    )


def decide_version(policy: Policy,
                   estimates: dict[tuple[str, str], Estimate]) -> VersionDetermination:
    """Determine every indicator, each domain's tier and the version's tiers.

    `estimates` is keyed by (domain id, indicator id); indicators without one are
    not_evaluated. A domain's tier is the highest its indicators reach, on its own ladder
    (`Policy.ladder`). Only capability domains set the version's tiers (the lowest tier when
    none reaches anything); a level of a domain's own ladder counts as the tier it names.
    """
    domains = []
    for domain in policy.domains:
        results = [decide_indicator(policy, domain, ind, estimates.get((domain.id, ind.id)))
                   for ind in domain.indicators]
        reached = [r.tier for r in results if r.tier is not None]
        domains.append(DomainDetermination(domain.id, domain.name, domain.role,
                                           _highest(policy.ladder_ids(domain.id), reached),
                                           results))
    capability = [i for d in domains if d.role == "capability" for i in d.indicators]
    floor = policy.tier_ids[0]

    def highest(levels: list[tuple[str, str]]) -> str:
        """The highest policy tier that (domain, level) pairs require."""
        return _highest(policy.tier_ids, [policy.global_tier(d, lv) for d, lv in levels]) \
            or floor

    return VersionDetermination(
        required_tier=highest([(i.domain, i.tier) for i in capability if i.tier]),
        ruled_in_tier=highest([(i.domain, tv.tier) for i in capability for tv in i.per_tier
                               if tv.verdict == "ruled_in"]),
        not_ruled_out_tier=highest([(i.domain, t) for i in capability
                                    for t in _open_tiers(i)]),
        domains=domains, policy_sha256=policy.sha256)


def _open_tiers(ind: IndicatorDetermination) -> list[str]:
    """Tiers this indicator's evidence leaves open: all of a required indicator's with no run,
    otherwise every tier not ruled out."""
    if not ind.evaluated:
        return list(ind.threshold_tiers) if ind.required else []
    return [tv.tier for tv in ind.per_tier if tv.verdict != "ruled_out"]


def required_safeguards(policy: Policy, det: VersionDetermination) -> list[tuple[str, str]]:
    """(safeguard, why) pairs: the required tier's, then those of every tier a safeguards-role
    domain reached and of every level of its own a domain reached, each safeguard named
    once."""
    demands: list[tuple[Tier, str]] = [
        (policy.tiers[policy.tier_rank(det.required_tier)], "required tier")]
    for d in det.domains:
        if d.tier is None or d.role == "tracked":
            continue
        if policy.domain(d.domain).levels or d.role == "safeguards":
            demands.append((policy.rung(d.domain, d.tier), f"reached by {d.domain}"))
    found: dict[str, str] = {}
    for tier, why in demands:
        for safeguard in tier.safeguards:
            found.setdefault(safeguard, f"{tier.id} ({why})")
    return list(found.items())


def describe_version(policy: Policy, det: VersionDetermination) -> str:
    """One line a reviewer reads at once, e.g. "ASL-2 ruled in (cyber) · ASL-3 not ruled out:
    3 required indicators not evaluated (cbrn, autonomy, deception/sandbagging_drop)"."""
    floor = policy.tier_ids[0]
    capability = det.domains_with_role("capability")
    if det.ruled_in_tier != floor:
        deciders = [d.domain for d in capability if any(
            policy.global_tier(d.domain, tv.tier) == det.ruled_in_tier
            and tv.verdict == "ruled_in" for i in d.indicators for tv in i.per_tier)]
        parts = [f"{det.ruled_in_tier} ruled in ({', '.join(deciders)})"]
    else:
        parts = [f"nothing above {floor} ruled in"]
    if det.not_ruled_out_tier != det.ruled_in_tier:
        holding = [d.domain for d in capability
                   if any(det.not_ruled_out_tier in {policy.global_tier(d.domain, t)
                                                     for t in _open_tiers(i)}
                          for i in d.indicators)]
        parts.append(f"{det.not_ruled_out_tier} not ruled out ({', '.join(holding)})")
    else:
        parts.append("every higher tier ruled out" if det.ruled_in_tier != policy.tier_ids[-1]
                     else "top tier")
    for domain in det.domains:
        own_floor = policy.ladder_ids(domain.domain)[0]
        if not domain.tier or domain.tier == own_floor or domain.role == "tracked":
            continue
        if policy.domain(domain.domain).levels:
            parts.append(f"{domain.tier} reached ({domain.domain})")
        elif domain.role == "safeguards":
            parts.append(f"{domain.tier} safeguards required by {domain.domain}")
    if det.evidence_complete:
        parts.append("evidence complete")
    else:
        gaps = []
        absent = [i for i in det.missing if i.verdict == "not_evaluated"]
        weak = [i for i in det.missing if i.verdict == "under_elicited"]
        if absent:
            gaps.append(f"{len(absent)} required indicator(s) not evaluated "
                        f"({_names(det, absent)})")
        if weak:
            gaps.append(f"{len(weak)} under-elicited, so not evidence ({_names(det, weak)})")
        if det.thin:
            sizes = ", ".join(f"{i.domain}/{i.indicator} n={i.n}"
                              f"<{i.min_samples}" for i in det.thin)
            gaps.append(f"{len(det.thin)} on too few samples ({sizes})")
        parts.append("evidence incomplete: " + "; ".join(gaps))
    return " · ".join(parts)


def _names(det: VersionDetermination, inds: list[IndicatorDetermination]) -> str:
    """Indicator names, a domain's id standing for all of its required indicators at once."""
    names = []
    for domain in det.domains:
        required = [i for i in domain.indicators if i.required]
        listed = [i for i in inds if i.domain == domain.domain]
        if listed and len(listed) == len(required):
            names.append(domain.domain)
        else:
            names += [f"{i.domain}/{i.indicator}" for i in listed]
    return ", ".join(names)


def _highest(ladder: list[str], tiers: list[str]) -> str | None:
    """The highest of `tiers` on `ladder` (tier or level ids, lowest first)."""
    return max(tiers, key=ladder.index) if tiers else None
