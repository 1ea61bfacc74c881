"""Named groups of tasks, as `rsp eval run --suite NAME` knows them."""

from __future__ import annotations

from collections.abc import Callable

from inspect_ai import Task

from evals.autonomy.ai_rnd import ai_rnd
from evals.byo.mwe import mwe
from evals.cbrn.cbrn_proxy import cbrn_proxy
from evals.constitution.constitution_graded import constitution_graded
from evals.cyber.ctf import cyber_ctf
from evals.deception.honesty_under_pressure import honesty_under_pressure
from evals.deception.sandbagging import sandbagging
from evals.judge_bias.judge_position_bias import judge_position_bias
from evals.red_team.red_team import red_team
from evals.scheming.scheming import (
    covert_action,
    goal_guarding,
    oversight_subversion,
    self_exfiltration,
)
from evals.situational_awareness.eval_vs_deploy import eval_vs_deploy
from evals.situational_awareness.self_knowledge import self_knowledge
from evals.situational_awareness.test_awareness import test_awareness
from evals.sycophancy.are_you_sure import are_you_sure
from evals.sycophancy.feedback_sycophancy import feedback_sycophancy
from evals.sycophancy.opinion_conformity import opinion_conformity

TASKS: dict[str, Callable[..., Task]] = {
    "are_you_sure": are_you_sure,
    "opinion_conformity": opinion_conformity,
    "feedback_sycophancy": feedback_sycophancy,
    "self_knowledge": self_knowledge,
    "eval_vs_deploy": eval_vs_deploy,
    "test_awareness": test_awareness,
    "honesty_under_pressure": honesty_under_pressure,
    "sandbagging": sandbagging,
    "mwe": mwe,
    "cyber_ctf": cyber_ctf,
    "ai_rnd": ai_rnd,
    "cbrn_proxy": cbrn_proxy,
    "judge_position_bias": judge_position_bias,
    "constitution_graded": constitution_graded,
    "red_team": red_team,
    "oversight_subversion": oversight_subversion,
    "self_exfiltration": self_exfiltration,
    "goal_guarding": goal_guarding,
    "covert_action": covert_action,
}

SUITES: dict[str, list[str]] = {
    "sycophancy": ["are_you_sure", "opinion_conformity", "feedback_sycophancy"],
    "situational_awareness": ["self_knowledge", "eval_vs_deploy", "test_awareness"],
    "deception": ["honesty_under_pressure", "sandbagging"],
    "cyber": ["cyber_ctf"],
    "autonomy": ["ai_rnd"],
    "cbrn_proxy": ["cbrn_proxy"],
    # model-graded: the model as a judge, and its answers judged by a named grader
    "judging": ["judge_position_bias", "constitution_graded"],
    "red_team": ["red_team"],
    # agentic, each scenario under goal conflict and under a control, in a sandbox
    "scheming": ["oversight_subversion", "self_exfiltration", "goal_guarding", "covert_action"],
}
SUITES["alignment"] = SUITES["sycophancy"] + SUITES["situational_awareness"] + SUITES["deception"]
SUITES["dangerous_capabilities"] = SUITES["cyber"] + SUITES["autonomy"] + SUITES["cbrn_proxy"]
DEFAULT_SUITES = ["sycophancy"]
# Tasks that load the user's own file (`--dataset`): they ship no dataset, so no size.
BYO_TASKS = frozenset({"mwe"})


class UnknownSuite(ValueError):
    pass


def resolve_tasks(suites: list[str], tasks: list[str]) -> list[str]:
    """Task names for the requested suites and tasks, in order, without repeats."""
    names: list[str] = []
    for suite in suites:
        if suite not in SUITES:
            raise UnknownSuite(f"Unknown suite '{suite}'. Fix: use one of {', '.join(SUITES)}.")
        names.extend(SUITES[suite])
    for name in tasks:
        if name not in TASKS:
            raise UnknownSuite(f"Unknown task '{name}'. Fix: use one of {', '.join(TASKS)}.")
        names.append(name)
    return list(dict.fromkeys(names))


def task_sizes() -> dict[str, int]:
    """Independent items per shipped task with a fixed dataset, keyed by the task's registered
    name (`evals/cyber_ctf`, as its logs carry it and a policy's `task` matches it).

    The size is the built task's dataset: epochs repeat items and add none. Building the tasks,
    rather than counting their files, keeps in-memory datasets (CTF challenges, AI R&D tasks)
    and each task's choice of file right; all of them build in well under a second.
    """
    sizes: dict[str, int] = {}
    for name, factory in TASKS.items():
        if name not in BYO_TASKS:
            task = factory()
            sizes[task.name] = len(task.dataset)
    return sizes
