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
domain = st.selectbox("Domain", [*domain_names, "all"], format_func=lambda d: domain_names.get(
    d, "All domains"), index=len(domain_names))
results = data.assess_versions(policy, versions)
axis = choose_axis([v.effective_compute for v in versions], [v.release_date for v in versions])
st.caption(f"{len(versions)} versions · x axis: {axis} · shaded band: "
           f"{policy.evaluation.confidence_level:.0%} confidence interval · lines: rule-out "
           "(dashed), rule-in (solid), alert (dotted) per tier")

STYLE = {"rule_out": [6, 4], "rule_in": [1, 0], "alert": [2, 2]}


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
    rules = pd.DataFrame([{"level": getattr(th, kind), "tier": tier, "kind": kind}
                          for tier, th in ind.thresholds.items()
                          for kind in STYLE if getattr(th, kind) is not None])
    band = alt.Chart(frame).mark_area(opacity=0.2, color="gray").encode(
        x=x, y="ci_low:Q", y2="ci_high:Q")
    line_chart = alt.Chart(frame).mark_line(point=True, color="black").encode(
        x=x, y=alt.Y("value:Q", title=ind.metric),
        tooltip=["version", "value", "ci_low", "ci_high", "n"])
    rule_layer = alt.Chart(rules).mark_rule().encode(
        y="level:Q", color=alt.Color("tier:N", scale=alt.Scale(scheme="set1")),
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(domain=list(STYLE),
                                                            range=list(STYLE.values()))),
        tooltip=["tier", "kind", "level"])
    st.altair_chart(band + line_chart + rule_layer, width="stretch")
    target = next_threshold(ind, policy.tier_ids, pts[-1].value)
    if target is None:
        st.caption("Past every rule-in threshold of this indicator.")
    else:
        crossing = project_crossing(pts, *target)
        if crossing.x is None:
            st.caption(f"Next threshold {crossing.label} ({num(crossing.level)}): not projected "
                       "to be crossed on the current trend (needs two versions and a slope "
                       "toward it).")
        else:
            st.caption(f"Next threshold {crossing.label} ({num(crossing.level)}): a straight "
                       f"line through the {len(pts)} points crosses it at "
                       f"{describe_x(axis, crossing.x)}.")
if not shown:
    st.info("No indicator of this selection has been evaluated on this model line.")
