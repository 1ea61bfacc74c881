"""rsp-registry governance dashboard: `rsp dashboard [--db URL] [--port N]`."""

from pathlib import Path

import streamlit as st

from dashboard.access import gate

st.set_page_config(page_title="rsp-registry · capability evaluations", layout="wide",
                   page_icon=str(Path(__file__).parent / "static" / "favicon.png"))

PAGES = [
    st.Page("views/overview.py", title="Scorecard", url_path="overview", default=True),
    st.Page("views/trends.py", title="Trends", url_path="trends"),
    st.Page("views/runs.py", title="Runs and samples", url_path="runs"),
    st.Page("views/compare.py", title="Compare", url_path="compare"),
    st.Page("views/policy.py", title="Policy", url_path="policy"),
    st.Page("views/signoff.py", title="Sign-off", url_path="signoff"),
]

gate()  # behind `rsp dashboard --auth`: no page runs for whoever may not see results
st.navigation(PAGES).run()
