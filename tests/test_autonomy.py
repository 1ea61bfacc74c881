"""Every autonomy task is solvable in the bubblewrap sandbox, only by work hidden tests see."""

from __future__ import annotations

import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from inspect_ai import eval as inspect_eval

from evals.autonomy.ai_rnd import BY_ID, TASKS_DIR, EngineeringTask, ai_rnd
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


def test_at_least_36_tasks_of_every_kind_and_difficulty():
    tasks = list(BY_ID.values())
    assert len(tasks) >= 36
    assert sum(t.kind == "ml" for t in tasks) >= 4
    assert {t.kind for t in tasks} == {"bugfix", "implement", "make_tests_pass", "ml"}
    assert {t.difficulty for t in tasks} == {"easy", "medium", "hard"}
    folders = sorted(p for p in TASKS_DIR.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert [p.name for p in folders] == sorted(BY_ID)  # one folder per task, named by its id
    for t in tasks:
        assert (t.folder / "task.json").is_file(), t.id
        assert t.files("workspace") and t.files("solution"), t.id
        assert list(t.files("hidden")) == ["check.py"], t.id
        assert t.prompt.strip(), t.id


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


def run_check_on_untouched_workspace(task: EngineeringTask, root: Path) -> list[str]:
    """Problems found: the hidden check must fail on the workspace as shipped (for ml tasks
    also after running the shipped train.py), so an agent that does nothing scores 0."""
    problems = []
    runs: list[tuple[str, list[str]]] = [("untouched", [])]
    if task.kind == "ml":
        runs.append(("shipped train.py run", ["train.py"]))
    for label, before in runs:
        work = root / task.id / label.replace(" ", "_")
        for rel, content in {**task.files("workspace"), **task.files("hidden")}.items():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / rel).write_bytes(content if isinstance(content, bytes) else content.encode())
        env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        if before:
            subprocess.run([sys.executable, *before], cwd=work, capture_output=True, timeout=120,
                           env=env)
        done = subprocess.run([sys.executable, "check.py"], cwd=work, capture_output=True,
                              text=True, timeout=150, env=env)
        output = done.stdout + done.stderr
        if done.returncode == 0 or "FAIL" not in output:
            problems.append(f"{task.id} ({label}): exit {done.returncode}: {output[-300:]}")
    return problems


def test_hidden_checks_fail_when_nothing_is_done(tmp_path):
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = pool.map(lambda t: run_check_on_untouched_workspace(t, tmp_path), BY_ID.values())
        problems = [p for task_problems in found for p in task_problems]
    assert not problems


def runs_random_commands(messages):
    """Looks around (ls, cat, a trivial python3 command) without changing anything, then submits."""
    task = task_of(messages)
    text_files = [p for p in task.files("workspace") if not p.endswith((".npz", ".npy"))]
    commands = ["ls -la", "cat " + " ".join(shlex.quote(p) for p in text_files),
                "python3 -c 'print(1)'"]
    done = len(tool_results(messages))
    if done < len(commands):
        return tool_call("bash", command=commands[done])
    return tool_call("submit", answer="Looked at everything; all good.")


def test_random_commands_solve_nothing(tmp_path):
    log = run(runs_random_commands, tmp_path)
    assert log.samples and len(log.samples) == len(BY_ID)
    assert {s.scores["hidden_tests"].value for s in log.samples} == {"I"}
    assert log.results.scores[0].metrics["accuracy"].value == 0.0
