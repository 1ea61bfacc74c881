"""Indicator trends across a model line's versions, and when they would cross a threshold.

Pure. The x axis is log10 effective compute when every version has it (capabilities scale
roughly with log compute), else the release date, else the order versions were recorded in.
The projection is a least-squares line through the points: a planning aid, shown as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from registry.policy import Indicator

Axis = Literal["log10 effective compute", "release date", "version order"]


@dataclass(frozen=True)
class TrendPoint:
    version: str
    x: float
    value: float
    ci_low: float | None
    ci_high: float | None
    n: int


@dataclass(frozen=True)
class Crossing:
    label: str  # e.g. "ASL-3 rule-in"
    level: float
    x: float | None  # where the fitted line reaches `level`; None if it never does ahead
    slope: float | None


def choose_axis(computes: list[float | None], dates: list[date | None]) -> Axis:
    if computes and all(c is not None and c > 0 for c in computes):
        return "log10 effective compute"
    if dates and all(d is not None for d in dates):
        return "release date"
    return "version order"


def x_value(axis: Axis, index: int, compute: float | None, released: date | None) -> float:
    if axis == "log10 effective compute":
        return math.log10(compute)  # type: ignore[arg-type]
    if axis == "release date":
        return float(released.toordinal())  # type: ignore[union-attr]
    return float(index)


def next_threshold(indicator: Indicator, tier_order: list[str],
                   value: float) -> tuple[str, float] | None:
    """The first rule-in level, in tier order, that `value` has not yet passed."""
    sign = 1.0 if indicator.direction == "higher_is_riskier" else -1.0
    for tier in tier_order:
        th = indicator.thresholds.get(tier)
        if th is not None and sign * value < sign * th.rule_in:
            return f"{tier} rule-in", th.rule_in
    return None


def project_crossing(points: list[TrendPoint], label: str, level: float) -> Crossing:
    """Fit value = a + b·x and solve for the x, beyond the last point, where it reaches level."""
    if len(points) < 2:
        return Crossing(label, level, None, None)
    xs = [p.x for p in points]
    ys = [p.value for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return Crossing(label, level, None, None)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    if slope == 0:
        return Crossing(label, level, None, slope)
    x_cross = mx + (level - my) / slope
    return Crossing(label, level, x_cross if x_cross > max(xs) else None, slope)


def describe_x(axis: Axis, x: float) -> str:
    """A human reading of a position on the axis."""
    if axis == "log10 effective compute":
        return f"effective compute ≈ {10 ** x:.3g}"
    if axis == "release date":
        if round(x) > date.max.toordinal():  # a nearly flat trend: centuries away
            return f"after {date.max.year}"
        return f"around {date.fromordinal(round(x)).isoformat()}"
    return f"version #{x + 1:.1f} in recording order"
