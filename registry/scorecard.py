"""The scorecard: each model line's latest version x risk domain, read at a glance.

Pure: it turns a version's determination into cells a front end colours and marks. A cell
never reads better than the evidence behind it: a domain some of whose required indicators
were never usefully run is "partly evaluated", never "ruled out", even where the ones that ran
rule their tiers out, because the missing ones could hold anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from registry.formatting import num
from registry.policy import Policy
from registry.reassessment import AssessmentDue
from registry.tiers import NO_EVIDENCE, UNDECIDED, DomainDetermination, VersionDetermination

CellVerdict = Literal["ruled in", "not ruled out", "partly evaluated", "ruled out",
                      "not evaluated"]
# for the legend, strongest finding first
CELL_VERDICTS: tuple[CellVerdict, ...] = ("ruled in", "not ruled out", "partly evaluated",
                                          "ruled out", "not evaluated")
CELL_VERDICT_MEANING: dict[CellVerdict, str] = {
    "ruled in": "the whole confidence interval is past the tier's threshold",
    "not ruled out": "the evidence leaves the tier open: an interval across the threshold, "
                     "or too few samples",
    "partly evaluated": "the indicators that ran put the domain at this tier, but required "
                        "ones never ran, so every tier above stays open",
    "ruled out": "every required indicator ran and its interval is below the next tier",
    "not evaluated": "no usable run of any indicator: nothing is known, which never reads "
                     "as below",
}


@dataclass(frozen=True)
class ScoreCell:
    """One domain of one version."""

    domain: str
    tier: str | None  # None: nothing evaluated
    rank: int  # the tier's rung on the domain's ladder, 0 the floor; -1 when nothing evaluated
    verdict: CellVerdict
    alerted: tuple[str, ...]  # "indicator value" of each indicator past an alert level
    evaluated: int  # indicators with a usable run
    indicators: int
    thin: str = ""  # "n = 9 of 40 needed" when a deciding indicator has too few samples
    under_elicited: int = 0  # indicators run only below the policy's elicitation minimum

    @property
    def alert(self) -> bool:
        """Whether any indicator of the domain passed an early-warning level."""
        return bool(self.alerted)

    @property
    def details(self) -> list[str]:
        """What qualifies the verdict: thin samples, partial coverage, under-elicited runs."""
        under = "" if not self.under_elicited else (
            "under-elicited" if self.under_elicited == 1 else
            f"{self.under_elicited} under-elicited")
        return [d for d in (self.thin, self.coverage, under) if d]

    @property
    def coverage(self) -> str:
        """"2 of 4 indicators" when only some have a usable run, else ""."""
        if self.evaluated in (0, self.indicators):
            return ""
        return f"{self.evaluated} of {self.indicators} indicators"


@dataclass(frozen=True)
class ScoreRow:
    """One model line's latest version across every domain."""

    line: str
    version_id: str
    label: str
    required_tier: str
    evidence: str
    evidence_complete: bool
    due: str | None  # the version the assessment is due from, when it is due
    cells: dict[str, ScoreCell]  # by domain id, in the policy's order
    due_why: str = ""  # the policy's reasons, when it is due


def cell_for(policy: Policy, domain: DomainDetermination) -> ScoreCell:
    """The domain's tier, and what the evidence lets the product say about it."""
    counted = [i for i in domain.indicators if i.required] or domain.indicators
    evaluated = [i for i in counted if i.evaluated]
    alerted = tuple(f"{i.indicator} {num(i.value)}" for i in domain.indicators if i.alert)
    # run too weakly to count: no evidence, but not nothing, so the cell says so
    under = sum(i.verdict == "under_elicited" for i in domain.indicators)
    if domain.tier is None or not any(i.evaluated for i in domain.indicators):
        return ScoreCell(domain.domain, None, -1, "not evaluated", alerted, 0, len(counted),
                         under_elicited=under)
    deciding = [i for i in domain.indicators if i.evaluated and i.tier == domain.tier]
    verdict: CellVerdict
    if any(i.verdict == "ruled_in" for i in deciding):
        verdict = "ruled in"
    elif any(i.verdict in UNDECIDED for i in deciding):  # too few samples is undecided too
        verdict = "not ruled out"
    elif any(i.verdict in NO_EVIDENCE for i in counted):
        verdict = "partly evaluated"
    else:
        verdict = "ruled out"
    rank = policy.ladder_ids(domain.domain).index(domain.tier)
    sizes = [(i.estimate.n, i.min_samples) for i in deciding
             if i.verdict == "insufficient_samples" and i.estimate is not None]
    thin = "n = {} of {} needed".format(*min(sizes)) if sizes else ""
    return ScoreCell(domain.domain, domain.tier, rank, verdict, alerted, len(evaluated),
                     len(counted), thin, under)


def evidence_line(det: VersionDetermination) -> str:
    """The evidence-completeness line: complete, or what is missing, counted by kind."""
    if det.evidence_complete:
        return "complete"
    under = sum(i.verdict == "under_elicited" for i in det.missing)
    parts = [f"{len(det.missing) - under} not evaluated"]
    if under:
        parts.append(f"{under} under-elicited")
    parts.append(f"{len(det.thin)} too few samples")
    return "incomplete: " + ", ".join(parts)


def score_row(policy: Policy, line: str, version_id: str, label: str,
              det: VersionDetermination, due: AssessmentDue) -> ScoreRow:
    """A line's row of the scorecard."""
    return ScoreRow(line=line, version_id=version_id, label=label,
                    required_tier=det.required_tier, evidence=evidence_line(det),
                    evidence_complete=det.evidence_complete,
                    due=due.since if due.due else None, due_why="; ".join(due.reasons),
                    cells={d.domain: cell_for(policy, d) for d in det.domains})
