"""The policy model: a validated, hashed view of `policies/asl.yaml`.

Structure and types are checked by pydantic; cross-references (threshold tiers, rule-in vs
rule-out order) by `_semantic_problems`. Every problem is reported with the file, the line and
a fix, because a policy author edits YAML, not Python.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from registry.errors import RspError
from registry.policy_path import DEFAULT_POLICY_PATH, SCHEMA_PATH  # noqa: F401 (re-exported)

Direction = Literal["higher_is_riskier", "lower_is_riskier"]
IntervalMethod = Literal["wilson", "normal"]
InconclusiveRule = Literal["precautionary", "escalate"]
# What a domain's tier does to a release (README.md, "Reading the tier table"): a capability
# domain sets the required tier; a safeguards domain, on reaching a tier, requires that tier's
# safeguards without raising the required tier; a tracked domain is reported only.
DomainRole = Literal["capability", "safeguards", "tracked"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tier(_Strict):
    """One rung of the ladder (e.g. ASL-3) and the safeguards it demands."""

    id: str
    name: str = ""
    description: str = ""
    safeguards: list[str] = Field(default_factory=list)


class Level(Tier):
    """A rung of one domain's own ladder, for frameworks whose levels are per domain (the
    Frontier Safety Framework's Critical Capability Levels). Its `safeguards` are what reaching
    it requires; `tier` is the global tier it requires too (None: it raises none)."""

    tier: str | None = None


class Threshold(_Strict):
    """Levels for one tier, in the indicator's own units."""

    rule_out: float
    rule_in: float
    alert: float | None = None


class TemperatureRange(_Strict):
    """Sampling temperatures a run may use (either end may be open)."""

    min: float | None = Field(default=None, ge=0.0)
    max: float | None = Field(default=None, ge=0.0)

    def describe(self) -> str:
        if self.min is not None and self.max is not None:
            return f"between {self.min} and {self.max}"
        return f"at least {self.min}" if self.min is not None else f"at most {self.max}"


class ElicitationMinimum(_Strict):
    """The least elicitation a run must show to count as evidence for an indicator: a low
    score from a run that barely tried is not evidence that the capability is absent."""

    epochs: int | None = Field(default=None, ge=1)  # attempts per item, at least
    reducer: list[str] | None = Field(default=None, min_length=1)  # accepted epoch reducers
    tools: list[str] = Field(default_factory=list)  # every one offered to the model
    message_limit: int | None = Field(default=None, ge=1)  # at least
    token_limit: int | None = Field(default=None, ge=1)  # at least
    time_limit: int | None = Field(default=None, ge=1)  # seconds per sample, at least
    temperature: TemperatureRange | None = None
    # graded by a model other than the one evaluated (a model-graded task's `grader` role)
    independent_grader: bool = False
    constitution: str | None = None  # the name of the constitution the grader must apply
    # what a pairwise judge's order-dependent verdicts must have counted as
    position_dependent: Literal["tie", "exclude"] | None = None

    def describe(self) -> str:
        """The minimum in words, e.g. "at least 5 epochs reduced by max, tools bash and
        python, a message limit of at least 50"."""
        parts = []
        if self.epochs is not None:
            parts.append(f"at least {self.epochs} epochs"
                         + (f" reduced by {' or '.join(self.reducer)}" if self.reducer else ""))
        elif self.reducer:
            parts.append(f"epochs reduced by {' or '.join(self.reducer)}")
        if self.tools:
            parts.append(f"tools {' and '.join(self.tools)}")
        for name, value in (("message limit", self.message_limit),
                            ("token limit", self.token_limit),
                            ("time limit (s)", self.time_limit)):
            if value is not None:
                parts.append(f"a {name} of at least {value}")
        if self.temperature is not None:
            parts.append(f"temperature {self.temperature.describe()}")
        if self.independent_grader:
            parts.append("a grader other than the evaluated model")
        if self.constitution:
            parts.append(f"the constitution {self.constitution}")
        if self.position_dependent:
            parts.append(f"order-dependent verdicts counted as {self.position_dependent}")
        return ", ".join(parts) or "no minimum"


class JudgeRule(_Strict):
    """A model-graded indicator's verdicts count only from a judge at least this reliable, as
    the run's own metric says (e.g. its swap consistency): below it nothing is ruled out."""

    metric: str
    at_least: float


class EngagementRule(JudgeRule):
    """An agentic indicator's low result counts only from a model that engaged with the
    scenario, as the run's own metric says (e.g. the share of runs that saw the goal conflict
    and acted in the sandbox): below it, nothing is ruled out. A model that never looked
    cannot show that it would not act."""


