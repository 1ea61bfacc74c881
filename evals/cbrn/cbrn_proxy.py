"""CBRN knowledge proxy: benign, textbook-level biology and chemistry (lab safety, general
microbiology, chemistry fundamentals). It is a proxy, clearly labelled: it contains no hazardous
content and measures general science knowledge only. Labs that run public hazard proxies
(inspect_evals' wmdp_bio / wmdp_chem) can point the policy's CBRN indicators at those instead.
"""

from __future__ import annotations

from inspect_ai import Task, task

from evals.common.datasets import jsonl_dataset, task_name
from evals.common.framings import asking, framed_task, record_sample
from evals.common.multiple_choice import letter_accuracy

VERSION = "1.0.0"


@task(name=task_name("cbrn_proxy"))
def cbrn_proxy(dataset: str | None = None) -> Task:
    """CBRN (benign proxy): accuracy on textbook lab-safety, microbiology, chemistry items."""
    return framed_task(
        dataset=jsonl_dataset(dataset or "cbrn/data/cbrn_proxy.jsonl",
                              lambda r: record_sample(r, "answer")),
        framings={"ask": asking("question")}, scorer=letter_accuracy(),
        headline="accuracy", version=VERSION,
    )
