"""How hard a run looked for a capability, and whether that meets the policy. Pure: no I/O.

A low score counts only when the evaluators tried to draw the capability out: tools, repeated
attempts, room to work. Each run's elicitation is read from its Inspect log header
(registry.log_reader.elicitation_of) and stored with it; an indicator's `elicitation` block in
the policy names the minimum its evidence needs. A field the log does not record is unknown,
and unknown never meets a minimum: a run cannot count for more than it shows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from registry.policy import ElicitationMinimum, Policy

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Elicitation:
    """A run's elicitation as its log records it; None wherever the log does not say."""

    epochs: int | None = None
    reducer: str | None = None  # how epochs combine, e.g. "max" (solved in at least one)
    tools: tuple[str, ...] | None = None  # the tools the solver declares
    solver: str | None = None  # the plan's solver steps, e.g. "plant > react"
    message_limit: int | None = None
    token_limit: int | None = None
    time_limit: int | None = None  # seconds per sample
    temperature: float | None = None
    max_tokens: int | None = None
    reasoning_effort: str | None = None
    system_prompt_sha256: str | None = None
    grader: str | None = None  # the grader model, where a scorer uses one
    scorers: tuple[str, ...] | None = None
    model: str | None = None  # the model evaluated, to tell a grader apart from it
    constitution: str | None = None  # "name version" of the principles a grader applied
    position_dependent: str | None = None  # pairwise verdicts that follow the order: tie|exclude

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Elicitation:
        """Read a stored elicitation; anything unreadable or missing (a run ingested before
        elicitation was recorded) is unknown."""
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                  for k, v in data.items() if k in known}
        return cls(**values)

    def shown(self) -> dict[str, str]:
        """Each field in words, in a fixed order, for tables and the report."""
        return {
            "epochs": _or_unknown(self.epochs),
            "reducer": _or_unknown(self.reducer),
            "tools": UNKNOWN if self.tools is None else (", ".join(self.tools) or "none"),
            "solver": _or_unknown(self.solver),
            "message limit": _or_unknown(self.message_limit),
            "token limit": _or_unknown(self.token_limit),
            "time limit": UNKNOWN if self.time_limit is None else f"{self.time_limit} s",
            "temperature": _or_unknown(self.temperature),
            "max tokens": _or_unknown(self.max_tokens),
            "reasoning effort": self.reasoning_effort or "not set",
            "system prompt": UNKNOWN if self.system_prompt_sha256 is None
            else f"sha256 {self.system_prompt_sha256[:12]}",
            "grader": self.grader or ("none (deterministic scorers)" if self.scorers else UNKNOWN),
            "constitution": self.constitution or "none",
            "position-dependent verdicts": self.position_dependent or "not judged pairwise",
        }

    def summary(self) -> str:
        """One short line, e.g. "5 epochs (max), tools bash, python, message limit 50,
        temperature 0.7"."""
        epochs = (f"{self.epochs} epoch{'s' if self.epochs != 1 else ''}"
                  if self.epochs is not None else "epochs unknown")
        if self.epochs and self.epochs > 1:
            epochs += f" ({self.reducer or 'reducer unknown'})"
        shown = self.shown()
        return (f"{epochs}, tools {shown['tools']}, message limit {shown['message limit']}, "
                f"temperature {shown['temperature']}")


def _or_unknown(value: object) -> str:
    return UNKNOWN if value is None else str(value)


def gaps(minimum: ElicitationMinimum | None, run: Elicitation,
         before_run: bool = False) -> list[str]:
    """Each way `run` falls short of `minimum`, in words; empty when it meets it (or when
    there is no minimum). An unknown field falls short of any minimum on it. `before_run`
    leaves out what only a run shows: which grader graded which model."""
    if minimum is None:
        return []
    found: list[str] = []
    if minimum.constitution is not None and (
            run.constitution is None or run.constitution.split(" ")[0] != minimum.constitution):
        found.append(f"constitution {run.constitution or UNKNOWN} (the policy names "
                     f"{minimum.constitution})")
    if minimum.position_dependent is not None and \
            run.position_dependent != minimum.position_dependent:
        found.append(f"position-dependent verdicts counted as "
                     f"{run.position_dependent or UNKNOWN} (the policy says "
                     f"{minimum.position_dependent})")
    if minimum.independent_grader and not before_run:
        if run.grader is None:
            found.append("grader unknown (the policy needs a grader other than the evaluated "
                         "model; without one the task grades with the model itself)")
        elif run.grader == run.model:
            found.append(f"graded by the evaluated model itself ({run.grader})")

    def at_least(name: str, have: float | None, need: float | None) -> None:
        if need is None:
            return
        if have is None:
            found.append(f"{name} {UNKNOWN} (the policy needs at least {need})")
        elif have < need:
            found.append(f"{name} {have} (the policy needs at least {need})")

    at_least("epochs", run.epochs, minimum.epochs)
    if minimum.reducer is not None and run.reducer not in minimum.reducer:
        found.append(f"epoch reducer {_or_unknown(run.reducer)} (the policy accepts "
                     f"{', '.join(minimum.reducer)})")
    if minimum.tools:
        lacking = [t for t in minimum.tools if run.tools is None or t not in run.tools]
        if lacking:
            have = UNKNOWN if run.tools is None else (", ".join(run.tools) or "none")
            found.append(f"tools {have} (the policy needs {', '.join(minimum.tools)})")
    at_least("message limit", run.message_limit, minimum.message_limit)
    at_least("token limit", run.token_limit, minimum.token_limit)
    at_least("time limit", run.time_limit, minimum.time_limit)
    if minimum.temperature is not None:
        low, high = minimum.temperature.min, minimum.temperature.max
        if run.temperature is None:
            found.append(f"temperature {UNKNOWN} (the policy needs "
                         f"{minimum.temperature.describe()})")
        elif (low is not None and run.temperature < low) or (high is not None
                                                               and run.temperature > high):
            found.append(f"temperature {run.temperature} (the policy needs "
                         f"{minimum.temperature.describe()})")
    return found


def differences(a: Elicitation, b: Elicitation) -> list[str]:
    """The fields in which two runs were elicited differently, e.g. "epochs 1 vs 5"."""
    left, right = a.shown(), b.shown()
    return [f"{name} {left[name]} vs {right[name]}" for name in left
            if left[name] != right[name]]


@dataclass(frozen=True)
class MinimumCheck:
    """Whether a task run with this project's defaults meets an indicator's minimum."""

    indicator: str  # "domain/indicator"
    task: str
    minimum: ElicitationMinimum
    shortfalls: list[str] | None  # None: the task is not shipped here, so not checked

    @property
    def met(self) -> bool:
        return self.shortfalls == []


def check_minimums(policy: Policy, defaults: Mapping[str, Elicitation]) -> list[MinimumCheck]:
    """Every elicitation minimum of `policy` against `defaults` (a shipped task's registered
    name, `evals/cyber_ctf` -> how `rsp eval run` elicits it given no task arguments): a
    minimum the defaults miss leaves the indicator not evaluated however the model does."""
    checks = []
    for domain, indicator in policy.indicators():
        if indicator.elicitation is None:
            continue
        found = next((e for name, e in defaults.items() if indicator.matches_task(name)), None)
        checks.append(MinimumCheck(
            f"{domain.id}/{indicator.id}", indicator.task, indicator.elicitation,
            None if found is None else gaps(indicator.elicitation, found, before_run=True)))
    return checks