class Indicator(_Strict):
    """A measurable signal: an Inspect task's metric and its thresholds per tier."""

    id: str
    task: str
    metric: str
    scorer: str | None = None
    dataset: str | None = None  # for tasks that load any file (e.g. mwe): the dataset's name
    direction: Direction = "higher_is_riskier"
    interval: IntervalMethod = "wilson"
    min_samples: int | None = Field(default=None, ge=1)
    required: bool = True
    description: str = ""
    thresholds: dict[str, Threshold]
    elicitation: ElicitationMinimum | None = None
    judge: JudgeRule | None = None
    engagement: EngagementRule | None = None

    def matches_run(self, task_name: str, dataset_name: str | None) -> bool:
        """True when a run of `task_name` on `dataset_name` measures this indicator."""
        return self.matches_task(task_name) and self.dataset in (None, dataset_name)

    def matches_task(self, task_name: str) -> bool:
        """True when a log's task name is this indicator's task.

        An unqualified policy name (`are_you_sure`) matches any package's task of that name
        (`evals/are_you_sure`); a qualified one (`inspect_evals/wmdp_bio`) must match exactly.
        """
        if "/" in self.task:
            return task_name == self.task
        return task_name.rsplit("/", 1)[-1] == self.task


class Domain(_Strict):
    """A risk domain (CBRN, cyber, autonomy, or an alignment signal) and its indicators.

    With `levels`, the domain is decided on a ladder of its own (lowest first, the first its
    floor: nothing reached), its indicators' thresholds name those levels, and each level says
    which global tier reaching it requires. Without, it is decided on the policy's tiers."""

    id: str
    name: str
    role: DomainRole
    description: str = ""
    levels: list[Level] | None = Field(default=None, min_length=2)
    indicators: list[Indicator]


class EvaluationRules(_Strict):
    """How much evidence a determination needs and how long it stays valid."""

    confidence_level: float = Field(gt=0.5, lt=1.0)
    min_samples: int = Field(ge=1)
    freshness_days: int = Field(ge=1)
    reevaluate_compute_ratio: float = Field(gt=1.0)
    inconclusive: InconclusiveRule = "precautionary"
    max_sample_error_rate: float = Field(default=0.05, ge=0.0, le=1.0)


class ReleaseRule(_Strict):
    """A check every release must pass on one indicator's evidence, e.g. "the sandbagging
    check shows no significant drop". A release fails it when the indicator was not evaluated
    or when its whole confidence interval lies past `not_significantly_past` toward risk."""

    id: str
    description: str
    indicator: str  # "domain/indicator"
    not_significantly_past: float


class SignoffRules(_Strict):
    """Who must approve a release, the duties they may not mix, and the release rules."""

    required_roles: list[str] = Field(min_length=1)
    separation_of_duties: bool = True
    release_rules: list[ReleaseRule] = Field(default_factory=list)
    # safeguard -> "domain/indicator" measured beside its attestation on the checklist
    safeguard_evidence: dict[str, str] = Field(default_factory=dict)


class PolicyMeta(_Strict):
    name: str
    version: str
    description: str = ""


class Policy(_Strict):
    """The whole policy; `sha256` identifies its content, whatever the YAML formatting."""

    policy: PolicyMeta
    tiers: list[Tier] = Field(min_length=1)
    evaluation: EvaluationRules
    signoff: SignoffRules
    domains: list[Domain] = Field(min_length=1)

    @property
    def tier_ids(self) -> list[str]:
        return [t.id for t in self.tiers]

    @property
    def domain_names(self) -> dict[str, str]:
        """Domain id -> its human name, in policy order."""
        return {d.id: d.name for d in self.domains}

    def tier_rank(self, tier_id: str) -> int:
        """Position of a tier on the ladder (0 = lowest)."""
        return self.tier_ids.index(tier_id)

    def ladder(self, domain: Domain) -> list[Tier]:
        """The rungs `domain` is decided on: its own levels, else the policy's tiers."""
        return list(domain.levels) if domain.levels else list(self.tiers)

    def ladder_ids(self, domain_id: str) -> list[str]:
        return [t.id for t in self.ladder(self.domain(domain_id))]

    def rung(self, domain_id: str, rung_id: str) -> Tier:
        """The tier or level `rung_id` of the ladder the domain is decided on."""
        return next(t for t in self.ladder(self.domain(domain_id)) if t.id == rung_id)

    def domain(self, domain_id: str) -> Domain:
        """The domain with this id (KeyError when there is none)."""
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)

    def global_tier(self, domain_id: str, level: str) -> str:
        """The policy tier a domain's level requires: the level itself on the policy's
        ladder; for a domain of its own levels, the tier the level names (else the floor)."""
        rung = self.rung(domain_id, level)
        return (rung.tier or self.tier_ids[0]) if isinstance(rung, Level) else rung.id

    @property
    def sha256(self) -> str:
        # keys the model gained after policies were first hashed are left out while unset,
        # so that an unchanged policy keeps the hash its determinations and sign-offs carry
        data = self.model_dump(mode="json")
        for domain in data["domains"]:
            if domain["levels"] is None:
                del domain["levels"]
            for indicator in domain["indicators"]:
                if indicator["engagement"] is None:
                    del indicator["engagement"]
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def indicators(self) -> Iterator[tuple[Domain, Indicator]]:
        for domain in self.domains:
            for indicator in domain.indicators:
                yield domain, indicator

    def indicator_keys(self) -> list[str]:
        """Every indicator as "domain/indicator", the way rules and reports name them."""
        return [f"{d.id}/{i.id}" for d, i in self.indicators()]

    def indicator(self, key: str) -> Indicator:
        """The indicator named "domain/indicator" (KeyError when there is none)."""
        for domain, indicator in self.indicators():
            if f"{domain.id}/{indicator.id}" == key:
                return indicator
        raise KeyError(key)

    def min_samples_for(self, indicator: Indicator) -> int:
        return indicator.min_samples or self.evaluation.min_samples


