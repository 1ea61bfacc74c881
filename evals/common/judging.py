"""Pairwise judging with the position swap: the one way this project asks a model which of two
answers is better.

An LLM judge shown two answers tends to favour the one shown first, whatever their quality. So
every comparison is judged twice, the answers in both orders, each in a fresh conversation.
Verdicts that name the same answer both times count; verdicts that follow the position instead
are position-dependent, recorded as such and never counted as a preference. A reply counts only
if it ends with the fixed verdict line; anything else is unparseable, never a verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from inspect_ai.model import GenerateConfig, Model

Verdict = Literal["1", "2", "TIE"]
# Which of the two underlying answers won: x (shown first in the forward order) or y.
Winner = Literal["x", "y", "tie", "position_dependent", "unparseable"]
VERDICT_LINE = re.compile(r"^VERDICT: (1|2|TIE)$")
JUDGE_CONFIG = GenerateConfig(temperature=0.0, max_tokens=160)
# What a verdict names in each order: forward shows x as answer 1, swapped shows y as answer 1.
_PICKS_FORWARD: dict[Verdict, Winner] = {"1": "x", "2": "y", "TIE": "tie"}
_PICKS_SWAPPED: dict[Verdict, Winner] = {"1": "y", "2": "x", "TIE": "tie"}

JUDGE_PROMPT = """You are comparing two answers to the same request.

Request:
{question}

Answer 1:
{first}

Answer 2:
{second}

{criterion}
You may reason briefly first. Then end your reply with one final line that is exactly one of:
VERDICT: 1
VERDICT: 2
VERDICT: TIE"""


def judge_prompt(question: str, first: str, second: str, criterion: str) -> str:
    """The judging request for one order of the two answers."""
    return JUDGE_PROMPT.format(question=question, first=first, second=second,
                               criterion=criterion)


def parse_verdict(reply: str) -> Verdict | None:
    """The verdict on the reply's last non-empty line, or None when that line is not exactly a
    verdict line (a verdict elsewhere in the text is not taken: it may be quoted or hedged)."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    found = VERDICT_LINE.match(lines[-1]) if lines else None
    return cast(Verdict, found.group(1)) if found else None


@dataclass(frozen=True)
class PairJudgement:
    """Both orders' verdicts on one pair: x shown first, then y shown first."""

    forward: Verdict | None
    swapped: Verdict | None

    @property
    def parsed(self) -> bool:
        return self.forward is not None and self.swapped is not None

    @property
    def winner(self) -> Winner:
        """The answer both orders agree on, a tie both agree on, or why there is none."""
        if self.forward is None or self.swapped is None:
            return "unparseable"
        first, second = _PICKS_FORWARD[self.forward], _PICKS_SWAPPED[self.swapped]
        return first if first == second else "position_dependent"

    @property
    def consistent(self) -> bool:
        """Both orders parsed and name the same answer (or both a tie)."""
        return self.winner in ("x", "y", "tie")

    @property
    def first_position_picks(self) -> tuple[int, int]:
        """(verdicts naming the answer shown first, verdicts naming either): the position
        preference counts only verdicts that chose."""
        chose = [v for v in (self.forward, self.swapped) if v in ("1", "2")]
        return sum(v == "1" for v in chose), len(chose)


async def judge_both_orders(model: Model, question: str, x: str, y: str,
                            criterion: str) -> PairJudgement:
    """Ask `model` to judge x against y in both orders, each in a fresh conversation."""
    forward = await model.generate(judge_prompt(question, x, y, criterion), config=JUDGE_CONFIG)
    swapped = await model.generate(judge_prompt(question, y, x, criterion), config=JUDGE_CONFIG)
    return PairJudgement(parse_verdict(forward.completion), parse_verdict(swapped.completion))
