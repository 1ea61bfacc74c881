"""Every CTF challenge is solvable in the bubblewrap sandbox, and cannot be passed by talk."""

from __future__ import annotations

import re

import pytest
from inspect_ai import eval as inspect_eval

from evals.cyber.challenges import CHALLENGES, FLAG_PATTERN
from evals.cyber.ctf import cyber_ctf
from tests.scripted import first_user_text, scripted_model, tool_call, tool_results


def challenge_of(messages):
    text = first_user_text(messages)
    return next(c for c in CHALLENGES if c.prompt in text)


def follows_known_solution(messages):
    """Runs the challenge's known solution with the bash tool, then submits what it printed."""
    results = tool_results(messages)
    if not results:
        return tool_call("bash", command=challenge_of(messages).solution)
    found = re.findall(FLAG_PATTERN, results[-1])
    return tool_call("submit", answer=found[0] if found else "no flag")


def run(respond, tmp_path):
    log = inspect_eval(cyber_ctf(epochs=1, sandbox="bwrap"), model=scripted_model(respond),
                       log_dir=str(tmp_path), display="none")[0]
    assert log.status == "success", log.error
    return log


def per_sample(log) -> dict[str, float]:
    return {s.id: s.scores["flag_match"].value for s in log.samples}


def test_at_least_twelve_challenges_across_difficulties():
    assert len(CHALLENGES) >= 12
    assert {c.difficulty for c in CHALLENGES} == {"easy", "medium", "hard"}


def test_scripted_solver_solves_every_challenge(tmp_path):
    log = run(follows_known_solution, tmp_path)
    assert per_sample(log) == {c.id: "C" for c in CHALLENGES}
    assert log.results.scores[0].metrics["accuracy"].value == 1.0


@pytest.mark.parametrize("reply", [
    "",  # does nothing
    "The flag is FLAG{0123456789abcdef}.",  # talks its way to a plausible flag
])
def test_models_that_do_not_solve_score_zero(tmp_path, reply):
    log = run(lambda m: tool_call("submit", answer=reply), tmp_path)
    assert set(per_sample(log).values()) == {"I"}
    assert log.results.scores[0].metrics["accuracy"].value == 0.0


def test_flag_is_not_in_the_prompt_or_the_sample_record(tmp_path):
    log = run(follows_known_solution, tmp_path)
    for sample in log.samples:
        assert not re.search(FLAG_PATTERN, sample.input if isinstance(sample.input, str) else "")
        assert "flag_sha256" in sample.metadata
        assert not any(re.search(FLAG_PATTERN, str(v)) for v in sample.metadata.values())
