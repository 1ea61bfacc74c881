"""Inspect entry point: registers rsp-registry's tasks.

With the package installed, `inspect eval evals/are_you_sure --model
rsp-local/smollm2-135m-instruct` works as well as `rsp eval run` (the bundled-model provider
has an entry point of its own, `rsp.model_provider`).
"""

from evals.suites import TASKS

__all__ = ["TASKS"]
