"""What changed between two determinations of the same indicators: a version against its
predecessor, or one version under two policies. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from registry.tiers import VERDICT_LABELS, IndicatorDetermination, VersionDetermination

COMPARED = ("tier", "verdict", "alert")


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator, as determined before and after."""

    before: IndicatorDetermination
    after: IndicatorDetermination

    @property
    def key(self) -> str:
        return f"{self.after.domain}/{self.after.indicator}"


def indicator_changes(before: VersionDetermination, after: VersionDetermination,
                      compared: tuple[str, ...] = COMPARED) -> list[IndicatorChange]:
    """The indicators determined on both sides whose `compared` fields differ, in `after`'s
    order; an indicator only one side has is not a change of it."""
    earlier = {(i.domain, i.indicator): i for i in before.indicators}
    return [IndicatorChange(was, ind) for ind in after.indicators
            if (was := earlier.get((ind.domain, ind.indicator))) is not None
            and any(getattr(was, f) != getattr(ind, f) for f in compared)]


@dataclass(frozen=True)
class PolicyChange:
    """One determination of a version that differs between two policies: its required tier,
    whether its evidence is complete, or an indicator's tier and verdict. `before` or `after`
    is None where that policy does not have the indicator."""

    version: str
    subject: str  # "required tier", "evidence", or "domain/indicator"
    before: str | None
    after: str | None


def policy_changes(version: str, before: VersionDetermination,
                   after: VersionDetermination) -> list[PolicyChange]:
    """Every determination of `version` that moving from the policy behind `before` to the
    one behind `after` would change, indicators either policy lacks included."""
    changes = []
    if before.required_tier != after.required_tier:
        changes.append(PolicyChange(version, "required tier", before.required_tier,
                                    after.required_tier))
    if before.evidence_complete != after.evidence_complete:
        changes.append(PolicyChange(version, "evidence", _completeness(before),
                                    _completeness(after)))
    old = {f"{i.domain}/{i.indicator}": i for i in before.indicators}
    new = {f"{i.domain}/{i.indicator}": i for i in after.indicators}
    for key in [*new, *(k for k in old if k not in new)]:
        was, now = _state(old.get(key)), _state(new.get(key))
        if was != now:
            changes.append(PolicyChange(version, key, was, now))
    return changes


def _completeness(det: VersionDetermination) -> str:
    return "complete" if det.evidence_complete else "incomplete"


def _state(ind: IndicatorDetermination | None) -> str | None:
    return None if ind is None else f"{ind.tier or '—'} · {VERDICT_LABELS[ind.verdict]}"
