"""Filter runs, list a run's samples with their scores, read a transcript as plain text."""

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.render import show_message

st.title("Runs and samples")
data.require_registry()
runs = data.runs_frame()
if runs.empty:
    st.info("No runs recorded yet.")
    st.stop()
left, middle, right = st.columns(3)
lines = left.multiselect("Model line", sorted(runs["model_line"].unique()))
tasks = middle.multiselect("Task", sorted(runs["task"].unique()))
statuses = right.multiselect("Status", sorted(runs["status"].unique()))
shown = runs
for column, chosen in (("model_line", lines), ("task", tasks), ("status", statuses)):
    if chosen:
        shown = shown[shown[column].isin(chosen)]
SHOWN_RUNS = 300  # the newest; filters narrow the rest
st.caption(f"{len(shown)} of {len(runs)} runs match" + (
    f"; the newest {SHOWN_RUNS} are listed, filter to narrow" if len(shown) > SHOWN_RUNS else ""))
shown = shown.head(SHOWN_RUNS)
asked = st.query_params.get("run")  # a trend point's samples link names its run
if asked in set(runs["id"]) and asked not in set(shown["id"]):  # filtered out, or not newest
    shown = pd.concat([runs[runs["id"] == asked], shown])
if shown.empty:
    st.stop()
# columns, not itertuples: that converts every row's timestamps, 0.07 s for 300 rows
labels = {run: f"{line}@{version} · {task} · {run}" for run, line, version, task in
          zip(shown["id"], shown["model_line"], shown["version"], shown["task"], strict=True)}
# the picker comes before the first table: Streamlit loads each widget's code when it is first
# drawn, and a table drawn first delayed the picker's code by 0.4 s in a fresh browser
choices = list(labels)
run_id = st.selectbox("Run", choices, format_func=lambda key: labels[key],
                      index=choices.index(asked) if asked in labels else 0)
if run_id is None:
    st.stop()
st.dataframe(shown.drop(columns=["log_location"]), hide_index=True, width="stretch")
if shown["superseded_by"].notna().any():
    st.caption("A run with `superseded_by` was corrected by a later log of the same eval: it is "
               "kept on the record but no longer used. `rsp runs history RUN` shows every "
               "revision and the samples invalidated in each.")
samples = data.samples_frame(run_id)
st.subheader(f"Samples of {labels[run_id]}")
st.dataframe(samples.drop(columns=["log_location"]), hide_index=True, width="stretch",
             column_config={"scores_json": st.column_config.TextColumn("scores", width="medium"),
                            "answer": st.column_config.TextColumn(width="medium")})
if samples.empty:
    st.stop()

keys = [f"{s.sample_id} (epoch {s.epoch})" for s in samples.itertuples()]
picked = st.selectbox("Transcript of sample", list(range(len(keys))),
                      format_func=lambda index: keys[index])
if picked is None:
    st.stop()
sample_row = samples.iloc[picked]
log_file = sample_row["log_location"]
st.text(f"inspect view --log-dir {Path(log_file).parent}\n# log: {Path(log_file).name}, "
        f"sample {sample_row['sample_id']}, epoch {sample_row['epoch']}")
st.caption("Model output is untrusted: shown as plain text, never rendered as HTML or markdown.")
try:
    sample_id = int(sample_row["sample_id"]) if str(sample_row["sample_id"]).isdigit() \
        else sample_row["sample_id"]
    sample = data.log_sample(log_file, sample_id, int(sample_row["epoch"]))
except Exception as exc:  # the log may have moved since ingest
    st.warning(f"Cannot read this sample from {log_file}: {exc}")
    st.stop()
for message in sample.messages:
    show_message(message.role, message.text, getattr(message, "tool_calls", None))
