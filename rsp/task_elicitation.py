"""How `rsp eval run` elicits each shipped task by default, read before any run.

Built with Inspect's own functions for a log header's plan and reducer names, and read by the
same extractor as a log (registry.log_reader.elicitation_from), so a check made here agrees
with what the run's log will record.
"""

from __future__ import annotations

from inspect_ai import Task
from inspect_ai._eval.task.log import plan_to_eval_plan
from inspect_ai._eval.task.run import resolve_plan
from inspect_ai._util.registry import registry_log_name
from inspect_ai.log import EvalConfig
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer._reducer.registry import reducer_log_names

from registry.elicitation import Elicitation
from registry.log_reader import elicitation_from


def task_elicitation(task: Task) -> Elicitation:
    """The elicitation a run of `task`, as built, records in its log header."""
    config = EvalConfig(epochs=task.epochs, epochs_reducer=reducer_log_names(task.epochs_reducer),
                        message_limit=task.message_limit, token_limit=task.token_limit,
                        time_limit=task.time_limit)
    plan = plan_to_eval_plan(resolve_plan(task, None), task.config)
    return elicitation_from(config, plan, GenerateConfig(), [],
                            tuple(registry_log_name(s) for s in task.scorer or []),
                            metadata=task.metadata)


def default_elicitations() -> dict[str, Elicitation]:
    """Each shipped task's registered name -> its elicitation with no task arguments."""
    from evals.suites import BYO_TASKS, TASKS

    built = [factory() for name, factory in TASKS.items() if name not in BYO_TASKS]
    return {task.name: task_elicitation(task) for task in built}
