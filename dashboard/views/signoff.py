"""The release checklist for a version (read-only: approvals are written from the CLI)."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboard import data
from registry.checklist import build_checklist

st.title("Sign-off")
policy = data.require_registry()
versions = data.versions()
ids = [v.id for v in versions]
version_id = st.selectbox("Release candidate", ids, index=len(ids) - 1)
result = data.assess_versions(policy, [v for v in versions if v.id == version_id])[version_id]
checklist = build_checklist(policy, result.determination, data.version_runs(version_id),
                            data.recorded_policy_hashes(version_id), datetime.now(UTC))
det = result.determination
if checklist.releasable:
    st.success(f"{version_id}: releasable at {det.required_tier}.")
else:
    st.error(f"{version_id}: not releasable yet — {len(checklist.blocking)} item(s) open. "
             f"Required tier: {det.required_tier}.")
icon = {"pass": "✅ pass", "fail": "❌ fail", "pending": "⏳ pending"}
st.dataframe(pd.DataFrame([{"item": i.name, "status": icon[i.status], "detail": i.detail}
                           for i in checklist.items]), hide_index=True, width="stretch")
st.caption("Read-only. Safeguard attestations, waivers and approvals are signed in the CLI, "
           "where the reviewer's key is.")
