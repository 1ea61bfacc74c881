"""The release checklist for a model version: computed from the registry and the policy. Pure.

Automatic items come from the evidence and the policy's release rules; the safeguards the
required tier demands stay pending until attested, and each required role's approval until
signed, by the records of the sign-off chain (`rsp signoff ...`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from registry.formatting import interval, num
from registry.policy import Policy, ReleaseRule
from registry.reassessment import AssessmentDue
from registry.schema import EvalRun
from registry.signoff import Evidence, Record, evidence_changes, signed_evidence
from registry.tiers import UNDECIDED, VersionDetermination, required_safeguards

Status = Literal["pass", "fail", "pending"]


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    status: Status
    detail: str


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]

    @property
    def releasable(self) -> bool:
        return all(item.status == "pass" for item in self.items)

    @property
    def blocking(self) -> list[ChecklistItem]:
        return [item for item in self.items if item.status != "pass"]


def _item(name: str, problems: list[str], ok: str) -> ChecklistItem:
    return ChecklistItem(name, "fail" if problems else "pass",
                         "; ".join(problems) if problems else ok)


def build_checklist(policy: Policy, result: VersionDetermination, runs: list[EvalRun],
                    now: datetime, signoffs: Sequence[Record] = (),
                    evidence: Evidence | None = None, due: AssessmentDue | None = None,
                    chain_problem: str | None = None) -> Checklist:
    """Every automatic item and release rule of the policy, then the safeguards the
    determination requires and the approvals of the policy's roles, as the (already verified)
    sign-off records of this version settle them. `chain_problem` says why the sign-off chain
    cannot be trusted, when it cannot: then it is an item that fails."""
    required = [i for i in result.indicators if i.required]
    by_run = {r.id: r for r in runs}
    used = [by_run[i.run_id] for i in required if i.run_id in by_run]
    max_age = timedelta(days=policy.evaluation.freshness_days)
    attested = {r.subject: r for r in signoffs if r.kind == "attest"}
    waived = {r.subject for r in signoffs if r.kind == "waive"}
    decisions = {r.subject: r for r in signoffs if r.kind in ("approve", "reject")}  # latest wins
    bound = policy.evaluation.max_sample_error_rate
    items = [
        _item("every required indicator has a completed run",
              [f"{i.domain}/{i.indicator} (task {i.task})" + (
                  f": under-elicited, {'; '.join(i.elicitation_gaps)}"
                  if i.elicitation_gaps else "") for i in result.missing],
              f"{len(result.required_indicators)} required indicators evaluated"),
        _item("sample counts meet the minimum",
              [f"{i.domain}/{i.indicator}: n={i.n} < {i.min_samples}" for i in result.thin],
              "every estimate rests on enough samples"),
        _item(f"runs are fresh (within {policy.evaluation.freshness_days} days)",
              [_staleness(r) for r in used
               if r.completed_at is None or now - r.completed_at > max_age],
              "all runs within the freshness window"),
        _item(f"sample error rates at most {bound:.0%}",
              [f"{r.task}: {r.error_samples}/{r.total_samples} samples errored" for r in used
               if r.total_samples and r.error_samples / r.total_samples > bound],
              "error rates within bound"),
        _item("no inconclusive indicator unless waived",
              [f"{i.domain}/{i.indicator} is {i.verdict}" for i in required
               if i.verdict in UNDECIDED and f"{i.domain}/{i.indicator}" not in waived],
              "every indicator is decided or waived with a reason"),
        *(_release_rule_item(policy, rule, result) for rule in policy.signoff.release_rules),
    ]
    if due is not None:
        items.append(_item("model line not due for a new assessment",
                           [due.describe()] if due.due else [], due.describe()))
    if chain_problem is not None:
        items.append(_item("sign-off records verify", [chain_problem], ""))
    for safeguard, why in required_safeguards(policy, result):
        attest = attested.get(safeguard)
        detail = (f"{attest.reviewer}: {attest.text}" if attest else
                  f"required by {why}; not yet attested")
        measured = policy.signoff.safeguard_evidence.get(safeguard)
        if measured is not None:
            detail += f" · measured: {_measured(measured, result)}"
        items.append(ChecklistItem(f"safeguard attested: {safeguard}",
                                   "pass" if attest else "pending", detail))
    items += [_approval_item(role, decisions.get(role), evidence)
              for role in policy.signoff.required_roles]
    return Checklist(items)


def _approval_item(role: str, record: Record | None, evidence: Evidence | None) -> ChecklistItem:
    name = f"approved by {role}"
    if record is None:
        return ChecklistItem(name, "pending", "no decision yet")
    if record.kind == "reject":
        return ChecklistItem(name, "fail", f"rejected by {record.reviewer}: {record.text}")
    if evidence is None or record.evidence_sha256 != evidence.sha256:
        return ChecklistItem(name, "fail", f"approval by {record.reviewer} is void: "
                                           f"{_what_changed(record, evidence)}")
    return ChecklistItem(name, "pass", f"{record.reviewer}: {record.text}")


def _what_changed(record: Record, evidence: Evidence | None) -> str:
    signed = signed_evidence(record)
    if evidence is None or signed is None:
        return ("the evidence changed since it was signed, and the record cannot say how (it "
                "was made before approvals itemised their evidence, or its copy of that "
                "evidence was altered); re-approve on the current evidence")
    return "the evidence changed since it was signed: " + "; ".join(
        evidence_changes(signed, evidence))


def _measured(key: str, result: VersionDetermination) -> str:
    """The indicator the policy measures beside a safeguard, as its estimate reads now."""
    ind = next(i for i in result.indicators if f"{i.domain}/{i.indicator}" == key)
    if not ind.evaluated or ind.estimate is None:
        return f"{key} not evaluated (task {ind.task})"
    return (f"{key} {ind.metric} {num(ind.value)}, CI "
            f"{interval(ind.ci_low, ind.ci_high, '{}..{}')}, n={ind.n}")


def _staleness(run: EvalRun) -> str:
    if run.completed_at is None:
        return f"{run.task} run {run.id} has no completion time, so its age is unknown"
    return f"{run.task} run {run.id} completed {run.completed_at:%Y-%m-%d}"


def _release_rule_item(policy: Policy, rule: ReleaseRule,
                       result: VersionDetermination) -> ChecklistItem:
    """A policy release rule: the indicator must be evaluated, and its interval must not lie
    wholly past the rule's level toward risk (that would be a significant result)."""
    ind = next(i for i in result.indicators if f"{i.domain}/{i.indicator}" == rule.indicator)
    if ind.estimate is None or ind.ci_low is None or ind.ci_high is None:
        return ChecklistItem(rule.description, "fail",
                             f"{rule.indicator} has not been evaluated (task {ind.task})")
    level = rule.not_significantly_past
    low, high = ind.ci_low, ind.ci_high
    direction = policy.indicator(rule.indicator).direction
    past = low > level if direction == "higher_is_riskier" else high < level
    detail = f"{ind.metric} {num(ind.value)}, CI {interval(low, high, '{}..{}')}, n={ind.n}"
    if past:
        return ChecklistItem(rule.description, "fail",
                             f"{detail}: the whole interval is past {level:g} ({rule.id})")
    return ChecklistItem(rule.description, "pass", f"{detail}: not wholly past {level:g}")
