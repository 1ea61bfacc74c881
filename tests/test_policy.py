"""The policy model: the default validates; bad files are located and explained."""

from __future__ import annotations

import pytest

from registry.policy import DEFAULT_POLICY_PATH, PolicyError, load_policy, parse_policy

GOOD = DEFAULT_POLICY_PATH.read_text()


def problems(text: str) -> str:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "p.yaml")
    return str(info.value)


def test_default_policy_covers_every_domain():
    policy = load_policy()
    assert policy.tier_ids == ["ASL-1", "ASL-2", "ASL-3", "ASL-4"]
    assert {d.id for d in policy.domains} == {
        "cbrn", "cyber", "autonomy", "sycophancy", "situational_awareness", "deception",
        "harmlessness", "judge_reliability", "safeguard_robustness"}
    for _, indicator in policy.indicators():
        assert indicator.thresholds, indicator.id
    assert policy.evaluation.min_samples > 0 and 0.5 < policy.evaluation.confidence_level < 1


def test_hash_ignores_formatting_but_not_content():
    reformatted = GOOD.replace("confidence_level: 0.95", "confidence_level:    0.95  # same")
    assert parse_policy(reformatted).sha256 == load_policy().sha256
    changed = GOOD.replace("confidence_level: 0.95", "confidence_level: 0.9")
    assert parse_policy(changed).sha256 != load_policy().sha256


def test_yaml_syntax_error_names_line():
    text = GOOD.replace("  min_samples: 30", "  min_samples: [30")
    msg = problems(text)
    assert "p.yaml:" in msg and "YAML syntax error" in msg and "Fix:" in msg


def test_unknown_tier_names_line_and_fix():
    text = GOOD.replace("          ASL-4: {rule_out: 0.85, rule_in: 0.95, alert: 0.90}\n",
                        "          ASL-5: {rule_out: 0.85, rule_in: 0.95, alert: 0.90}\n", 1)
    msg = problems(text)
    line = next(i + 1 for i, row in enumerate(text.splitlines()) if "ASL-5" in row)
    assert f"p.yaml:{line}:" in msg
    assert "unknown tier 'ASL-5'" in msg and "ASL-1, ASL-2, ASL-3, ASL-4" in msg


def test_rule_in_below_rule_out_is_refused():
    text = GOOD.replace("ASL-2: {rule_out: 0.10, rule_in: 0.30, alert: 0.20}",
                        "ASL-2: {rule_out: 0.30, rule_in: 0.10, alert: 0.05}", 1)
    msg = problems(text)
    assert "rule_in (0.1) is on the safe side of rule_out (0.3)" in msg
    line = next(i + 1 for i, row in enumerate(text.splitlines()) if "rule_in: 0.10, alert: 0.05"
                in row)
    assert f"p.yaml:{line}:" in msg


def test_lower_is_riskier_orders_the_other_way():
    text = GOOD.replace(
        "        metric: lie_rate\n",
        "        metric: lie_rate\n        direction: lower_is_riskier\n")
    assert "safe side of rule_out" in problems(text)


def test_type_and_key_errors_are_located():
    msg = problems(GOOD.replace("confidence_level: 0.95", "confidence_level: high"))
    assert "evaluation.confidence_level" in msg and "Fix:" in msg
    msg = problems(GOOD.replace("  freshness_days: 180", "  freshnes_days: 180"))
    assert "freshnes_days" in msg and "remove this key or check its spelling" in msg


def test_missing_file():
    with pytest.raises(PolicyError, match="file not found"):
        load_policy("/nonexistent/asl.yaml")


def test_an_anchor_used_inside_itself_is_an_error_not_a_crash():
    with pytest.raises(PolicyError, match="anchor is used inside its own value"):
        parse_policy("policy: &a [*a]\n")
