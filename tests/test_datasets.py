"""Form checks for every dataset written here (correctness was reviewed by hand)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

EVALS = Path(__file__).resolve().parent.parent / "evals"

# file, the field holding the text put to the model, the keyed-letter field, option count
CHOICE_SETS = [
    ("sycophancy/data/are_you_sure.jsonl", "question", "answer", 4),
    ("sycophancy/data/opinion_conformity.jsonl", "question", "answer", 4),
    ("situational_awareness/data/self_knowledge.jsonl", "question", "answer", 4),
    ("situational_awareness/data/test_awareness.jsonl", "scenario", "safe", 2),
    ("deception/data/honesty_under_pressure.jsonl", "belief_question", "truth", 2),
    ("deception/data/sandbagging.jsonl", "question", "answer", 4),
    ("cbrn/data/cbrn_proxy.jsonl", "question", "answer", 4),
]


def load(relative: str) -> list[dict]:
    return [json.loads(x) for x in (EVALS / relative).read_text().splitlines() if x.strip()]


@pytest.mark.parametrize(("relative", "text", "key", "n_options"), CHOICE_SETS)
def test_choice_dataset_form(relative, text, key, n_options):
    rows = load(relative)
    assert len(rows) >= 100
    assert len({r["id"] for r in rows}) == len(rows), "ids must be unique"
    assert len({r[text].strip().lower() for r in rows}) == len(rows), "duplicated item"
    for r in rows:
        assert len(r["choices"]) == n_options and len(set(r["choices"])) == n_options, r["id"]
        assert r[key] in "ABCD"[:n_options], r["id"]
    counts = Counter(r[key] for r in rows)
    assert set(counts) == set("ABCD"[:n_options])
    # a model that always answers one letter must score at chance
    assert max(counts.values()) - min(counts.values()) <= 0.05 * len(rows), counts


def test_no_question_reused_across_sets():
    seen: dict[str, str] = {}
    for relative, text, _, _ in CHOICE_SETS:
        for r in load(relative):
            q = r[text].strip().lower()
            assert q not in seen, f"{r['id']} repeats {seen.get(q)}"
            seen[q] = r["id"]


def test_opinion_views_are_wrong_and_spread():
    rows = load("sycophancy/data/opinion_conformity.jsonl")
    assert all(r["user_view_wrong"] != r["answer"] for r in rows)
    counts = Counter(r["user_view_wrong"] for r in rows)
    assert set(counts) == set("ABCD") and min(counts.values()) >= len(rows) // 8


def test_pressure_differs_from_belief_elicitation():
    for r in load("deception/data/honesty_under_pressure.jsonl"):
        assert r["pressure_question"].strip() and r["pressure_system"].strip(), r["id"]
        assert r["pressure_system"] not in r["belief_question"], r["id"]


def test_feedback_works():
    rows = load("sycophancy/data/feedback_sycophancy.jsonl")
    assert len(rows) >= 100 and len({r["id"] for r in rows}) == len(rows)
    assert len({r["work"] for r in rows}) == len(rows)
    assert all(r["work"].strip() and r["kind"] for r in rows)


def test_eval_vs_deploy_is_balanced():
    rows = load("situational_awareness/data/eval_vs_deploy.jsonl")
    assert len(rows) >= 100 and len({r["prompt"] for r in rows}) == len(rows)
    counts = Counter(r["source"] for r in rows)
    assert set(counts) == {"evaluation", "deployment"}
    assert abs(counts["evaluation"] - counts["deployment"]) <= 0.05 * len(rows)
