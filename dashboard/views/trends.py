"""How each indicator moved across a model line's versions, against its thresholds."""

from urllib.parse import urlencode

import streamlit as st

from dashboard import data
from dashboard.render import inert_markdown, num
from dashboard.trend_chart import trend_spec
from registry.trends import (
    TrendPoint,
    choose_axis,
    describe_x,
    next_threshold,
    project_crossing,
    x_value,
)

st.title("Trends")
policy = data.require_registry()
lines = data.lines()
names = sorted(lines)
# a scorecard cell names its line and domain; otherwise the line with the most versions
# first: its trends have the most to show
asked = st.query_params.get("line")
line = st.selectbox("Model line", names, index=names.index(
    asked if asked in lines else max(names, key=lambda n: len(lines[n]))))
versions = lines[line]
domain_names = policy.domain_names
results = data.assess_versions(policy, versions)
evaluated = [d.domain for d in results[versions[-1].id].determination.domains
             if any(i.estimate is not None for i in d.indicators)]
choices = [*domain_names, "all"]
# one domain at a time by default: a page of every chart is slow to draw and to read
asked_domain = st.query_params.get("domain")
domain = st.selectbox("Domain", choices, format_func=lambda d: domain_names.get(
    d, "All domains"), index=choices.index(asked_domain) if asked_domain in choices else
    choices.index(evaluated[0]) if evaluated else 0)
axis = choose_axis([v.effective_compute for v in versions], [v.release_date for v in versions])
st.caption(f"{len(versions)} version{'s' if len(versions) > 1 else ''} · x axis: {axis} · "
           f"shaded band and bars: {policy.evaluation.confidence_level:.0%} confidence "
           "interval · coloured lines: "
           "each tier's rule-out (dashed), rule-in (solid) and alert (dotted) levels · red "
           "dotted line: projected crossing of the next threshold")


def points_for(domain_id: str, indicator_id: str) -> tuple[list[TrendPoint], dict[str, str]]:
    """The indicator's point per version that has one, and the run behind each point."""
    found, runs = [], {}
    for i, v in enumerate(versions):
        det = results[v.id].determination
        ind = next(x for x in det.indicators if (x.domain, x.indicator) == (domain_id,
                                                                              indicator_id))
        if ind.estimate is not None:
            found.append(TrendPoint(v.label, x_value(axis, i, v.effective_compute,
                                                     v.release_date),
                                    ind.estimate.value, ind.ci_low, ind.ci_high, ind.estimate.n))
            runs[v.label] = ind.estimate.run_id
    return found, runs


shown = 0
for d, ind in policy.indicators():
    if domain != "all" and d.id != domain:
        continue
    pts, runs = points_for(d.id, ind.id)
    if not pts:
        continue
    shown += 1
    st.subheader(f"{d.name} · {ind.id}")
    target = next_threshold(ind, policy.ladder_ids(d.id), pts[-1].value)
    crossing = project_crossing(pts, *target) if target is not None else None
    st.vega_lite_chart(trend_spec(ind, axis, pts, crossing), width="stretch")
    if crossing is None:
        st.caption("Past every rule-in threshold of this indicator.")
    elif crossing.x is None:
        st.caption(f"Next threshold {crossing.label} ({num(crossing.level)}): not projected "
                   "to be crossed on the current trend (needs two versions and a slope "
                   "toward it).")
    else:
        st.caption(f"Next threshold {crossing.label} ({num(crossing.level)}): a straight "
                   f"line through the {len(pts)} points crosses it at "
                   f"{describe_x(axis, crossing.x)}.")
    st.markdown("Samples behind each point: " + " · ".join(
        f"[{inert_markdown(label)}](runs?{urlencode({'run': run})})"
        for label, run in runs.items() if run))
if not shown:
    st.info("No indicator of this selection has been evaluated on this model line.")
