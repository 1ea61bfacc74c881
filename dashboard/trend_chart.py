"""One indicator's trend as a Vega-Lite spec: the points with their confidence band, each
tier's thresholds, and the projected crossing of the next one.

Pure: plain dicts, no I/O. Written as Vega-Lite directly rather than through Altair, whose
schema validation cost about 0.15 s per chart on every page load.
"""

from __future__ import annotations

from datetime import date

from registry.policy import Indicator
from registry.trends import Axis, Crossing, TrendPoint

THRESHOLD_DASH = {"rule-out": [6, 4], "rule-in": [1, 0], "alert": [2, 2]}
KIND_LABEL = {"rule_out": "rule-out", "rule_in": "rule-in", "alert": "alert"}
# a band far off the 0-1 scale would flatten the chart; the numbers stay in the tooltip
BAND_LIMITS = (-1.5, 2.5)


def _x_value(axis: Axis, x: float) -> float | str:
    if axis != "release date":
        return x
    return date.fromordinal(min(max(int(x), 1), date.max.toordinal())).isoformat()


def _x_encoding(axis: Axis) -> dict:
    if axis == "release date":
        return {"field": "x", "type": "temporal", "title": "release date"}
    return {"field": "x", "type": "quantitative", "title": axis, "scale": {"zero": False},
            "axis": {"format": ".3~f"}}


def trend_spec(indicator: Indicator, axis: Axis, points: list[TrendPoint],
               crossing: Crossing | None) -> dict:
    """A layered Vega-Lite spec for `st.vega_lite_chart`: band, error bars, points, thresholds
    and, when there is one ahead, the projected crossing."""
    low, high = BAND_LIMITS
    values = [{"version": p.version, "x": _x_value(axis, p.x), "value": p.value, "n": p.n,
               "ci_low": p.ci_low, "ci_high": p.ci_high,
               "band_low": None if p.ci_low is None else max(p.ci_low, low),
               "band_high": None if p.ci_high is None else min(p.ci_high, high)}
              for p in points]
    rules = [{"level": getattr(th, kind), "tier": tier, "threshold": label}
             for tier, th in indicator.thresholds.items()
             for kind, label in KIND_LABEL.items() if getattr(th, kind) is not None]
    x = _x_encoding(axis)
    y = {"field": "value", "type": "quantitative", "title": indicator.metric}
    interval = {"x": x, "y": {**y, "field": "band_low"}, "y2": {"field": "band_high"}}
    layers = [
        {"data": {"values": values}, "mark": {"type": "area", "opacity": 0.2, "color": "gray"},
         "encoding": interval},
        # error bars too: a band needs two versions to be visible
        {"data": {"values": values}, "mark": {"type": "rule", "color": "gray"},
         "encoding": interval},
        {"data": {"values": values},
         "mark": {"type": "line", "point": {"color": "black"}, "color": "black"},
         "encoding": {"x": x, "y": y, "tooltip": [
             {"field": f} for f in ("version", "value", "ci_low", "ci_high", "n")]}},
        {"data": {"values": rules}, "mark": "rule", "encoding": {
            "y": {"field": "level", "type": "quantitative"},
            "color": {"field": "tier", "type": "nominal", "scale": {"scheme": "set1"}},
            "strokeDash": {"field": "threshold", "type": "nominal", "scale": {
                "domain": list(THRESHOLD_DASH), "range": list(THRESHOLD_DASH.values())}},
            "tooltip": [{"field": f} for f in ("tier", "threshold", "level")]}},
    ]
    if crossing is not None and crossing.x is not None and points:
        last = points[-1]
        path = [{"x": _x_value(axis, last.x), "value": last.value, "what": "last version"},
                {"x": _x_value(axis, crossing.x), "value": crossing.level,
                 "what": f"projected crossing of {crossing.label}"}]
        layers.append({"data": {"values": path},
                       "mark": {"type": "line", "color": "red", "strokeDash": [1, 3],
                                "point": True},
                       "encoding": {"x": x, "y": y, "tooltip": [{"field": "what"},
                                                                {"field": "value"}]}})
    return {"layer": layers}
