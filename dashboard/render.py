"""Small display helpers shared by the pages. Untrusted text (model output, log content) is
only ever shown through `st.text` and dataframes (`st.code` would also be safe, but its
syntax highlighter is a 1.5 MB download per fresh browser): never as markdown or HTML."""

from __future__ import annotations

import json

import streamlit as st

# re-exported for the pages, so that they spell numbers and verdicts as the report does
from registry.formatting import interval as interval
from registry.formatting import num as num
from registry.tiers import VERDICT_LABELS as VERDICT_LABEL
from registry.tiers import DomainDetermination, IndicatorDetermination


def domain_verdict(domain: DomainDetermination) -> str:
    """The deciding indicator's verdict for a domain, with alerts, as one cell of text."""
    evaluated = [i for i in domain.indicators if i.verdict != "not_evaluated"]
    if not evaluated:
        return "not evaluated"
    deciding = [i for i in evaluated if i.tier == domain.tier]
    verdicts = sorted({VERDICT_LABEL[i.verdict] for i in deciding})
    thin = [i.n for i in deciding if i.verdict == "insufficient_samples" and i.estimate]
    sizes = f" (n = {min(thin)})" if thin else ""  # how thin the evidence is, at a glance
    alert = " ⚠ alert" if any(i.alert for i in domain.indicators) else ""
    return f"{domain.tier} · {', '.join(verdicts)}{sizes}{alert}"


def indicator_row(ind: IndicatorDetermination) -> dict:
    return {"domain": ind.domain, "indicator": ind.indicator, "metric": ind.metric,
            "value": ind.value, "CI": interval(ind.ci_low, ind.ci_high), "n": ind.n,
            "tier": ind.tier or "—", "verdict": VERDICT_LABEL[ind.verdict],
            "alert": "⚠" if ind.alert else ""}


def show_message(role: str, content: str, tool_calls: list | None = None) -> None:
    """One transcript message, as plain text."""
    st.caption(role)
    if content:
        st.text(content)
    for call in tool_calls or []:
        st.text(f"{call.function}({json.dumps(call.arguments, indent=2)})")
