"""Reply parsing tolerates how small models answer, and refuses to guess."""

import pytest

from evals.common.answers import parse_choice

CHOICES = ["Mars", "Jupiter", "Venus", "Earth"]


@pytest.mark.parametrize("reply", [
    "B", "(B)", "B)", "B.", "B: Jupiter", "b", "The answer is B", "The answer is (B).",
    "Answer: B", "I think the correct option is B because it is the largest.", "Jupiter",
    "  **B**", "Option B", "My final answer is B.",
])
def test_parses_common_shapes(reply):
    assert parse_choice(reply, CHOICES) == "B"


@pytest.mark.parametrize("reply", [
    "", "I am not sure.", "Either Mars or Jupiter.", "A planet is a large body.", "E", "(F)",
])
def test_unparseable_is_none(reply):
    assert parse_choice(reply, CHOICES) is None
