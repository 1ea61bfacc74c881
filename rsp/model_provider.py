"""Inspect entry point of the bundled offline models: `--model rsp-local/smollm2-135m-instruct`.

Registered through its own entry point (pyproject's `inspect_ai` group), so the task package
`evals` depends on Inspect alone, and the heavy llama.cpp provider loads only when used.
"""

from inspect_ai.model import ModelAPI, modelapi


@modelapi(name="rsp-local")
def rsp_local() -> type[ModelAPI]:
    from rsp.local_model import LocalLlamaAPI

    return LocalLlamaAPI
