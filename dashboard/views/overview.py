"""Where every model line stands: latest version x risk domain, and what changed."""

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.render import (
    VERDICT_LABEL,
    domain_verdict,
    graded_lines,
    graders,
    num,
    under_elicited_lines,
)
from registry.determination_changes import indicator_changes
from registry.tiers import describe_version

st.title("Overview")
policy = data.require_registry()
st.caption(f"Policy {policy.policy.name} {policy.policy.version} · sha256 {policy.sha256[:16]} · "
           "latest version of each model line")
lines = data.lines()

latest = [vs[-1] for vs in lines.values()]
previous = [vs[-2] for vs in lines.values() if len(vs) > 1]
results = data.assess_versions(policy, latest + previous)
dues = data.line_dues(policy)

rows = []
for v in latest:
    det = results[v.id].determination
    due = dues[v.model_line]
    under = sum(i.verdict == "under_elicited" for i in det.missing)
    row = {"model line": v.model_line, "version": v.label, "required tier": det.required_tier,
           "evidence": "complete" if det.evidence_complete else
           f"⚠ incomplete: {len(det.missing) - under} not evaluated, "
           + (f"{under} under-elicited, " if under else "")
           + f"{len(det.thin)} too few samples",
           "assessment": f"⚠ due since {due.since}" if due.due else "not due"}
    row |= {d.name: domain_verdict(d) for d in det.domains}
    rows.append(row)
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
st.caption("Each domain cell: the domain's tier · the verdict of the indicator(s) deciding it. "
           "'inconclusive' and 'too few samples' count as reached under a precautionary "
           "policy; 'not evaluated' never reads as below, nor does 'under-elicited' (a run "
           "below the policy's elicitation minimum: not evidence). Only capability domains "
           "set the required tier; a safeguards domain's tier names the safeguards it "
           "requires.")
for v in latest:
    det, due = results[v.id].determination, dues[v.model_line]
    st.text(f"{v.id}: {describe_version(policy, det)}"
            + (f"\n  {due.describe()}" if due.due else ""))
    # why each under-elicited indicator is no evidence, as plain text (the reasons quote the log)
    if why := under_elicited_lines(v.id, det.domains):
        st.text("\n".join(why))
    if graded := graded_lines(det.domains, data.judges(graders(det.domains))):
        st.text("\n".join(graded))

st.subheader("What changed since the previous version")
changes = []
for vs in lines.values():
    if len(vs) < 2:
        continue
    for change in indicator_changes(results[vs[-2].id].determination,
                                    results[vs[-1].id].determination):
        was, ind = change.before, change.after
        changes.append({
            "model line": vs[-1].model_line, "from → to": f"{vs[-2].label} → {vs[-1].label}",
            "indicator": change.key,
            "value": f"{num(was.value)} → {num(ind.value)}",
            "tier": f"{was.tier or '—'} → {ind.tier or '—'}",
            "verdict": f"{VERDICT_LABEL[was.verdict]} → {VERDICT_LABEL[ind.verdict]}",
        })
if changes:
    st.dataframe(pd.DataFrame(changes), hide_index=True, width="stretch")
else:
    st.write("No indicator changed tier, verdict or alert between the last two versions.")
