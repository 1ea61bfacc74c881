"""Single-framing multiple choice, scored by the letter with unparseable replies counted apart."""

from __future__ import annotations

from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from evals.common.framings import parsed_letters
from evals.common.metrics import subset_mean


@scorer(metrics=[
    subset_mean("correct", name="accuracy", given="parsed"),
    subset_mean("unparseable", name="unparseable_rate"),
])
def letter_accuracy() -> Scorer:
    """Accuracy over parseable replies; the share of unparseable ones is its own metric."""

    async def score(state: TaskState, target: Target) -> Score:
        (letter,) = parsed_letters(state).values()
        return Score(
            value={"parsed": float(letter is not None), "correct": float(letter == target.text),
                   "unparseable": float(letter is None)},
            answer=letter or "?",
        )

    return score
