"""Two versions side by side: per indicator, the difference B - A and whether it is significant.

Pure: no I/O. Where both versions ran the same task on the same items the comparison is paired
per item, which cancels the item-to-item variance both runs share and so detects far smaller
changes: an exact McNemar test for 0/1 outcomes, a Student-t interval on the per-item
differences otherwise. Where they did not, the estimates are compared as independent (a z-test
on the root sum of squared standard errors) and labelled so. `registry.version_compare` reads
the per-sample values and decides which applies.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from registry.stats import (
    mcnemar_exact_p,
    normal_two_sided_p,
    proportion_stderr,
    t_two_sided_p,
    t_value,
    z_value,
)
from registry.tiers import IndicatorDetermination, VersionDetermination

PairedMethod = Literal["paired_mcnemar", "paired_mean"]
Method = Literal["paired_mcnemar", "paired_mean", "independent", "not_compared"]
METHOD_LABELS: dict[str, str] = {
    "paired_mcnemar": "paired exact McNemar",
    "paired_mean": "paired mean difference",
    "independent": "independent",
    "not_compared": "not evaluated in both",
}


# How the comparison was made, in words every front end shows beside the numbers.
METHODS_EXPLAINED = (
    "Paired tests compare the task's per-sample value item by item (each item averaged over "
    "its epochs) on the items both versions scored: exact McNemar for 0/1 outcomes (up: 0 in "
    "A, 1 in B), a t interval on the mean per-item difference otherwise. Independent: a z-test "
    "on the two estimates, used when the runs differ in task, task version or dataset, or "
    "share no item.")


@dataclass(frozen=True)
class PairedTest:
    """B against A on the items both scored, in the per-sample value.

    `mean_difference` is the mean over shared items of B - A; `ci_low`/`ci_high` bound it
    (paired mean difference only: McNemar gives a p-value, not an interval).
    """

    method: PairedMethod
    n_shared: int
    mean_difference: float
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    significant: bool
    discordant_up: int | None = None  # McNemar's b: 0 in A, 1 in B
    discordant_down: int | None = None  # McNemar's c: 1 in A, 0 in B


@dataclass(frozen=True)
class IndicatorComparison:
    """One indicator of two versions compared.

    `value_a`/`value_b` are the headline estimates and `difference` is B - A between them.
    A paired method tests the task's per-sample value on the `n_shared` items both runs
    scored: `paired_difference` is its mean per-item B - A, which differs from `difference`
    when the headline metric is not the plain mean of that value (a rate over a subset, say).
    `ci_low`/`ci_high` bound the difference the method tests (`paired_difference` when paired,
    `difference` when independent; None for McNemar or when there is no stderr). `note`
    says why an indicator evaluated in both versions could not be paired.
    """

    domain: str
    indicator: str
    metric: str
    value_a: float | None
    value_b: float | None
    difference: float | None
    method: Method
    n_shared: int
    paired_difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    significant: bool
    discordant_up: int | None
    discordant_down: int | None
    tier_a: str | None
    tier_b: str | None
    run_a: str | None
    run_b: str | None
    note: str

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]


def item_means(values: Iterable[tuple[str, float | None]]) -> dict[str, float]:
    """Per sample id, the mean of its scored values over its epochs.

    Epochs of one item are not independent draws of the population of items, so a paired
    comparison takes the item as its unit: an item counts once however many epochs it ran.
    Missing values (errored or unscored samples) are left out; an item with none is dropped.
    """
    sums: dict[str, tuple[float, int]] = {}
    for sample_id, value in values:
        if value is None or not math.isfinite(value):
            continue
        total, count = sums.get(sample_id, (0.0, 0))
        sums[sample_id] = (total + value, count + 1)
    return {sample_id: total / count for sample_id, (total, count) in sums.items()}


def mcnemar_test(a: Sequence[float], b: Sequence[float], confidence_level: float) -> PairedTest:
    """Exact McNemar test on aligned 0/1 outcomes of the same items in A and B."""
    up = sum(1 for x, y in zip(a, b, strict=True) if x == 0 and y == 1)
    down = sum(1 for x, y in zip(a, b, strict=True) if x == 1 and y == 0)
    p = mcnemar_exact_p(up, down)
    n = len(a)
    return PairedTest("paired_mcnemar", n, (up - down) / n if n else math.nan, None, None, p,
                      p < 1 - confidence_level, up, down)


def paired_mean_difference(a: Sequence[float], b: Sequence[float],
                           confidence_level: float) -> PairedTest:
    """Mean of B - A over aligned items with its Student-t interval and p-value.

    The t quantile, not the normal one, because the standard error is itself estimated from
    the n - 1 degrees of freedom of the differences: with 10 items the normal interval would
    be about 15% too narrow. Fewer than two items give no interval.
    """
    diffs = [y - x for x, y in zip(a, b, strict=True)]
    n = len(diffs)
    mean = sum(diffs) / n if n else math.nan
    if n < 2:
        return PairedTest("paired_mean", n, mean, None, None, None, False)
    se = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1) / n)
    half = t_value(confidence_level, n - 1) * se
    # identical differences on every item: no spread to estimate, the change is exact
    p = t_two_sided_p(mean / se, n - 1) if se > 0 else float(mean == 0)
    low, high = mean - half, mean + half
    return PairedTest("paired_mean", n, mean, low, high, p, low > 0 or high < 0)


def paired_test(a: Mapping[str, float], b: Mapping[str, float],
                confidence_level: float) -> PairedTest:
    """Paired comparison of per-item values (as `item_means` gives) on the ids both hold.

    0/1 values in both -> exact McNemar; anything else (scores on a scale, or an average
    over epochs) -> the paired mean difference. Raises ValueError when no id is shared.
    """
    shared = sorted(a.keys() & b.keys())
    if not shared:
        raise ValueError("the two runs share no scored sample id: nothing to pair")
    xs, ys = [a[k] for k in shared], [b[k] for k in shared]
    if all(v in (0, 1) for v in (*xs, *ys)):
        return mcnemar_test(xs, ys, confidence_level)
    return paired_mean_difference(xs, ys, confidence_level)


def _stderr(ind: IndicatorDetermination) -> float | None:
    est = ind.estimate
    if est is None:
        return None
    if est.stderr is not None and math.isfinite(est.stderr):
        return est.stderr
    if est.n > 0 and 0 <= est.value <= 1:
        return proportion_stderr(est.value, est.n)
    return None


def compare_indicator(ind_a: IndicatorDetermination, ind_b: IndicatorDetermination,
                      confidence_level: float,
                      pairing: PairedTest | str = "") -> IndicatorComparison:
    """One indicator of A and B: paired when `pairing` is a PairedTest, otherwise as
    independent estimates, with `pairing` saying why they could not be paired.

    The independent test is a two-sided z-test on the root sum of squared standard errors;
    an indicator not evaluated in both versions (or without a stderr) is not compared.
    """
    est_a, est_b = ind_a.estimate, ind_b.estimate
    value_a = est_a.value if est_a else None
    value_b = est_b.value if est_b else None
    difference = value_b - value_a if value_a is not None and value_b is not None else None
    compared = partial(
        IndicatorComparison, domain=ind_a.domain, indicator=ind_a.indicator,
        metric=ind_a.metric, value_a=value_a, value_b=value_b, difference=difference,
        tier_a=ind_a.tier, tier_b=ind_b.tier, run_a=est_a.run_id if est_a else None,
        run_b=est_b.run_id if est_b else None)
    if isinstance(pairing, PairedTest):
        return compared(
            method=pairing.method, n_shared=pairing.n_shared,
            paired_difference=pairing.mean_difference, ci_low=pairing.ci_low,
            ci_high=pairing.ci_high, p_value=pairing.p_value, significant=pairing.significant,
            discordant_up=pairing.discordant_up, discordant_down=pairing.discordant_down,
            note="")
    se_a, se_b = _stderr(ind_a), _stderr(ind_b)
    unpaired = partial(compared, n_shared=0, paired_difference=None, discordant_up=None,
                       discordant_down=None, note=pairing)
    if difference is None or se_a is None or se_b is None:
        return unpaired(method="not_compared", ci_low=None, ci_high=None, p_value=None,
                        significant=False)
    se = math.hypot(se_a, se_b)
    half = z_value(confidence_level) * se
    # both stderrs 0 (constant outcomes): any change at all is outside the interval
    p = normal_two_sided_p(difference / se) if se > 0 else float(difference == 0)
    low, high = difference - half, difference + half
    return unpaired(method="independent", ci_low=low, ci_high=high, p_value=p,
                    significant=low > 0 or high < 0)


def compare(a: VersionDetermination, b: VersionDetermination, confidence_level: float,
            pairings: Mapping[tuple[str, str], PairedTest | str] | None = None,
            ) -> list[IndicatorComparison]:
    """Per indicator of the policy, B - A. `pairings` holds, per (domain, indicator), the
    paired test or why there is none (see `compare_indicator`); an indicator it lacks is
    compared as independent estimates."""
    pairings = pairings or {}
    by_key = {(i.domain, i.indicator): i for i in b.indicators}
    return [compare_indicator(ind_a, by_key[(ind_a.domain, ind_a.indicator)], confidence_level,
                              pairings.get((ind_a.domain, ind_a.indicator), ""))
            for ind_a in a.indicators]
