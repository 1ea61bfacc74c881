"""Two versions side by side: per indicator, and paired per sample on the same tasks."""

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.render import interval, num
from registry.compare import compare, paired_difference

st.title("Compare")
policy = data.require_registry()
versions = data.versions()
if len(versions) < 2:
    st.info("Two recorded versions are needed to compare.")
    st.stop()
ids = [v.id for v in versions]
# by default the newest release that has a predecessor in its own line, against that one
successive = [vs[-2:] for vs in data.lines().values() if len(vs) > 1]
default_a, default_b = (max(successive, key=lambda pair: ids.index(pair[1].id))
                        if successive else versions[-2:])
left, right = st.columns(2)
a = left.selectbox("Version A (baseline)", ids, index=ids.index(default_a.id))
b = right.selectbox("Version B", ids, index=ids.index(default_b.id))
results = data.assess_versions(policy, [v for v in versions if v.id in (a, b)])

st.subheader("Indicators (B − A)")
rows = [{"domain": policy.domain_names.get(r.domain, r.domain), "indicator": r.indicator,
         "A": num(r.value_a), "B": num(r.value_b),
         "B − A": num(r.difference), "CI": interval(r.ci_low, r.ci_high),
         "significant": "yes" if r.significant else "no",
         "tier A → B": f"{r.tier_a or '—'} → {r.tier_b or '—'}"}
        for r in compare(results[a].determination, results[b].determination,
                         policy.evaluation.confidence_level)
        if r.value_a is not None or r.value_b is not None]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

st.subheader("Paired per sample")
tasks_a = {r.task: r for r in data.version_runs(a)}
tasks_b = {r.task: r for r in data.version_runs(b)}
common = sorted(set(tasks_a) & set(tasks_b))
if not common:
    st.write("The two versions share no task.")
    st.stop()
task = st.selectbox("Task", common)
sa = data.samples_frame(tasks_a[task].id)[["sample_id", "epoch", "score_value", "answer"]]
sb = data.samples_frame(tasks_b[task].id)[["sample_id", "epoch", "score_value", "answer"]]
pairs = sa.merge(sb, on=["sample_id", "epoch"], suffixes=(" A", " B")).dropna(
    subset=["score_value A", "score_value B"])
if pairs.empty:
    st.write("No sample of this task has a numeric score in both versions.")
    st.stop()
diff = paired_difference(list(pairs["score_value A"]), list(pairs["score_value B"]),
                         policy.evaluation.confidence_level)
st.metric("Mean paired difference (B − A) in the sample score", num(diff.mean),
          help=f"n = {diff.n} paired samples")
st.caption(f"{policy.evaluation.confidence_level:.0%} CI {interval(diff.ci_low, diff.ci_high)}"
           f" · n = {diff.n} pairs · "
           f"{'significant' if diff.significant else 'not significant'}")
flipped = pairs[pairs["score_value A"] != pairs["score_value B"]]
st.write(f"{len(flipped)} of {len(pairs)} samples changed score:")
st.dataframe(flipped, hide_index=True, width="stretch")
