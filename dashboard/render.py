"""Small display helpers shared by the pages. Untrusted text (model output, log content) is
only ever shown through `st.text` and dataframes (`st.code` would also be safe, but its
syntax highlighter is a 1.5 MB download per fresh browser): never as markdown or HTML."""

from __future__ import annotations

import json
import re

import streamlit as st

# re-exported for the pages, so that they spell numbers and verdicts as the report does
from registry.formatting import interval as interval
from registry.formatting import num as num
from registry.judge_reliability import JudgeReliability
from registry.tiers import VERDICT_LABELS as VERDICT_LABEL
from registry.tiers import DomainDetermination, IndicatorDetermination


def under_elicited_lines(version_id: str, domains: list[DomainDetermination]) -> list[str]:
    """Per under-elicited indicator, why its run is no evidence (plain text: the reasons
    quote values read from the log)."""
    return [f"{version_id} {i.domain}/{i.indicator}: {VERDICT_LABEL[i.verdict]}, "
            f"{'; '.join(i.elicitation_gaps)}"
            for d in domains for i in d.indicators if i.verdict == "under_elicited"]


# what Streamlit's Markdown (st.warning, st.caption, ...) would render from text as a link,
# an image, code, math, emphasis or a coloured span
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>!$~:|#])")


def inert_markdown(text: str) -> str:
    """`text` escaped for the Markdown of st.warning and the like, so that a value read from
    a log shows as the characters it is (st.text is the plain way; this is for messages)."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", " ".join(text.split()))


def indicator_row(ind: IndicatorDetermination) -> dict:
    return {"domain": ind.domain, "indicator": ind.indicator, "metric": ind.metric,
            "value": ind.value, "CI": interval(ind.ci_low, ind.ci_high), "n": ind.n,
            "tier": ind.tier or "—", "verdict": VERDICT_LABEL[ind.verdict],
            "alert": "ALERT" if ind.alert else "", "why": "; ".join(ind.elicitation_gaps)}


def show_message(role: str, content: str, tool_calls: list | None = None) -> None:
    """One transcript message, as plain text."""
    st.caption(role)
    if content:
        st.text(content)
    for call in tool_calls or []:
        st.text(f"{call.function}({json.dumps(call.arguments, indent=2)})")


def graded_lines(domains: list[DomainDetermination],
                 judges: dict[str, JudgeReliability]) -> list[str]:
    """One plain-text line per model-graded indicator: its grader, and how reliable that grader
    has been measured to be as a judge."""
    lines = []
    for domain in domains:
        for ind in domain.indicators:
            if ind.grader:
                lines.append(f"  {ind.domain}/{ind.indicator} graded by "
                             f"{judges[ind.grader].describe()}")
    return lines


def graders(domains: list[DomainDetermination]) -> frozenset[str]:
    """The grader models behind a version's indicators."""
    return frozenset(i.grader for d in domains for i in d.indicators if i.grader)
