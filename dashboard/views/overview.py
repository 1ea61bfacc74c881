"""The scorecard: where every model line stands, latest version x risk domain, and what
changed since each line's previous version."""

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.render import (
    VERDICT_LABEL,
    graded_lines,
    graders,
    inert_markdown,
    num,
    under_elicited_lines,
)
from dashboard.scorecard_view import show_legend, show_scorecard
from registry.determination_changes import indicator_changes
from registry.scorecard import score_row
from registry.tiers import describe_version

st.title("Scorecard")
policy = data.require_registry()
st.caption(f"Policy {policy.policy.name} {policy.policy.version} · sha256 {policy.sha256[:16]} · "
           "latest version of each model line")
lines = data.lines()

latest = [vs[-1] for vs in lines.values()]
previous = [vs[-2] for vs in lines.values() if len(vs) > 1]
results = data.assess_versions(policy, latest + previous)
dues = data.line_dues(policy)

rows = [score_row(policy, v.model_line, v.id, v.label, results[v.id].determination,
                  dues[v.model_line]) for v in latest]
for row in rows:  # what most needs a reviewer's eye, above the table: one banner per line
    alerted = [f"{policy.domain_names[d]} ({', '.join(c.alerted)})"
               for d, c in row.cells.items() if c.alert]
    needs = ([f"assessment due since {inert_markdown(row.due)}: {inert_markdown(row.due_why)}"]
             if row.due else []) + (
        [f"alert: {', '.join(alerted)} passed an early-warning level"] if alerted else [])
    if needs:
        (st.error if row.due else st.warning)(
            f"{inert_markdown(row.version_id)}: {'; '.join(needs)}.")
show_scorecard(policy, rows)
with st.expander("Legend", expanded=True):
    show_legend(policy)
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
            "model line": inert_markdown(vs[-1].model_line),
            "from → to": f"{inert_markdown(vs[-2].label)} → {inert_markdown(vs[-1].label)}",
            "indicator": change.key,
            "value": f"{num(was.value)} → {num(ind.value)}",
            "tier": f"{was.tier or '—'} → {ind.tier or '—'}",
            "verdict": f"{VERDICT_LABEL[was.verdict]} → {VERDICT_LABEL[ind.verdict]}",
        })
if changes:  # a static table: it wraps instead of cutting columns off at the right
    st.table(pd.DataFrame(changes).style.hide(axis="index"))
else:
    st.write("No indicator changed tier, verdict or alert between the last two versions.")
