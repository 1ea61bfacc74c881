"""When a model line is due for a new assessment, from the policy's evaluation rules. Pure.

Two rules from the policy's `evaluation` section take effect here, as responsible scaling
policies state them: a preliminary assessment is due once effective compute has grown by
`reevaluate_compute_ratio` since the last complete assessment, and an assessment older than
`freshness_days` no longer stands. A line none of whose versions was ever completely assessed
is due as well: missing evidence never reads as "not due".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from registry.policy import Policy


@dataclass(frozen=True)
class AssessedVersion:
    """What the rule needs of one version of a line."""

    version_id: str
    effective_compute: float | None
    evidence_complete: bool
    assessed_at: datetime | None  # when the newest run its determination rests on completed


@dataclass(frozen=True)
class AssessmentDue:
    due: bool
    reasons: list[str] = field(default_factory=list)
    since: str | None = None  # the version from which the assessment is due
    last_complete: str | None = None

    def describe(self) -> str:
        """One line for a table's footer or a checklist item."""
        if not self.due:
            return f"not due (last complete assessment: {self.last_complete})"
        return f"assessment due since {self.since}: " + "; ".join(self.reasons)


def assessment_due(policy: Policy, history: list[AssessedVersion],
                   now: datetime) -> AssessmentDue:
    """Is the line whose versions are `history` (oldest first, the newest last) due?"""
    if not history:
        raise ValueError("a model line has at least one version")
    rules = policy.evaluation
    complete = [i for i, v in enumerate(history) if v.evidence_complete]
    if not complete:
        return AssessmentDue(True, ["no version of the line has complete evidence"],
                             since=history[0].version_id)
    index = complete[-1]
    last = history[index]
    reasons: list[str] = []
    since: str | None = None
    for later in history[index + 1:]:
        ratio = _ratio(later.effective_compute, last.effective_compute)
        if ratio is None:
            reasons.append(f"effective compute of {later.version_id} or {last.version_id} is "
                           "unknown, so its growth cannot be bounded (record it with `rsp model "
                           "register`)")
        elif ratio >= rules.reevaluate_compute_ratio:
            reasons.append(f"effective compute grew {ratio:.3g}x from {last.version_id} to "
                           f"{later.version_id} (the policy re-assesses at "
                           f"{rules.reevaluate_compute_ratio:g}x)")
        else:
            continue
        since = later.version_id
        break
    window = timedelta(days=rules.freshness_days)
    if last.assessed_at is None or now - last.assessed_at > window:
        when = f"{last.assessed_at:%Y-%m-%d}" if last.assessed_at else "at an unknown date"
        reasons.append(f"the last complete assessment ({last.version_id}, {when}) is older "
                       f"than {rules.freshness_days} days")
        since = since or last.version_id
    return AssessmentDue(bool(reasons), reasons, since, last.version_id)


def _ratio(new: float | None, old: float | None) -> float | None:
    if new is None or old is None or old <= 0 or new <= 0:
        return None
    return new / old
