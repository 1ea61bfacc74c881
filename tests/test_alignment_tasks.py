"""Every alignment metric lands where scripted behaviours put it (Inspect's mockllm, offline)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval

from evals.common.answers import LETTERS
from evals.deception.sandbagging import THREAT
from evals.situational_awareness.eval_vs_deploy import LABELS
from evals.situational_awareness.test_awareness import TEST_NOTE
from evals.suites import TASKS
from tests.scripted import scripted_model

DATA = Path(__file__).resolve().parent.parent / "evals"


def items(relative: str) -> list[dict]:
    return [json.loads(x) for x in (DATA / relative).read_text().splitlines() if x.strip()]


def last_user(messages) -> str:
    return [m for m in messages if m.role == "user"][-1].text


def lookup(relative: str, field: str) -> Callable[[list], dict]:
    """Find the dataset item a conversation is about, by a field's text in the user turn."""
    table = items(relative)

    def find(messages) -> dict:
        text = last_user(messages)
        return next(i for i in table if i[field] in text)

    return find


def metrics(task_name: str, respond, **task_args) -> dict[str, float]:
    log = inspect_eval(TASKS[task_name](**task_args), model=scripted_model(respond),
                       display="none", log_dir=str(Path("/tmp/rsp-test-logs") / task_name))[0]
    assert log.status == "success", log.error
    return {k: m.value for k, m in log.results.scores[0].metrics.items()}


def other(letter: str, n: int = 4) -> str:
    return LETTERS[(LETTERS.index(letter) + 1) % n]


# ---- sycophancy ------------------------------------------------------------------------------

OC = lookup("sycophancy/data/opinion_conformity.jsonl", "question")


def oc_sycophant(messages):
    text = last_user(messages)
    if "I'm fairly confident the answer is" in text:
        return text.split("the answer is ", 1)[1][0]  # adopt the user's letter
    return OC(messages)["answer"]


def test_opinion_conformity_separates_sycophant_from_steadfast():
    syc = metrics("opinion_conformity", oc_sycophant)
    assert syc["conformity_shift"] == 0.5  # knows the truth, so only the wrong view moves it
    assert syc["conformity_to_wrong"] == 1.0
    steady = metrics("opinion_conformity", lambda m: f"({OC(m)['answer']})")
    assert steady["conformity_shift"] == 0.0 and steady["accuracy_neutral"] == 1.0
    assert steady["conformity_shift_n"] == len(items("sycophancy/data/opinion_conformity.jsonl"))


def test_feedback_sycophancy_measures_own_work_bonus():
    flatterer = metrics("feedback_sycophancy",
                        lambda m: "9/10" if "I wrote" in last_user(m) else "Rating: 5")
    assert flatterer["rating_shift"] == pytest.approx(4 / 9)
    fair = metrics("feedback_sycophancy", lambda m: "6 - decent but flawed")
    assert fair["rating_shift"] == 0.0 and fair["mean_rating_own"] == 6.0
    mumbler = metrics("feedback_sycophancy", lambda m: "It has strengths and weaknesses.")
    assert mumbler["unparseable_rate"] == 1.0 and mumbler["rating_shift_n"] == 0


# ---- situational awareness -------------------------------------------------------------------

@pytest.mark.parametrize(("task_name", "data"), [
    ("self_knowledge", "situational_awareness/data/self_knowledge.jsonl"),
    ("cbrn_proxy", "cbrn/data/cbrn_proxy.jsonl"),
])
def test_multiple_choice_accuracy(task_name, data):
    key = lookup(data, "question")
    assert metrics(task_name, lambda m: key(m)["answer"])["accuracy"] == 1.0
    assert metrics(task_name, lambda m: f"{other(key(m)['answer'])})")["accuracy"] == 0.0
    always_b = metrics(task_name, lambda m: "B")
    assert 0.2 <= always_b["accuracy"] <= 0.3  # keys are balanced: a fixed letter is chance


ED = lookup("situational_awareness/data/eval_vs_deploy.jsonl", "prompt")


def test_eval_vs_deploy_oracle_and_constant_guess():
    oracle = metrics("eval_vs_deploy", lambda m: LABELS[ED(m)["source"]])  # answers by text
    assert oracle["accuracy"] == 1.0 and oracle["unparseable_rate"] == 0.0
    always_a = metrics("eval_vs_deploy", lambda m: "A")
    assert always_a["accuracy"] == 0.5  # option order alternates, so a fixed letter is chance


TA = lookup("situational_awareness/data/test_awareness.jsonl", "scenario")


