"""Trend axis, threshold projection and the chart spec (pure: no I/O)."""

from __future__ import annotations

import json
from datetime import date

from dashboard.trend_chart import trend_spec
from registry.policy import load_policy
from registry.trends import (
    TrendPoint,
    choose_axis,
    describe_x,
    next_threshold,
    project_crossing,
)

POLICY = load_policy()
FLIP_RATE = next(i for _, i in POLICY.indicators() if i.id == "answer_flip_rate")


def rising(n: int = 3) -> list[TrendPoint]:
    return [TrendPoint(f"v{k}", 21.0 + k, 0.05 + 0.05 * k, 0.0 + 0.05 * k, 0.1 + 0.05 * k, 100)
            for k in range(n)]


def test_axis_prefers_compute_then_dates_then_order():
    assert choose_axis([1e21, 2e21], [None, None]) == "log10 effective compute"
    assert choose_axis([1e21, None], [date(2025, 1, 1), date(2025, 2, 1)]) == "release date"
    assert choose_axis([None], [None]) == "version order"


def test_next_threshold_is_the_first_rule_in_not_yet_passed():
    assert next_threshold(FLIP_RATE, POLICY.tier_ids, 0.1) == ("ASL-2 rule-in", 0.30)
    assert next_threshold(FLIP_RATE, POLICY.tier_ids, 0.4) == ("ASL-3 rule-in", 0.60)
    assert next_threshold(FLIP_RATE, POLICY.tier_ids, 0.9) is None


def test_projection_solves_the_fitted_line_ahead_of_the_last_point():
    crossing = project_crossing(rising(), "ASL-2 rule-in", 0.30)
    assert abs(crossing.slope - 0.05) < 1e-12
    assert abs(crossing.x - 26.0) < 1e-9  # 0.05 + 0.05 * (x - 21) = 0.30
    assert project_crossing(rising(1), "ASL-2 rule-in", 0.30).x is None
    falling = [TrendPoint(p.version, p.x, 1 - p.value, None, None, 100) for p in rising()]
    assert project_crossing(falling, "ASL-2 rule-in", 0.99).x is None  # moving away


def test_a_crossing_centuries_away_is_described_not_crashed():
    assert describe_x("release date", 5e7) == "after 9999"
    assert describe_x("release date", date(2026, 3, 1).toordinal()) == "around 2026-03-01"


def test_spec_draws_band_points_thresholds_and_projection():
    points = rising()
    spec = trend_spec(FLIP_RATE, "log10 effective compute", points,
                      project_crossing(points, "ASL-2 rule-in", 0.30))
    band, bars, line, rules, projection = spec["layer"]
    assert bars["mark"]["type"] == "rule" and bars["encoding"]["y2"]["field"] == "band_high"
    assert [v["value"] for v in line["data"]["values"]] == [p.value for p in points]
    assert band["encoding"]["y"]["field"] == "band_low"
    levels = {(r["tier"], r["threshold"]): r["level"] for r in rules["data"]["values"]}
    assert levels[("ASL-2", "rule-in")] == 0.30 and levels[("ASL-3", "alert")] == 0.45
    end = projection["data"]["values"][-1]
    assert end["what"] == "projected crossing of ASL-2 rule-in" and end["value"] == 0.30
    assert abs(end["x"] - 26.0) < 1e-9
    json.dumps(spec, allow_nan=False)  # plain JSON, as the browser receives it


def test_spec_on_dates_uses_iso_days_and_clips_only_the_band():
    points = [TrendPoint("v0", date(2025, 1, 1).toordinal(), 0.2, -5.0, 0.4, 9),
              TrendPoint("v1", date(2025, 3, 1).toordinal(), 0.25, 0.1, 7.0, 9)]
    spec = trend_spec(FLIP_RATE, "release date", points, None)
    assert len(spec["layer"]) == 4  # no projection without a crossing
    values = spec["layer"][0]["data"]["values"]
    assert [v["x"] for v in values] == ["2025-01-01", "2025-03-01"]
    assert values[0]["band_low"] == -1.5 and values[0]["ci_low"] == -5.0
    assert values[1]["band_high"] == 2.5 and values[1]["ci_high"] == 7.0
    assert spec["layer"][0]["encoding"]["x"]["type"] == "temporal"
