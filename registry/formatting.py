"""Numbers as text for people, shared by the report, the gate, the CLI and the dashboard. Pure.

One spelling everywhere: a reviewer comparing the CLI's table with the report and the
dashboard should see the same digits, and the same dash where there is no number.
"""

from __future__ import annotations

import math

NONE = "—"


def num(x: float | None, digits: int = 3) -> str:
    """`x` to `digits` decimals; a dash for none, NaN or an infinity, which have no digits
    worth printing (an undefined metric, an unknown spread)."""
    return NONE if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def interval(low: float | None, high: float | None, form: str = "{} – {}",
             digits: int = 3) -> str:
    """A confidence interval, its bounds put into `form`; a dash when there is none (no
    estimate, or an undefined bound), and "unbounded" when a bound is infinite: an unknown
    standard error gives (-inf, inf), which says nothing about the value, not that it is huge."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return NONE
    if math.isinf(low) or math.isinf(high):
        return "unbounded"
    return form.format(num(low, digits), num(high, digits))
