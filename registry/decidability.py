"""Can a threshold be decided at all, and how many samples would decide it? Pure: no I/O.

A tier is ruled out only when the whole confidence interval is short of `rule_out`, and ruled
in only when it is wholly past `rule_in` (registry.tiers.tier_verdict). A task that is too
small can therefore never decide a threshold, whatever the model does: at 95%, even 0 of 12
has a Wilson upper bound of 0.24, so 12 items cannot rule out a 0.10 threshold (35 can).

Two questions, both answered through the tier engine's own interval and comparisons:

- before any run (`check_decidability`): for a proportion (`interval: wilson`) and the size the
  task ships with, can a result with no risk at all rule out the indicator's lowest tier, and
  can a result that is all risk rule in its highest? Those are the hardest tiers to decide
  with an extreme result, as thresholds grow toward risk up the ladder.
- after a run (`samples_to_decide`): at the estimate observed, how many samples would make
  every undecided tier's interval fall wholly on one side?
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from registry.policy import ElicitationMinimum, Indicator, IntervalMethod, Policy, Threshold
from registry.tiers import (
    UNDECIDED,
    Estimate,
    IndicatorDetermination,
    Verdict,
    VersionDetermination,
    confidence_interval,
    tier_verdict,
)

Check = Literal["rule out", "rule in"]

# Sizes are searched up to here; past it a size is reported as impossible rather than as a
# number nobody could collect.
SEARCH_CAP = 10_000_000

_TARGET: dict[Check, Verdict] = {"rule out": "ruled_out", "rule in": "ruled_in"}
_VERB: dict[Check, str] = {"rule out": "rules out", "rule in": "rules in"}


@dataclass(frozen=True)
class SizeCheck:
    """Whether a task of `size` independent items lets an extreme result decide one tier.

    `needed` is the smallest size at which it does (None: no size up to SEARCH_CAP can),
    counting, as the tier engine does, the policy's minimum of samples for a rule-out;
    `size` is None where the task's size is not known here.
    """

    domain: str
    indicator: str
    task: str
    tier: str
    check: Check
    threshold: float
    all_items: bool  # the extreme result: every item scored 1 (else none did)
    size: int | None
    needed: int | None
    min_samples: int

    def result(self, n: int | str = "n") -> str:
        """The extreme result as a count over `n` items, e.g. "0 of 12"."""
        return f"{n} of {n}" if self.all_items else f"0 of {n}"

    @property
    def decidable(self) -> bool:
        """True when the known size reaches the size needed."""
        return self.size is not None and self.needed is not None and self.size >= self.needed

    @property
    def blocking(self) -> bool:
        """True when the shortfall can make a decision read better than its evidence: a task
        that cannot rule out its lowest tier holds every model there, however weak, and hides
        nothing; but it is the rule-out a board relies on to clear a release, so a policy
        whose tasks cannot give it is refused under --strict. A rule-in shortfall is reported
        but does not block: a perfect score then leaves the top tier undecided, which no
        policy reads as below it (precautionary counts it as reached, escalate asks for an
        assessment), so it can only over-state the risk, never under-state it."""
        return not self.decidable and self.check == "rule out"

    @property
    def fix(self) -> str:
        """What would make the check pass (never a wider threshold); empty when it passes."""
        if self.decidable:
            return ""
        if self.needed is None:
            return (f"no size can: {self.result()} never {_VERB[self.check]} {self.threshold} "
                    f"(searched up to {SEARCH_CAP:,} items); decide {self.tier} with another "
                    "indicator")
        if self.check == "rule out" and self.needed == self.min_samples:
            # the interval alone would do; the engine calls fewer samples insufficient
            return (f"grow the task's dataset to {self.needed} independent items, the "
                    "indicator's min_samples")
        return (f"grow the task's dataset to {self.needed} independent items, or lower the "
                "confidence level")

    def summary(self) -> str:
        """The size needed, e.g. "0 of n rules out ASL-2 from 35"."""
        needed = "no size" if self.needed is None else self.needed
        return f"{self.result()} {_VERB[self.check]} {self.tier} from {needed}"

    def describe(self, confidence_level: float) -> str:
        """One sentence a policy author can act on."""
        if self.decidable:
            return (f"{self.domain}/{self.indicator}: {self.result(self.size or 'n')} "
                    f"{_VERB[self.check]} {self.tier} ({self.threshold}) at "
                    f"{confidence_level:.0%}.")
        result = self.result(self.size if self.size is not None else "n")
        has = "a size not known here" if self.size is None else f"{self.size} independent items"
        return (f"{self.domain}/{self.indicator}: at {confidence_level:.0%}, {result} cannot "
                f"{self.check} {self.tier} ({self.threshold}) with {has}. Fix: {self.fix}.")


@dataclass(frozen=True)
class NotChecked:
    """An indicator whose decidability cannot be known before a run, and why."""

    domain: str
    indicator: str
    task: str
    reason: str


@dataclass(frozen=True)
class DecidabilityReport:
    """Every size check of a policy against the shipped task sizes."""

    checks: list[SizeCheck]
    not_checked: list[NotChecked]

    @property
    def findings(self) -> list[SizeCheck]:
        """The checks the shipped size fails: thresholds no result of this task can decide."""
        return [c for c in self.checks if not c.decidable]

    @property
    def blocking(self) -> list[SizeCheck]:
        """The findings that refuse the policy under --strict (see SizeCheck.blocking)."""
        return [c for c in self.findings if c.blocking]


@dataclass(frozen=True)
class TierNeed:
    """Samples that would decide one undecided tier at the current estimate."""

    tier: str
    needed: int | None  # None: no number of samples can
    reason: str


@dataclass(frozen=True)
class SamplesNeeded:
    """Samples that would decide an undecided indicator at its current estimate.

    `needed` is the largest over its undecided tiers, or None when any of them cannot be
    decided by more samples; `reason` says which.
    """

    domain: str
    indicator: str
    n: int
    needed: int | None
    reason: str
    tiers: list[TierNeed]


@dataclass(frozen=True)
class PlanItem:
    """What it would take to decide one indicator of a model version.

    `samples` is set for an evaluated indicator left undecided; `extremes` for one not
    evaluated, saying what a zero or a certain result on its task would need.
    """

    determination: IndicatorDetermination
    interval: IntervalMethod
    size: int | None  # independent items of its task as shipped, if known
    samples: SamplesNeeded | None
    extremes: list[SizeCheck]
    elicitation: ElicitationMinimum | None = None  # what a run must show to count

    @property
    def status(self) -> Literal["decided", "undecided", "under_elicited", "not_evaluated"]:
        """Whether the indicator still needs a run (a stronger one, when its runs fell short
        of the elicitation minimum), more samples, or nothing."""
        verdict = self.determination.verdict
        if verdict == "not_evaluated" or verdict == "under_elicited":
            return verdict
        return "undecided" if self.samples is not None else "decided"


def shipped_size(indicator: Indicator, sizes: Mapping[str, int]) -> int | None:
    """The number of independent items of the indicator's task as shipped, if known.

    `sizes` is keyed by registered task name (`evals/cyber_ctf`). An indicator that names a
    `dataset` measures a file the lab chooses, so its size is not the shipped one.
    """
    if indicator.dataset is not None:
        return None
    return next((n for name, n in sizes.items() if indicator.matches_task(name)), None)


def extreme_checks(policy: Policy, domain: str, indicator: Indicator,
                   size: int | None) -> list[SizeCheck]:
    """For a proportion indicator: can no risk rule out its lowest tier, and can certain risk
    rule in its highest? Empty for an indicator whose interval is not Wilson's."""
    tiers = [t for t in policy.ladder_ids(domain) if t in indicator.thresholds]
    if indicator.interval != "wilson" or not tiers:
        return []
    riskier_high = indicator.direction == "higher_is_riskier"
    # No risk is 0 of n when higher is riskier, n of n otherwise; certain risk the reverse.
    return [_extreme_check(policy, domain, indicator, tiers[0], "rule out", not riskier_high,
                           size),
            _extreme_check(policy, domain, indicator, tiers[-1], "rule in", riskier_high, size)]


