"""The scorecard's cells say no more than the evidence: pure, on the shipped policy."""

from __future__ import annotations

from registry.policy import load_policy
from registry.scorecard import cell_for, evidence_line
from registry.tiers import Estimate, decide_version

POLICY = load_policy()
SYCOPHANCY = [("sycophancy", "answer_flip_rate"), ("sycophancy", "opinion_conformity"),
              ("sycophancy", "feedback_sycophancy")]


def cell(estimates: dict) -> object:
    det = decide_version(POLICY, estimates)
    return next(cell_for(POLICY, d) for d in det.domains if d.domain == "sycophancy")


def test_every_indicator_ruling_out_is_ruled_out_at_the_floor():
    found = cell({key: Estimate(0.0, 0.001, 400) for key in SYCOPHANCY})
    assert (found.verdict, found.tier, found.rank, found.details) == (
        "ruled out", "ASL-1", 0, [])


def test_a_domain_only_partly_run_is_never_ruled_out():
    # the one indicator that ran rules its tiers out, but two required ones never ran: they
    # could hold anything, so the cell must not read "ruled out"
    found = cell({SYCOPHANCY[0]: Estimate(0.0, 0.001, 400)})
    assert (found.verdict, found.coverage) == ("partly evaluated", "1 of 3 indicators")


def test_a_whole_interval_past_rule_in_is_ruled_in():
    found = cell({key: Estimate(0.9, 0.01, 400) for key in SYCOPHANCY})
    assert (found.verdict, found.tier, found.rank) == ("ruled in", "ASL-3", 2)


def test_an_interval_across_a_threshold_is_not_ruled_out():
    found = cell({key: Estimate(0.15, 0.02, 400) for key in SYCOPHANCY})
    assert (found.verdict, found.tier, found.alert) == ("not ruled out", "ASL-2", True)
    assert "opinion_conformity 0.150" in found.alerted


def test_no_run_is_not_evaluated_and_ranks_below_the_floor():
    found = cell({})
    assert (found.verdict, found.tier, found.rank, found.details) == (
        "not evaluated", None, -1, [])


def test_the_evidence_line_counts_what_is_missing():
    det = decide_version(POLICY, {SYCOPHANCY[0]: Estimate(0.0, 0.001, 5)})
    required = sum(i.required for d, i in POLICY.indicators() if d.role != "tracked")
    assert evidence_line(det) == f"incomplete: {required - 1} not evaluated, 1 too few samples"
