"""How the scorecard is drawn: a static table (it wraps, so every domain fits the screen),
each domain cell coloured by its tier's rung and linked to that domain's trends.

Cells are Markdown (st.table renders it), so every value that comes from a log, such as a
model line's name, is escaped first; tiers and domain names come from the policy file.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard.render import inert_markdown
from registry.policy import Policy
from registry.scorecard import CELL_VERDICT_MEANING, CELL_VERDICTS, ScoreCell, ScoreRow

# background per rung of a domain's ladder: the floor, then each step up; past the last, red
RUNG_COLOURS = ["#d7efd9", "#fdf0b5", "#fcd7a6", "#f4b4b4"]
NOT_EVALUATED = "#e4e4e7"
PARTLY = "#dbe4f3"
WARNING = "#fcd7a6"
DUE = "#f4b4b4"
RUNG_MEANINGS = ["floor: the domain's lowest tier", "one tier above the floor",
                 "two tiers above the floor", "three or more tiers above the floor"]


STATUS_ROWS = ("required tier", "evidence", "assessment")


def rung_colour(rank: int) -> str:
    return NOT_EVALUATED if rank < 0 else RUNG_COLOURS[min(rank, len(RUNG_COLOURS) - 1)]


def cell_colour(cell: ScoreCell) -> str:
    # a partly evaluated domain is not green: the tier above it is still open
    return PARTLY if cell.verdict == "partly evaluated" else rung_colour(cell.rank)


def trend_link(line: str, domain: str) -> str:
    return "trends?" + urlencode({"line": line, "domain": domain})


def cell_text(row: ScoreRow, cell: ScoreCell) -> str:
    """The cell as Markdown: tier and verdict, how much of the domain ran, the alert, all
    linked to the domain's trends on this line."""
    parts = [f"{cell.tier} · {cell.verdict}" if cell.tier else cell.verdict]
    parts += [f"({detail})" for detail in cell.details]
    text = " ".join(parts)
    if cell.alert:
        text += " · **ALERT**"
    return f"[{text}]({trend_link(row.line, cell.domain)})"


def scorecard_frame(policy: Policy, rows: list[ScoreRow]) -> pd.DataFrame:
    """Domains down, model lines across: a lab has many domains and few lines, so the table
    grows downwards and every line fits the screen."""
    columns = {r.version_id: inert_markdown(f"{r.line} {r.label}") for r in rows}
    status = {
        "required tier": {r.version_id: f"**{r.required_tier}**" for r in rows},
        "evidence": {r.version_id: r.evidence if r.evidence_complete else f"**{r.evidence}**"
                     for r in rows},
        "assessment": {r.version_id: f"**DUE** since {inert_markdown(r.due)}" if r.due else
                       "not due" for r in rows},
    }
    domains = {policy.domain_names[d]: {r.version_id: cell_text(r, r.cells[d]) for r in rows}
               for d in rows[0].cells} if rows else {}
    frame = pd.DataFrame.from_dict({**status, **domains}, orient="index")
    return frame.rename(columns=columns).rename_axis("").reset_index()


def cell_colours(rows: list[ScoreRow], frame: pd.DataFrame) -> pd.DataFrame:
    """The background of every cell of `scorecard_frame`: tiers by rung, partly evaluated
    domains apart, incomplete evidence and due assessments so they stand out."""
    def background(colour: str) -> str:
        return f"background-color: {colour}"

    # built column by column in one go: a cell at a time through .iloc took 0.1 s per load
    columns = [[""] * len(frame)]  # column 0 holds the row names
    for r in rows:
        columns.append(["", "" if r.evidence_complete else background(WARNING),
                        background(DUE) if r.due else "",
                        *(background(cell_colour(c)) for c in r.cells.values())])
    return pd.DataFrame(list(zip(*columns, strict=True)), index=frame.index, columns=frame.columns)


def show_scorecard(policy: Policy, rows: list[ScoreRow]) -> None:
    """The scorecard table, coloured."""
    frame = scorecard_frame(policy, rows)
    colours = cell_colours(rows, frame)
    st.table(frame.style.apply(lambda _: colours, axis=None).hide(axis="index"))


def show_legend(policy: Policy) -> None:
    """What the colours and words of a cell mean."""
    rungs = max(len(policy.ladder_ids(d.id)) for d in policy.domains)
    steps = RUNG_MEANINGS[:max(rungs, 2)]
    shades = [*(rung_colour(i) for i in range(len(steps))), PARTLY, NOT_EVALUATED]
    swatches = pd.DataFrame([{"colour": "", "means": m} for m in [
        *steps, "partly evaluated: tiers above still open", "nothing evaluated"]])
    colours = pd.DataFrame("", index=swatches.index, columns=swatches.columns)
    colours["colour"] = [f"background-color: {shade}" for shade in shades]
    left, right = st.columns([2, 3])
    with left:
        st.table(swatches.style.apply(lambda _: colours, axis=None).hide(axis="index"))
    with right:
        st.table(pd.DataFrame([{"verdict": v, "means": CELL_VERDICT_MEANING[v]}
                               for v in CELL_VERDICTS]).style.hide(axis="index"))
    st.caption("ALERT: an indicator passed its early-warning level. DUE: the policy asks for a "
               "new assessment of the line (effective compute grown, or the last complete "
               "assessment too old). Each domain cell opens that domain's trends, whose "
               "charts link to the samples behind each point.")
