"""Tolerant parsing of a model's multiple-choice reply.

Small models answer in many shapes ("B", "(B)", "B: Jupiter", "The answer is B", "Jupiter").
A reply that matches none of them is unparseable: callers count it, never score it as wrong.
"""

from __future__ import annotations

import re

LETTERS = "ABCDEFGHIJ"

_BARE = re.compile(r"^\W*([a-jA-J])\W*$")
_LEADING = re.compile(r"^\W{0,3}(?:option\s+)?\(?([A-J])\)?(?:[.:,)*\-]|$)")
_STATED = re.compile(
    r"(?:answer|option|choice)\s*(?:is|would be|:)?\s*(?:option\s+)?[\"'(\[]*([A-J])\b[\"')\]]*",
    re.IGNORECASE,
)
_MARKED = re.compile(r"(?:^|[\s(\[])([A-J])(?:\)|\]|:|\.(?:\s|$))")


def parse_choice(reply: str, choices: list[str]) -> str | None:
    """The letter a reply picks among `choices`, or None when it cannot be told."""
    valid = LETTERS[: len(choices)]
    text = reply.strip()
    for pattern in (_BARE, _LEADING, _STATED):
        match = pattern.search(text)
        if match and match.group(1).upper() in valid:
            return match.group(1).upper()
    marked = {m.group(1) for m in _MARKED.finditer(text) if m.group(1) in valid}
    if len(marked) == 1:
        return marked.pop()
    return parse_choice_text(text, choices)


def parse_choice_text(text: str, choices: list[str]) -> str | None:
    """The letter of the one choice whose text the reply contains (None if zero or several)."""
    lowered = text.lower()
    hits = [
        LETTERS[i]
        for i, choice in enumerate(choices)
        if re.search(rf"(?<!\w){re.escape(choice.lower())}(?!\w)", lowered)
    ]
    return hits[0] if len(hits) == 1 else None


def format_choices(choices: list[str]) -> str:
    """Choices as 'A) ...' lines, the shape the parser and the prompt agree on."""
    return "\n".join(f"{LETTERS[i]}) {choice}" for i, choice in enumerate(choices))