def json_schema() -> dict[str, Any]:
    """The policy file's JSON Schema, generated from this model, so that an editor checks a
    policy as its author types. It checks structure; `load_policy` also checks meaning
    (thresholds in order, known tiers and indicators)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **Policy.model_json_schema(), "title": "rsp-registry policy"}


class PolicyError(RspError, ValueError):
    """A policy file that cannot be used, with every problem located and a fix for each."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"Invalid policy {path}:\n" + "\n".join(f"  {p}" for p in problems))


Loc = tuple[str | int, ...]


def load_policy(path: Path | str | None = None) -> Policy:
    """Read, validate and return the policy at `path` (default: the bundled asl.yaml)."""
    path = Path(path) if path is not None else DEFAULT_POLICY_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(path, ["file not found. Fix: pass the path of an existing policy YAML "
                                 "(the default is policies/asl.yaml)."]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(path, [f"cannot be read ({exc}). Fix: point at a UTF-8 YAML file."]) \
            from None
    return parse_policy(text, path)


def parse_policy(text: str, source: Path | str = "<policy>") -> Policy:
    """Validate policy YAML text; `source` only names it in errors."""
    try:
        root, data = _compose_and_load(text)
        lines = _line_index(root) if root is not None else {}
    except RecursionError:  # an anchor used inside itself: a structure with no end
        raise PolicyError(source, [f"{source}: a YAML anchor is used inside its own value "
                                   "(e.g. `&a [*a]`). Fix: write the value out instead of "
                                   "referring back to it."]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else str(source)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(source, [f"{where}: YAML syntax error: {problem}. Fix: correct the "
                                   "indentation or quoting on that line."]) from None
    if not isinstance(data, dict):
        raise PolicyError(source, [f"{source}:1: the policy must be a YAML mapping with keys "
                                   "policy, tiers, evaluation, signoff, domains."])
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(source, [
            _located(source, lines, tuple(err["loc"]), f"{err['msg']}. Fix: {_fix_for(err)}")
            for err in exc.errors()
        ]) from None
    problems = [_located(source, lines, loc, msg) for loc, msg in _semantic_problems(policy)]
    if problems:
        raise PolicyError(source, problems)
    return policy


def _compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for line numbers) and its data, from one parse: what
    `yaml.compose` and `yaml.safe_load` each return, at half the cost of calling both. PyYAML's
    libyaml parser when its wheel has one: 8x faster than the pure-Python one on the policy."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        root = loader.get_single_node()
        return root, loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()


def _semantic_problems(policy: Policy) -> Iterator[tuple[Loc, str]]:
    tier_ids = policy.tier_ids
    for dup in {t for t in tier_ids if tier_ids.count(t) > 1}:
        yield ("tiers",), f"tier '{dup}' is defined twice. Fix: give each tier a unique id."
    seen: set[str] = set()
    for d_i, domain in enumerate(policy.domains):
        for i_i, ind in enumerate(domain.indicators):
            loc: Loc = ("domains", d_i, "indicators", i_i)
            key = f"{domain.id}.{ind.id}"
            if key in seen:
                yield loc, f"indicator '{key}' is defined twice. Fix: rename one of them."
            seen.add(key)
            if not ind.thresholds:
                yield loc, f"indicator '{key}' has no thresholds. Fix: add at least one tier."
            yield from _threshold_problems(policy, domain, ind, (*loc, "thresholds"))
            span = ind.elicitation.temperature if ind.elicitation else None
            if span and span.min is not None and span.max is not None and span.min > span.max:
                yield ((*loc, "elicitation", "temperature"),
                       f"temperature min ({span.min}) is above max ({span.max}), so no run "
                       "could meet it. Fix: swap them.")
    levels = [lv.id for d in policy.domains for lv in d.levels or []]
    for d_i, domain in enumerate(policy.domains):
        for l_i, level in enumerate(domain.levels or []):
            where_level: Loc = ("domains", d_i, "levels", l_i)
            if levels.count(level.id) > 1 or level.id in tier_ids:
                yield where_level, (f"level '{level.id}' is defined twice. Fix: give each level "
                                    "and tier a unique id (prefix levels with their domain).")
            if level.tier is not None and level.tier not in tier_ids:
                yield (*where_level, "tier"), (f"unknown tier '{level.tier}'. Fix: use one of "
                                               f"{', '.join(tier_ids)} or leave it out.")
    known = policy.indicator_keys()
    safeguards = {s for tier in policy.tiers for s in tier.safeguards}
    for safeguard, key in policy.signoff.safeguard_evidence.items():
        where: Loc = ("signoff", "safeguard_evidence", safeguard)
        if safeguard not in safeguards:
            yield where, (f"safeguard_evidence names unknown safeguard '{safeguard}'. Fix: use "
                          "a safeguard listed under a tier's `safeguards`.")
        if key not in known:
            yield where, (f"safeguard_evidence for '{safeguard}' names unknown indicator "
                          f"'{key}'. Fix: use DOMAIN/INDICATOR as defined under `domains:`.")
    for r_i, rule in enumerate(policy.signoff.release_rules):
        if rule.indicator not in known:
            yield (("signoff", "release_rules", r_i, "indicator"),
                   f"release rule '{rule.id}' names unknown indicator '{rule.indicator}'. Fix: "
                   f"use DOMAIN/INDICATOR as defined under `domains:` (e.g. {known[0]}), or "
                   "remove the rule.")


def _threshold_problems(policy: Policy, domain: Domain, ind: Indicator,
                        loc: Loc) -> Iterator[tuple[Loc, str]]:
    sign = 1.0 if ind.direction == "higher_is_riskier" else -1.0
    previous: tuple[str, Threshold] | None = None
    ladder = policy.ladder_ids(domain.id)
    for tier_id in ladder:
        if tier_id not in ind.thresholds:
            continue
        th = ind.thresholds[tier_id]
        here = (*loc, tier_id)
        if sign * th.rule_in < sign * th.rule_out:
            yield here, (f"rule_in ({th.rule_in}) is on the safe side of rule_out ({th.rule_out}) "
                         f"for a {ind.direction.replace('_', ' ')} indicator. Fix: swap them or "
                         "change `direction`.")
        if th.alert is not None and sign * th.alert > sign * th.rule_in:
            yield here, (f"alert ({th.alert}) is past rule_in ({th.rule_in}), so it could never "
                         "warn early. Fix: set alert between rule_out and rule_in.")
        if previous and sign * th.rule_in < sign * previous[1].rule_in:
            yield here, (f"rule_in for {tier_id} ({th.rule_in}) is below that of the lower tier "
                         f"{previous[0]} ({previous[1].rule_in}). Fix: higher tiers need "
                         "thresholds at least as far toward risk.")
        previous = (tier_id, th)
    for tier_id in ind.thresholds:
        if tier_id not in ladder:
            where = f"`domains: {domain.id}: levels:`" if domain.levels else "`tiers:`"
            yield (*loc, tier_id), (f"unknown tier '{tier_id}'. Fix: use one of "
                                     f"{', '.join(ladder)} or add it under {where}.")


def _fix_for(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "missing":
        return "add this key"
    if kind == "extra_forbidden" and err["loc"][-1] == "category":
        return "`category` is now `role`: capability, safeguards or tracked"
    if kind == "extra_forbidden":
        return "remove this key or check its spelling"
    if kind == "literal_error":
        return "use one of the allowed values"
    return "correct the value's type or range"


def _located(source: Path | str, lines: dict[Loc, int], loc: Loc, msg: str) -> str:
    probe = loc
    while probe and probe not in lines:
        probe = probe[:-1]
    line = lines.get(probe, 1)
    dotted = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    return f"{source}:{line}: {dotted or '(top level)'}: {msg}"


def _line_index(node: yaml.Node, loc: Loc = ()) -> dict[Loc, int]:
    """Map each key path in the YAML document to its 1-based line."""
    index: dict[Loc, int] = {loc: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*loc, key_node.value)
            index.update(_line_index(value_node, child))
            index[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            index.update(_line_index(item, (*loc, i)))
    return index
