"""Parsing a 1-10 rating out of a free-text reply."""

from __future__ import annotations

import re

_PATTERNS = [
    re.compile(r"\b(10|[1-9])\s*(?:/|out of)\s*10\b", re.IGNORECASE),
    re.compile(r"(?:rating|score|rate it|give it|give this)\D{0,12}\b(10|[1-9])\b", re.IGNORECASE),
    re.compile(r"^\W*(10|[1-9])\b"),
]


def parse_rating(reply: str) -> int | None:
    """The 1-10 rating a reply gives, or None when it gives none."""
    for pattern in _PATTERNS:
        match = pattern.search(reply)
        if match:
            return int(match.group(1))
    return None
