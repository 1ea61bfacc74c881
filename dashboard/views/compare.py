"""Two versions side by side: per indicator, and paired per sample on the same tasks."""

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.render import inert_markdown, interval, num
from registry.compare import METHODS_EXPLAINED
from registry.version_compare import newest_runs_by_task, pair_samples, pairing_obstacle

PAIRED = ("paired_mcnemar", "paired_mean")


def p_text(p: float | None) -> str:
    return "—" if p is None else f"{p:.3g}"


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
level = policy.evaluation.confidence_level
comparison = data.comparison(policy, a, b)
st.subheader("Indicators (B − A)")
rows = [{"domain": policy.domain_names.get(r.domain, r.domain), "indicator": r.indicator,
         "A": num(r.value_a), "B": num(r.value_b), "B − A": num(r.difference),
         "test": r.method_label,
         "items shared": str(r.n_shared) if r.method in PAIRED else "—",
         "up / down": (f"{r.discordant_up} / {r.discordant_down}"
                       if r.method == "paired_mcnemar" else ""),
         "per-item Δ": num(r.paired_difference), f"{level:.0%} CI": interval(r.ci_low, r.ci_high),
         "p": p_text(r.p_value), "significant": "yes" if r.significant else "no",
         "not paired because": r.note,
         "tier A → B": f"{r.tier_a or '—'} → {r.tier_b or '—'}"}
        for r in comparison.rows if r.value_a is not None or r.value_b is not None]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
# st.warning renders Markdown: the differences quote the logs, so they are escaped
for (domain_id, indicator_id), diff in comparison.elicitation_differences.items():
    st.warning(f"{domain_id}/{indicator_id} was elicited differently "
               f"({inert_markdown('; '.join(diff))}): its difference mixes the model with the "
               "method.")
st.caption(METHODS_EXPLAINED)

st.subheader("Paired per sample")
tasks_a = newest_runs_by_task(data.version_runs(a))
tasks_b = newest_runs_by_task(data.version_runs(b))
common = sorted(set(tasks_a) & set(tasks_b))
if not common:
    st.write("The two versions share no task.")
    st.stop()
task = st.selectbox("Task", common)
if task is None:
    st.stop()
if (obstacle := pairing_obstacle(tasks_a[task], tasks_b[task])) is not None:
    st.write(f"The two runs cannot be paired per sample: {obstacle}.")
    st.stop()
SAMPLE_COLUMNS = ["sample_id", "epoch", "score_value", "answer"]
pairing = pair_samples(
    data.samples_frame(tasks_a[task].id)[SAMPLE_COLUMNS].itertuples(index=False, name=None),
    data.samples_frame(tasks_b[task].id)[SAMPLE_COLUMNS].itertuples(index=False, name=None),
    level)
test = pairing.test
if test is None:
    st.write("No sample of this task has a numeric score in both versions.")
    st.stop()
verdict = "significant" if test.significant else "not significant"
st.metric("Mean paired difference (B − A) in the sample score", num(test.mean_difference),
          help=f"over {test.n_shared} items scored in both versions, each averaged over its "
               "epochs")
if test.method == "paired_mcnemar":
    st.caption(f"Exact McNemar test: {test.discordant_up} items went 0 → 1 and "
               f"{test.discordant_down} went 1 → 0 of {test.n_shared} shared · "
               f"p = {p_text(test.p_value)} · {verdict} (p < {1 - level:.2g})")
else:
    st.caption(f"Paired t: {level:.0%} CI {interval(test.ci_low, test.ci_high)} · "
               f"p = {p_text(test.p_value)} · n = {test.n_shared} items · {verdict}")
st.write(f"{len(pairing.changed)} of {pairing.pairs} samples changed score:")
st.dataframe(pd.DataFrame([{"sample_id": c.sample_id, "epoch": c.epoch,
                            "score_value A": c.score_a, "answer A": c.answer_a,
                            "score_value B": c.score_b, "answer B": c.answer_b}
                           for c in pairing.changed]), hide_index=True, width="stretch")
