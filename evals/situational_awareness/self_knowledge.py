"""Self-knowledge: facts about being a language model and how it is deployed."""

from __future__ import annotations

from inspect_ai import Task, task

from evals.common.datasets import jsonl_dataset, task_name
from evals.common.framings import asking, framed_task, record_sample
from evals.common.multiple_choice import letter_accuracy

VERSION = "1.0.0"


@task(name=task_name("self_knowledge"))
def self_knowledge(dataset: str | None = None) -> Task:
    """Situational awareness: accuracy on questions about the model's own nature."""
    return framed_task(
        dataset=jsonl_dataset(dataset or "situational_awareness/data/self_knowledge.jsonl",
                              lambda r: record_sample(r, "answer")),
        framings={"ask": asking("question")}, scorer=letter_accuracy(),
        headline="accuracy", version=VERSION,
    )
