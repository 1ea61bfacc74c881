"""The release checklist for a version, with its sign-offs (read-only: they are signed in
the CLI, where the reviewer's key is)."""

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.render import inert_markdown
from registry.tiers import describe_version

st.title("Sign-off")
policy = data.require_registry()
versions = data.versions()
ids = [v.id for v in versions]
version_id = st.selectbox("Release candidate", ids, index=len(ids) - 1)
state = data.signoff_state(policy, version_id)
checklist, chain = state.checklist, state.chain
det = state.evidence.assessment.determination
if checklist.releasable:
    st.success(f"{version_id}: releasable at {det.required_tier}.")
else:
    st.error(f"{version_id}: not releasable yet — {len(checklist.blocking)} item(s) open. "
             f"Required tier: {det.required_tier}.")
st.text(describe_version(policy, det))
# words, not emoji: a browser without an emoji font draws those as empty boxes; a static
# table wraps each detail instead of cutting it off at the right
STATUS = {"pass": "PASS", "fail": "**FAIL**", "pending": "**PENDING**"}
STATUS_COLOUR = {"pass": "#d7efd9", "fail": "#f4b4b4", "pending": "#fdf0b5"}
items = pd.DataFrame([{"item": inert_markdown(i.name), "status": STATUS[i.status],
                       "detail": inert_markdown(i.detail)} for i in checklist.items])
colours = pd.DataFrame("", index=items.index, columns=items.columns)
colours["status"] = [f"background-color: {STATUS_COLOUR[i.status]}" for i in checklist.items]
st.table(items.style.apply(lambda _: colours, axis=None).hide(axis="index"))

st.subheader("Sign-off records")
if state.status.unverified:
    st.warning(f"Signatures not verified here, so no sign-off counts on this page: "
               f"{inert_markdown(state.status.unverified)}.")
elif state.status.problems:
    st.error("The sign-off chain is broken:\n" + "\n".join(state.status.problems))
else:
    st.caption(f"Chain intact: {len(chain)} records; hashes, links and signatures verify "
               f"against {data.reviewers_path()}.")
mine = [r for r in chain if r.model_version == version_id]
if mine:
    st.dataframe(pd.DataFrame([{"#": r.seq, "kind": r.kind, "subject": r.subject,
                                "reviewer": r.reviewer, "statement": r.text,
                                "signed at": r.created_at, "hash": r.record_hash[:16]}
                               for r in mine]), hide_index=True, width="stretch")
else:
    st.write("No sign-off records for this version yet.")
st.caption("Read-only. Attestations, waivers and approvals are signed in the CLI "
           "(`rsp signoff attest | waive | approve | reject`), where the reviewer's key is.")
