"""How each indicator moved across a model line's versions, against its thresholds."""

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.render import num
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
line = st.selectbox("Model line", sorted(lines))
versions = lines[line]
domain_names = {d.id: d.name for d in policy.domains}
results = data.assess_versions(policy, versions)
evaluated = [d.domain for d in results[versions[-1].id].determination.domains
             if any(i.estimate is not None for i in d.indicators)]
choices = [*domain_names, "all"]
# one domain at a time by default: a page of every chart is slow to draw and to read
domain = st.selectbox("Domain", choices, format_func=lambda d: domain_names.get(
    d, "All domains"), index=choices.index(evaluated[0]) if evaluated else 0)
axis = choose_axis([v.effective_compute for v in versions], [v.release_date for v in versions])
st.caption(f"{len(versions)} versions · x axis: {axis} · shaded band: "
           f"{policy.evaluation.confidence_level:.0%} confidence interval · coloured lines: "
           "each tier's rule-out (dashed), rule-in (solid) and alert (dotted) levels · red "
           "dotted line: projected crossing of the next threshold")

STYLE = {"rule-out": [6, 4], "rule-in": [1, 0], "alert": [2, 2]}
KIND_LABEL = {"rule_out": "rule-out", "rule_in": "rule-in", "alert": "alert"}


def points_for(domain_id: str, indicator_id: str) -> list[TrendPoint]:
    found = []
    for i, v in enumerate(versions):
        det = results[v.id].determination
        ind = next(x for x in det.indicators if (x.domain, x.indicator) == (domain_id,
                                                                              indicator_id))
        if ind.estimate is not None:
            found.append(TrendPoint(v.label, x_value(axis, i, v.effective_compute,
                                                     v.release_date),
                                    ind.estimate.value, ind.ci_low, ind.ci_high, ind.estimate.n))
    return found


def x_field(frame: pd.DataFrame) -> alt.X:
    if axis == "release date":
        frame["x"] = [date.fromordinal(int(x)) for x in frame["x"]]
        return alt.X("x:T", title="release date")
    return alt.X("x:Q", title=axis, scale=alt.Scale(zero=False))


shown = 0
for d, ind in policy.indicators():
    if domain != "all" and d.id != domain:
        continue
    pts = points_for(d.id, ind.id)
    if not pts:
        continue
    shown += 1
    st.subheader(f"{d.name} · {ind.id}")
    frame = pd.DataFrame([p.__dict__ for p in pts])
    frame["ci_low"] = frame["ci_low"].clip(lower=-1.5)
    frame["ci_high"] = frame["ci_high"].clip(upper=2.5)
    x = x_field(frame)
    rules = pd.DataFrame([{"level": getattr(th, kind), "tier": tier, "threshold": label}
                          for tier, th in ind.thresholds.items()
                          for kind, label in KIND_LABEL.items() if getattr(th, kind) is not None])
    band = alt.Chart(frame).mark_area(opacity=0.2, color="gray").encode(
        x=x, y="ci_low:Q", y2="ci_high:Q")
    line_chart = alt.Chart(frame).mark_line(point=True, color="black").encode(
        x=x, y=alt.Y("value:Q", title=ind.metric),
        tooltip=["version", "value", "ci_low", "ci_high", "n"])
    rule_layer = alt.Chart(rules).mark_rule().encode(
        y="level:Q", color=alt.Color("tier:N", scale=alt.Scale(scheme="set1")),
        strokeDash=alt.StrokeDash("threshold:N", scale=alt.Scale(domain=list(STYLE),
                                                                 range=list(STYLE.values()))),
        tooltip=["tier", "threshold", "level"])
    layers = band + line_chart + rule_layer
    target = next_threshold(ind, policy.tier_ids, pts[-1].value)
    crossing = project_crossing(pts, *target) if target is not None else None
    if crossing is not None and crossing.x is not None:
        path = pd.DataFrame([{"x": pts[-1].x, "value": pts[-1].value, "what": "last version"},
                             {"x": crossing.x, "value": crossing.level,
                              "what": f"projected crossing of {crossing.label}"}])
        projection = alt.Chart(path).mark_line(color="red", strokeDash=[1, 3], point=True)
        layers += projection.encode(x=x_field(path), y="value:Q", tooltip=["what", "value"])
    st.altair_chart(layers, width="stretch")
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
if not shown:
    st.info("No indicator of this selection has been evaluated on this model line.")
