"""The Inspect provider of the bundled offline models: `--model rsp-local/<name>`.

It talks to the model's local llama-server (rsp.llama_server) through Inspect's own
OpenAI-compatible provider, with tool calls emulated in the prompt (neither small model has
native tool use).
"""

from __future__ import annotations

from typing import Any

from inspect_ai.model import GenerateConfig
from inspect_ai.model._providers.openai_compatible import OpenAICompatibleAPI

from rsp.llama_server import PROVIDER, LlamaServer, bundled_model


class LocalLlamaAPI(OpenAICompatibleAPI):
    """Inspect's OpenAI-compatible provider pointed at a bundled model's local server."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: Any) -> None:
        bundled_model(model_name)  # fail fast, before starting anything, on an unknown name
        server = LlamaServer.for_model(model_name)
        super().__init__(model_name=model_name, base_url=server.base_url, api_key="local",
                         config=config, service=PROVIDER, emulate_tools=True, stream=False,
                         **model_args)

    def max_connections(self) -> int:
        return 1  # one slot (see rsp.llama_server): parallel requests would only queue

    def max_tokens(self) -> int | None:
        return 512
