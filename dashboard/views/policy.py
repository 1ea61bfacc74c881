"""The policy in force, readably; and what would change under another policy file."""

import pandas as pd
import streamlit as st

from dashboard import data
from registry.crosswalk import read_under
from registry.determination_changes import policy_changes
from registry.policy import Policy, PolicyError, parse_policy

st.title("Policy")
policy = data.current_policy()
st.caption(f"{data.policy_path()} · {policy.policy.name} {policy.policy.version} · "
           f"sha256 {policy.sha256}")
st.write(policy.policy.description)

st.subheader("Tiers and the safeguards they require")
st.dataframe(pd.DataFrame([{"tier": t.id, "name": t.name, "safeguards": ", ".join(t.safeguards)
                            or "—"} for t in policy.tiers]), hide_index=True, width="stretch")

own = [(d, lv) for d in policy.domains for lv in d.levels or []]
if own:
    st.subheader("Domains with levels of their own")
    st.dataframe(pd.DataFrame([{"domain": d.name, "level": lv.id, "name": lv.name,
                                "requires tier": lv.tier or "—",
                                "safeguards": ", ".join(lv.safeguards) or "—"}
                               for d, lv in own]), hide_index=True, width="stretch")

rules = policy.evaluation
st.subheader("Evaluation rules")
st.dataframe(pd.DataFrame([
    {"rule": "confidence level", "value": f"{rules.confidence_level:.0%}"},
    {"rule": "minimum samples", "value": str(rules.min_samples)},
    {"rule": "freshness", "value": f"{rules.freshness_days} days"},
    {"rule": "re-evaluate after effective compute ratio",
     "value": f"{rules.reevaluate_compute_ratio}x"},
    {"rule": "an inconclusive verdict", "value": "counts as reached" if rules.inconclusive ==
     "precautionary" else "escalates to a comprehensive assessment"},
    {"rule": "max sample error rate", "value": f"{rules.max_sample_error_rate:.0%}"},
    {"rule": "sign-off roles", "value": ", ".join(policy.signoff.required_roles)},
]), hide_index=True, width="stretch")

st.subheader("Indicators and thresholds")
st.dataframe(pd.DataFrame([
    {"domain": d.name, "indicator": i.id, "task": i.task, "metric": i.metric,
     "riskier": "higher" if i.direction == "higher_is_riskier" else "lower",
     "required": "yes" if i.required else "no"}
    | {t: f"out <{th.rule_out} · in >{th.rule_in}" + (f" · alert {th.alert}" if th.alert
                                                       is not None else "")
       for t, th in i.thresholds.items()}
    for d, i in policy.indicators()]), hide_index=True, width="stretch")

st.subheader("One version under each framework")
frameworks = data.frameworks()
readable = [(path, p) for path, p in frameworks if isinstance(p, Policy)]
for path, problem in frameworks:
    if not isinstance(problem, Policy):
        st.warning(f"{path.name} cannot be read: {problem}")
if data.registry_missing() is None and data.versions():
    chosen = st.selectbox("Model version", [v.id for v in reversed(data.versions())])
    version = next(v for v in data.versions() if v.id == chosen)
    readings = [read_under(p, data.assess_versions(p, [version])[version.id].determination)
                for _, p in readable]
    st.dataframe(pd.DataFrame([
        {"policy": f"{path.name} · {r.policy}", "requires": r.required_tier,
         "evidence": "complete" if r.evidence_complete else "incomplete",
         "decided so far": r.summary,
         "required next": (", ".join(s for s, _ in r.safeguards) or "no safeguards")
         + f"; sign-off by {', '.join(r.signoff_roles)}"}
        for (path, _), r in zip(readable, readings, strict=True)]),
        hide_index=True, width="stretch")
else:
    st.caption("Each shipped policy's reading of a version appears here once the registry "
               "holds one.")

st.subheader("What would change under another policy")
upload = st.file_uploader("Candidate policy (YAML)", type=["yaml", "yml"])
if upload is None:
    st.caption("Upload a policy file to recompute every model line's latest determinations "
               "under it, side by side with the policy in force.")
    st.stop()
try:
    candidate = parse_policy(upload.getvalue().decode("utf-8"), upload.name)
except (PolicyError, UnicodeDecodeError) as exc:
    st.error(str(exc))
    st.stop()
if data.registry_missing() is not None:
    st.info(data.registry_missing())
    st.stop()
latest = [vs[-1] for vs in data.lines().values()]
now, then = data.assess_versions(policy, latest), data.assess_versions(candidate, latest)
rows = [{"version": c.version, "determination": c.subject, "in force": c.before or "not in it",
         "candidate": c.after or "not in it"}
        for v in latest
        for c in policy_changes(v.id, now[v.id].determination, then[v.id].determination)]
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
else:
    st.success(f"No determination of the {len(latest)} latest version(s) would change.")
