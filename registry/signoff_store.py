"""Sign-off records in the registry, and the evidence a version's sign-off is judged on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import Session, select

from registry.assess import Assessment, assess_many, due_for, load_evidence
from registry.checklist import Checklist, build_checklist
from registry.corrections import corrections
from registry.policy import Policy
from registry.reassessment import AssessmentDue
from registry.records_store import read_records
from registry.schema import EvalRun, ModelVersion, SignoffRecord
from registry.signoff import (
    GENESIS,
    ChainCheck,
    Covered,
    Evidence,
    EvidenceItem,
    Head,
    Kind,
    Record,
    Reviewer,
    SignoffError,
    chain_head,
    check_chain,
    extension_problems,
    parse_reviewers,
    sign,
    signed_evidence,
)
from registry.signoff_witness import Witness
from registry.tiers import required_safeguards


@dataclass(frozen=True)
class VersionEvidence:
    """Everything a sign-off on one version is judged against."""

    assessment: Assessment
    runs: list[EvalRun]
    evidence: Evidence
    runners: set[str]
    safeguards: list[str]
    undecided: list[str]
    due: AssessmentDue

    @property
    def evidence_sha256(self) -> str:
        return self.evidence.sha256


def read_verified_chain(session: Session, reviewers: dict[str, Reviewer],
                        witness: Witness | None = None) -> list[Record]:
    """The chain, or SignoffError naming every problem when it does not verify or no longer
    extends a head the witness saw."""
    chain = read_chain(session)
    problems = anchored_problems(chain, reviewers, witness=witness)
    if problems:
        raise SignoffError("The sign-off chain is broken; no sign-off can be trusted or "
                           "appended:\n" + "\n".join(problems))
    return chain


def anchored_problems(chain: list[Record], reviewers: dict[str, Reviewer],
                      heads: Sequence[Head] = (), witness: Witness | None = None) -> list[str]:
    """Every reason not to trust `chain` (see `anchored_check`)."""
    return anchored_check(chain, reviewers, heads, witness)[0]


def anchored_check(chain: list[Record], reviewers: dict[str, Reviewer],
                   heads: Sequence[Head] = (), witness: Witness | None = None,
                   recheck: bool = False) -> tuple[list[str], ChainCheck]:
    """Every reason not to trust `chain`: a record that fails its hash, link or signature, and
    a head (given, or kept by the witness) that the chain no longer extends; and the check
    itself, which says how many signatures it checked.

    With a witness, signatures up to a head it kept as verified are not checked again while
    the records and their signatures are unchanged (`check_chain` says why that is sound)
    unless `recheck`, and when the chain verifies, the witness is told so it can keep the new
    head as verified.
    """
    checked = check_chain(chain, reviewers, verified=witness.verified_heads(chain)
                          if witness and not recheck else None)
    problems = checked.problems + extension_problems(chain, heads) + [
        f"record #{r.seq} ({r.kind} {r.model_version} by {r.reviewer}): its kept copy of the "
        "evidence it was signed on does not match its signed digest (the copy was edited)"
        for r in chain if r.evidence_json and not kept_copy_intact(r)]
    if witness is not None:
        problems += [f"{problem} (a head your witness {witness.path} kept; only if this "
                     "registry was deliberately recreated, delete its lines there)"
                     for problem in extension_problems(chain, witness.heads_for(chain))]
        if not problems:
            witness.vouch(chain_head(chain), checked.digest)
    return problems, checked


def kept_copy_intact(record: Record) -> bool:
    """Whether the evidence a record keeps beside it is what its signed digest covers."""
    if record.kind == "invalidate":
        return record.seq in {c.seq for c in corrections([record]).values()}
    return signed_evidence(record) is not None


def read_chain(session: Session) -> list[Record]:
    """Every record in sequence order."""
    return read_records(session)


def version_evidence(session: Session, policy: Policy, version: ModelVersion) -> VersionEvidence:
    (assessment,) = assess_many(session, policy, [version])
    runs = [e.run for e in load_evidence(session, [version.id])[version.id]]
    logs = {r.id: r.log_sha256 for r in runs}
    evidence = Evidence(policy.sha256, tuple(
        EvidenceItem(f"{i.domain}/{i.indicator}", i.estimate.run_id, logs[i.estimate.run_id],
                     i.estimate.value, i.estimate.stderr, i.estimate.n, i.estimate.correction)
        for i in assessment.determination.indicators if i.estimate is not None))
    all_runs = session.exec(select(EvalRun).where(EvalRun.model_version_id == version.id)).all()
    det = assessment.determination
    return VersionEvidence(assessment, runs, evidence, {r.ingested_by for r in all_runs},
                           [name for name, _ in required_safeguards(policy, det)],
                           [f"{i.domain}/{i.indicator}" for i in det.undecided],
                           due_for(session, policy, version, datetime.now(UTC),
                                   [assessment]))


def append_record(session: Session, key: Ed25519PrivateKey, kind: Kind, version_id: str,
                  subject: str, text: str, reviewer: Reviewer, evidence: Covered) -> Record:
    chain = read_chain(session)
    record = sign(Record(
        seq=len(chain) + 1, prev_hash=chain[-1].record_hash if chain else GENESIS, kind=kind,
        model_version=version_id, subject=subject, text=text, reviewer=reviewer.id,
        evidence_sha256=evidence.sha256, created_at=datetime.now(UTC).isoformat(),
        evidence_json=evidence.to_json()), key)
    session.add(SignoffRecord(**asdict(record)))
    return record


def checklist_for(policy: Policy, evidence: VersionEvidence, chain: list[Record],
                  chain_problem: str | None = None) -> Checklist:
    """The version's checklist, settled by the records of `chain` (which the caller verified;
    with `chain_problem`, the chain could not be trusted and none of its records counts)."""
    version_id = evidence.assessment.version.id
    return build_checklist(policy, evidence.assessment.determination, evidence.runs,
                           datetime.now(UTC), [r for r in chain if r.model_version == version_id],
                           evidence.evidence, evidence.due, chain_problem)


@dataclass(frozen=True)
class ChainStatus:
    """Whether the sign-off chain can be trusted, as a report or a page states it."""

    problems: list[str]
    unverified: str = ""  # why it could not be verified at all (no reviewers file), if so
    head: Head | None = None  # only when the chain verified: a head worth keeping

    @property
    def trusted(self) -> bool:
        return not self.unverified and not self.problems

    def describe(self) -> str:
        if self.unverified:
            return f"not verified ({self.unverified})"
        if self.problems:
            return "BROKEN: " + "; ".join(self.problems)
        return "intact (hashes, links and signatures verify)"


def chain_status(chain: list[Record], reviewers_path: Path,
                 witness: Witness | None = None) -> ChainStatus:
    """Verify `chain` against the reviewers file (and the witness's heads, if given)."""
    if not reviewers_path.exists():
        return ChainStatus([], unverified=(
            f"no reviewers file at {reviewers_path}, so no signature can be checked. Fix: "
            "point RSP_REVIEWERS (or --reviewers) at the reviewers file, one 'ID ROLES "
            "PUBLIC_KEY' line per reviewer, as `rsp signoff keygen` prints them"))
    try:
        reviewers = parse_reviewers(reviewers_path.read_text(encoding="utf-8"),
                                    str(reviewers_path))
    except (OSError, SignoffError) as exc:
        return ChainStatus([], unverified=str(exc))
    problems = anchored_problems(chain, reviewers, witness=witness)
    return ChainStatus(problems, head=None if problems else chain_head(chain))


@dataclass(frozen=True)
class SignoffState:
    """Where a version's sign-off stands: its evidence, the chain, whether the chain can be
    trusted, and the checklist (which counts no record of a chain that cannot be)."""

    evidence: VersionEvidence
    chain: list[Record]
    status: ChainStatus
    checklist: Checklist


def signoff_state(session: Session, policy: Policy, version: ModelVersion,
                  reviewers_path: Path, witness: Witness | None = None) -> SignoffState:
    """The sign-off state of `version`, for pages and reports that show it without signing."""
    evidence = version_evidence(session, policy, version)
    chain = read_chain(session)
    status = chain_status(chain, reviewers_path, witness)
    checklist = checklist_for(policy, evidence, chain if status.trusted else [],
                              None if status.trusted else status.describe())
    return SignoffState(evidence, chain, status, checklist)
