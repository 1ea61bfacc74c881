"""Inspect entry point: registers rsp-registry's tasks and the bundled-model provider.

With the package installed,
`inspect eval evals/are_you_sure --model rsp-local/smollm2-135m-instruct`
works as well as `rsp eval run`.
"""

from inspect_ai.model import ModelAPI, modelapi

from evals.suites import TASKS


@modelapi(name="rsp-local")
def rsp_local() -> type[ModelAPI]:
    from rsp.local_model import LocalLlamaAPI

    return LocalLlamaAPI


__all__ = ["TASKS", "rsp_local"]