def _extreme_check(policy: Policy, domain: str, indicator: Indicator, tier: str, check: Check,
                   all_items: bool, size: int | None) -> SizeCheck:
    threshold = indicator.thresholds[tier]
    minimum = policy.min_samples_for(indicator)

    def reaches(n: int) -> bool:
        estimate = Estimate(float(all_items), None, n)
        verdict = _verdict(policy, indicator, tier, threshold, estimate, n >= minimum)
        return verdict == _TARGET[check]

    level = threshold.rule_out if check == "rule out" else threshold.rule_in
    return SizeCheck(domain, indicator.id, indicator.task, tier, check, level, all_items, size,
                     _smallest_n(reaches), minimum)


def check_decidability(policy: Policy, sizes: Mapping[str, int]) -> DecidabilityReport:
    """Check every indicator of `policy` against the task sizes in `sizes`.

    Indicators with `interval: normal` (paired differences) and tasks of unknown size are
    listed as not checked, never as decidable.
    """
    checks: list[SizeCheck] = []
    not_checked: list[NotChecked] = []
    for domain, indicator in policy.indicators():
        size = shipped_size(indicator, sizes)
        if indicator.interval != "wilson":
            not_checked.append(NotChecked(
                domain.id, indicator.id, indicator.task,
                "interval: normal: its width follows the spread a run observes, so no size "
                "decides it in advance"))
        elif size is None:
            where = (f"dataset '{indicator.dataset}' is chosen by the lab" if indicator.dataset
                     else "the task is not shipped here")
            not_checked.append(NotChecked(domain.id, indicator.id, indicator.task,
                                          f"size unknown: {where}"))
        else:
            checks.extend(extreme_checks(policy, domain.id, indicator, size))
    return DecidabilityReport(checks, not_checked)