def watched_only(messages):
    safe = TA(messages)["safe"]
    return safe if TEST_NOTE in last_user(messages) else other(safe, 2)


def test_test_awareness_flags_behaving_only_when_watched():
    assert metrics("test_awareness", watched_only)["behaviour_shift"] == 1.0
    consistent = metrics("test_awareness", lambda m: TA(m)["safe"])
    assert consistent["behaviour_shift"] == 0.0 and consistent["careful_rate_plain"] == 1.0
    careless = metrics("test_awareness", lambda m: other(TA(m)["safe"], 2))
    assert careless["behaviour_shift"] == 0.0 and careless["careful_rate_tested"] == 0.0


# ---- deception -------------------------------------------------------------------------------

HP = items("deception/data/honesty_under_pressure.jsonl")


def hp_item(messages) -> dict:
    text = last_user(messages)
    return next(i for i in HP if i["belief_question"] in text or i["pressure_question"] in text)


def pressured(messages) -> bool:
    return any(m.role == "system" for m in messages)


def test_lie_rate_is_honesty_not_accuracy():
    liar = metrics("honesty_under_pressure", lambda m: other(hp_item(m)["truth"], 2)
                   if pressured(m) else hp_item(m)["truth"])
    assert liar["lie_rate"] == 1.0 and liar["belief_accuracy"] == 1.0
    honest = metrics("honesty_under_pressure", lambda m: hp_item(m)["truth"])
    assert honest["lie_rate"] == 0.0
    # consistently wrong is inaccurate, not dishonest
    mistaken = metrics("honesty_under_pressure", lambda m: other(hp_item(m)["truth"], 2))
    assert mistaken["lie_rate"] == 0.0 and mistaken["belief_accuracy"] == 0.0


SB = lookup("deception/data/sandbagging.jsonl", "question")


def test_sandbagging_drop_only_under_threat():
    sandbagger = metrics("sandbagging", lambda m: other(SB(m)["answer"])
                         if THREAT in last_user(m) else SB(m)["answer"])
    assert sandbagger["accuracy_drop"] == 1.0 and sandbagger["accuracy_neutral"] == 1.0
    honest = metrics("sandbagging", lambda m: SB(m)["answer"])
    assert honest["accuracy_drop"] == 0.0 and honest["accuracy_threat"] == 1.0


# ---- bring your own --------------------------------------------------------------------------

MWE = Path(__file__).parent / "data" / "mwe_power_seeking.jsonl"
MWE_ROWS = items(str(MWE.resolve()))


def mwe_row(messages) -> dict:
    text = last_user(messages)
    return next(r for r in MWE_ROWS if r["question"].rstrip().removesuffix("Answer:").strip()
                in text)


def answer_text(row: dict, key: str) -> str:
    value = row[key]
    return (value if isinstance(value, str) else value[0]).strip()


def test_mwe_matching_behaviour_rate():
    always = metrics("mwe", lambda m: answer_text(mwe_row(m), "answer_matching_behavior"),
                     dataset=str(MWE))
    assert always["matching_behavior_rate"] == 1.0 and always["matching_behavior_rate_n"] == 6
    never = metrics("mwe", lambda m: answer_text(mwe_row(m), "answer_not_matching_behavior"),
                    dataset=str(MWE))
    assert never["matching_behavior_rate"] == 0.0
    silent = metrics("mwe", lambda m: "I'd rather not say.", dataset=str(MWE))
    assert silent["unparseable_rate"] == 1.0


def test_mwe_rejects_a_malformed_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "x?", "answer_matching_behavior": " (A)"}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:1: missing answer_not_matching_behavior"):
        TASKS["mwe"](dataset=str(bad))


def test_registry_keeps_which_mwe_dataset_a_run_used(tmp_path):
    import hashlib

    from registry.db import open_session
    from registry.ingest import ingest
    from registry.schema import EvalRun

    log = inspect_eval(TASKS["mwe"](dataset=str(MWE)), model=scripted_model(lambda m: "Yes"),
                       display="none", log_dir=str(tmp_path))[0]
    [result] = ingest([log.location], f"duckdb:///{tmp_path / 'r.duckdb'}")
    with open_session(f"duckdb:///{tmp_path / 'r.duckdb'}") as s:
        run = s.get(EvalRun, result.run_id)
    assert run.dataset_location == str(MWE.resolve()) and run.dataset_name == MWE.stem
    assert run.dataset_sha256 == hashlib.sha256(MWE.read_bytes()).hexdigest()
