"""The capability report's data, gathered from the registry (rendering is `registry.report`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from registry.assess import assess_many, line_versions
from registry.corrections_store import version_corrections
from registry.policy import Policy
from registry.report import ReportData
from registry.schema import ModelVersion
from registry.signoff_store import SignoffState, signoff_state
from registry.signoff_witness import Witness


def report_data(session: Session, policy: Policy, version: ModelVersion, reviewers_path: Path,
                witness: Witness | None = None) -> tuple[ReportData, SignoffState]:
    """Everything the report on `version` shows, and the sign-off state it rests on (whose
    chain a caller's witness may keep, when it verified)."""
    state = signoff_state(session, policy, version, reviewers_path, witness)
    evidence = state.evidence
    history = assess_many(session, policy, line_versions(session, version.model_line))
    data = ReportData(
        policy, evidence.assessment, history, evidence.runs, state.checklist,
        [r for r in state.chain if r.model_version == version.id], state.status.describe(),
        evidence.evidence_sha256, datetime.now(UTC), evidence.due, state.status.head,
        *version_corrections(session, version.id))
    return data, state