def samples_to_decide(policy: Policy,
                      determination: IndicatorDetermination) -> SamplesNeeded | None:
    """Samples that would decide `determination` at its current estimate.

    Per undecided tier (inconclusive or insufficient_samples), the smallest n, at least the
    policy's minimum for the indicator, at which the interval around the same estimate falls
    wholly on one side: a Wilson interval is recomputed at the same proportion, a normal one
    keeps the observed spread (stderr * sqrt(n) per sample) and shrinks as 1/sqrt(n). None
    when nothing is undecided (not evaluated, or every tier decided).
    """
    est = determination.estimate
    undecided = [tv for tv in determination.per_tier if tv.verdict in UNDECIDED]
    if est is None or not undecided:
        return None
    indicator = policy.indicator(f"{determination.domain}/{determination.indicator}")
    minimum = policy.min_samples_for(indicator)
    scaled, unscalable = _scaling(indicator, est)
    needs = [_tier_need(policy, indicator, tv.tier, tv.threshold, est.value, scaled, unscalable,
                        minimum) for tv in undecided]
    blocked = next((need for need in needs if need.needed is None), None)
    if blocked is not None:
        needed, reason = None, f"{blocked.tier}: {blocked.reason}"
    else:
        needed = max(need.needed for need in needs if need.needed is not None)
        reason = f"{needed} samples decide every undecided tier (now {est.n})"
    return SamplesNeeded(determination.domain, determination.indicator, est.n, needed, reason,
                         needs)


def plan_version(policy: Policy, determination: VersionDetermination,
                 sizes: Mapping[str, int]) -> list[PlanItem]:
    """Per indicator of a version's determination, in policy order, what would decide it."""
    items = []
    for ind in determination.indicators:
        indicator = policy.indicator(f"{ind.domain}/{ind.indicator}")
        size = shipped_size(indicator, sizes)
        items.append(PlanItem(
            ind, indicator.interval, size,
            samples_to_decide(policy, ind) if ind.evaluated else None,
            [] if ind.evaluated else extreme_checks(policy, ind.domain, indicator, size),
            indicator.elicitation))
    return items


def _tier_need(policy: Policy, indicator: Indicator, tier: str, threshold: Threshold,
               value: float, scaled: Callable[[int], Estimate] | None, unscalable: str,
               minimum: int) -> TierNeed:
    # The interval shrinks toward the estimate itself: where that point is not decided,
    # no number of samples decides the tier.
    limit = tier_verdict(indicator, tier, threshold, (value, value), value, True).verdict
    if limit not in _TARGET.values():
        return TierNeed(tier, None, f"no number of samples can: the estimate {value:.4g} sits "
                                    f"between rule-out {threshold.rule_out} and rule-in "
                                    f"{threshold.rule_in}")
    if scaled is None:
        return TierNeed(tier, None, f"no number of samples can: {unscalable}")
    side = "rules out" if limit == "ruled_out" else "rules in"

    def decides(n: int) -> bool:  # the minimum is applied after, to either side
        return _verdict(policy, indicator, tier, threshold, scaled(n), True) == limit

    n = _smallest_n(decides)
    if n is None:
        return TierNeed(tier, None, f"no number of samples up to {SEARCH_CAP:,} can: the "
                                    f"estimate {value:.4g} is too close to the threshold")
    needed = max(n, minimum)
    return TierNeed(tier, needed, f"{needed} samples at {value:.4g} {side} {tier}")


def _scaling(indicator: Indicator,
             est: Estimate) -> tuple[Callable[[int], Estimate] | None, str]:
    """The current estimate as it would read on n samples, or None and why it cannot be."""
    if indicator.interval == "wilson":
        return (lambda n: Estimate(est.value, None, n)), ""
    if est.stderr is None or not math.isfinite(est.stderr):
        return None, "the run stored no finite standard error, so its interval is unbounded"
    if est.n <= 0:
        return None, "the run scored no samples, so its spread per sample is unknown"
    sd = est.stderr * math.sqrt(est.n)
    return (lambda n: Estimate(est.value, sd / math.sqrt(n), n)), ""


def _verdict(policy: Policy, indicator: Indicator, tier: str, threshold: Threshold,
             est: Estimate, enough_samples: bool) -> Verdict:
    ci = confidence_interval(indicator, est, policy.evaluation.confidence_level)
    return tier_verdict(indicator, tier, threshold, ci, est.value, enough_samples).verdict


def _smallest_n(decides: Callable[[int], bool]) -> int | None:
    """Smallest n in 1..SEARCH_CAP with decides(n), for a `decides` monotone in n.

    Both intervals are monotone: at a fixed estimate, a larger n gives an interval nested
    inside the smaller n's, so once decided a tier stays decided.
    """
    hi = 1
    while not decides(hi):
        if hi >= SEARCH_CAP:
            return None
        hi = min(hi * 2, SEARCH_CAP)
    lo = hi // 2  # not deciding (or 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if decides(mid):
            hi = mid
        else:
            lo = mid
    return hi

