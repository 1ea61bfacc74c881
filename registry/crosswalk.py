"""One version's evidence read under several policies side by side (a crosswalk): per policy,
the tier it requires, how far the evidence decides it, and what the policy requires next.
Pure: the assessments come in decided."""

from __future__ import annotations

from dataclasses import dataclass

from registry.policy import Policy
from registry.tiers import VersionDetermination, describe_version, required_safeguards


@dataclass(frozen=True)
class PolicyReading:
    """A version's determination under one policy, and what that policy asks for next."""

    policy: str  # "name version"
    policy_sha256: str
    required_tier: str
    ruled_in_tier: str
    not_ruled_out_tier: str
    evidence_complete: bool
    summary: str  # describe_version's line
    safeguards: list[tuple[str, str]]  # (safeguard, why), as required_safeguards gives them
    signoff_roles: list[str]


def read_under(policy: Policy, det: VersionDetermination) -> PolicyReading:
    """What `policy` makes of a determination it produced."""
    return PolicyReading(
        policy=f"{policy.policy.name} {policy.policy.version}", policy_sha256=policy.sha256,
        required_tier=det.required_tier, ruled_in_tier=det.ruled_in_tier,
        not_ruled_out_tier=det.not_ruled_out_tier, evidence_complete=det.evidence_complete,
        summary=describe_version(policy, det), safeguards=required_safeguards(policy, det),
        signoff_roles=list(policy.signoff.required_roles))
