"""Scripted models for tests: Inspect's mockllm driven by a function of the conversation.

Token usage is set on every output, so mockllm never reaches for a tokenizer online.
"""

from __future__ import annotations

from collections.abc import Callable

from inspect_ai.model import ChatMessage, Model, ModelOutput, ModelUsage, get_model

Respond = Callable[[list[ChatMessage]], str | ModelOutput]


def scripted_model(respond: Respond, name: str = "scripted") -> Model:
    """A mockllm model whose every reply is `respond(messages)`."""

    def generate(messages: list[ChatMessage], *_: object) -> ModelOutput:
        reply = respond(messages)
        output = reply if isinstance(reply, ModelOutput) else \
            ModelOutput.from_content(f"mockllm/{name}", reply)
        output.usage = ModelUsage(input_tokens=20, output_tokens=3, total_tokens=23)
        return output

    return get_model(f"mockllm/{name}", custom_outputs=generate, memoize=False)


def first_user_text(messages: list[ChatMessage]) -> str:
    return next(m.text for m in messages if m.role == "user")


def user_turns(messages: list[ChatMessage]) -> int:
    return sum(1 for m in messages if m.role == "user")


def tool_call(tool: str, **arguments: object) -> ModelOutput:
    """A scripted reply that calls `tool` with `arguments`."""
    return ModelOutput.for_tool_call("mockllm/scripted", tool, dict(arguments))


def tool_results(messages: list[ChatMessage]) -> list[str]:
    return [m.text for m in messages if m.role == "tool"]
