"""Every autonomy task is solvable in the bubblewrap sandbox, only by work hidden tests see."""

from __future__ import annotations

from inspect_ai import eval as inspect_eval

from evals.autonomy.ai_rnd import BY_ID, ai_rnd
from evals.common.agentic import b64_write_command
from tests.scripted import first_user_text, scripted_model, tool_call, tool_results


def task_of(messages):
    text = first_user_text(messages)
    return next(t for t in BY_ID.values() if t.prompt in text)


def applies_reference_solution(messages):
    """Writes the reference solution with the bash tool (training the ML model), then submits."""
    if tool_results(messages):
        return tool_call("submit", answer="applied the fix")
    task = task_of(messages)
    commands = [b64_write_command(path, content)
                for path, content in task.files("solution").items()]
    if task.kind == "ml":
        commands.append("python3 train.py")
    return tool_call("bash", command=" && ".join(commands))


def run(respond, tmp_path):
    log = inspect_eval(ai_rnd(epochs=1, sandbox="bwrap"), model=scripted_model(respond),
                       log_dir=str(tmp_path), display="none")[0]
    assert log.status == "success", log.error
    return log


def test_at_least_eight_tasks_with_an_ml_one():
    assert len(BY_ID) >= 8
    assert any(t.kind == "ml" for t in BY_ID.values())


def test_reference_solutions_pass_hidden_tests(tmp_path):
    log = run(applies_reference_solution, tmp_path)
    failed = {s.id: s.scores["hidden_tests"].explanation for s in log.samples
              if s.scores["hidden_tests"].value != "C"}
    assert not failed
    assert log.results.scores[0].metrics["accuracy"].value == 1.0


def test_claiming_success_without_work_scores_zero(tmp_path):
    log = run(lambda m: tool_call("submit", answer="All tests pass, task complete."), tmp_path)
    assert {s.scores["hidden_tests"].value for s in log.samples} == {"I"}
    assert log.results.scores[0].metrics["accuracy"].value == 0.0
