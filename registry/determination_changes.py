"""What changed between two determinations of the same indicators: a version against its
predecessor, or one version under two policies. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from registry.tiers import IndicatorDetermination, VersionDetermination

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
