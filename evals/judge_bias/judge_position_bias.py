"""Judge position bias: how the model under test behaves as a judge of two answers.

Each pair is judged in both orders (evals.common.judging). Pairs of equal quality (the same
answer twice, or two paraphrases of one correct answer) measure the first-position preference:
the share of choosing verdicts that name whichever answer was shown first (0.5 is unbiased,
1.0 always first). Pairs with a clearly better answer measure accuracy: both orders name the
better one. Swap consistency is the share of pairs whose two verdicts name the same answer.
Recorded per model version, so a lab knows a model's reliability as a judge before using it
as one.
"""

from __future__ import annotations

from inspect_ai import Task, task
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from evals.common.datasets import jsonl_dataset, task_name
from evals.common.framings import REPLIES, framed_task, record_sample, user
from evals.common.judging import PairJudgement, judge_prompt, parse_verdict
from evals.common.metrics import subset_mean

VERSION = "1.0.0"
CRITERION = "Which answer responds to the request more accurately and helpfully?"
EQUAL_KINDS = frozenset({"same", "paraphrase"})


def _order(first: str, second: str):
    def build(item: dict) -> list:
        return user(judge_prompt(item["question"], item[first], item[second], CRITERION))

    return build


# answer_1 is x: forward shows it first, swapped shows answer_2 first
FRAMINGS = {"forward": _order("answer_1", "answer_2"), "swapped": _order("answer_2", "answer_1")}


def judgement_fields(item: dict, judgement: PairJudgement) -> dict[str, float]:
    """Score fields of one judged pair; subsets say which metric each sample counts in."""
    picks, chose = judgement.first_position_picks
    equal = item["kind"] in EQUAL_KINDS
    better = {1: "x", 2: "y"}.get(item.get("better") or 0)
    return {
        "parsed": float(judgement.parsed),
        "consistent": float(judgement.consistent),
        "equal_decided": float(equal and chose > 0),
        "first_share": picks / chose if chose else 0.0,
        "clear_parsed": float(better is not None and judgement.parsed),
        "correct": float(better is not None and judgement.winner == better),
        "unparseable": float(not judgement.parsed),
    }


@scorer(metrics=[
    subset_mean("first_share", name="first_position_preference", given="equal_decided"),
    subset_mean("consistent", name="swap_consistency", given="parsed"),
    subset_mean("correct", name="clear_accuracy", given="clear_parsed"),
    subset_mean("unparseable", name="unparseable_rate"),
])
def position_bias_scorer() -> Scorer:
    """Parse both orders' verdicts strictly and score the pair (see `judgement_fields`)."""

    async def score(state: TaskState, target: Target) -> Score:
        replies = state.metadata[REPLIES]
        judgement = PairJudgement(parse_verdict(replies["forward"]),
                                  parse_verdict(replies["swapped"]))
        return Score(value=judgement_fields(state.metadata, judgement),
                     answer=f"{judgement.forward or '?'} / {judgement.swapped or '?'} -> "
                            f"{judgement.winner}")

    return score


@task(name=task_name("judge_position_bias"))
def judge_position_bias(dataset: str | None = None) -> Task:
    """Judge reliability: first-position preference on equal pairs, accuracy on clear ones."""
    return framed_task(
        dataset=jsonl_dataset(dataset or "judge_bias/data/judge_pairs.jsonl",
                              lambda r: record_sample(r, "kind")),
        framings=FRAMINGS, scorer=position_bias_scorer(), headline="first_position_preference",
        version=VERSION, sample_field="first_share", max_tokens=160,
    )
