"""Scripted models for tests: Inspect's mockllm driven by a function of the conversation.

Token usage is set on every output, so mockllm never reaches for a tokenizer online.
"""

from __future__ import annotations

from collections.abc import Callable

from inspect_ai.model import ChatMessage, Model, ModelOutput, ModelUsage, get_model

Respond = Callable[[list[ChatMessage]], str]


def scripted_model(respond: Respond, name: str = "scripted") -> Model:
    """A mockllm model whose every reply is `respond(messages)`."""

    def generate(messages: list[ChatMessage], *_: object) -> ModelOutput:
        output = ModelOutput.from_content(f"mockllm/{name}", respond(messages))
        output.usage = ModelUsage(input_tokens=20, output_tokens=3, total_tokens=23)
        return output

    return get_model(f"mockllm/{name}", custom_outputs=generate, memoize=False)


def first_user_text(messages: list[ChatMessage]) -> str:
    return next(m.text for m in messages if m.role == "user")


def user_turns(messages: list[ChatMessage]) -> int:
    return sum(1 for m in messages if m.role == "user")
