"""What single Streamlit elements cost in the browser, against an empty page, in one run.

The dashboard's pages are measured against an empty Streamlit page (`dashboard_bench.py`,
target 1.3x). This shows how much of that budget one element spends on its own, with no data
and no work of ours behind it: pages of a title and one selectbox, an 8-row table, an 8-row
data grid, a small line chart, or some markdown, each served by its own `streamlit run` and
loaded in headless Chromium, cold (a fresh profile per load) and warm (one profile).

    .venv/bin/python bench/dashboard_parts_bench.py [--loads 7]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from dashboard_bench import CHROMIUM_ARGS, STREAMLIT_FLAGS, measure, percentiles, serve
from playwright.sync_api import sync_playwright

MARKER = "An empty page"
HEAD = f"""import pandas as pd
import streamlit as st
st.set_page_config(page_title="part", layout="wide")
rows = pd.DataFrame({{"version": [f"v{{k}}" for k in range(8)], "value": range(8)}})
def page():
    st.title("{MARKER}")
"""
PARTS = {  # the page's body after its title
    "empty page": "",
    "selectbox": '    st.selectbox("Model line", ["line-a", "line-b"])\n',
    "selectbox + table": ('    st.selectbox("Model line", ["line-a", "line-b"])\n'
                          "    st.table(rows)\n"),
    "selectbox + grid": ('    st.selectbox("Model line", ["line-a", "line-b"])\n'
                         "    st.dataframe(rows)\n"),
    "line chart": '    st.line_chart(rows, x="version", y="value")\n',
    "markdown": '    st.markdown("**A verdict** with its evidence. " * 20)\n',
}
TAIL = 'st.navigation([st.Page(page, title="Part", default=True)]).run()\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--port", type=int, default=8700)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    servers: list[subprocess.Popen] = []
    ports: dict[str, int] = {}
    try:
        for offset, (name, body) in enumerate(PARTS.items()):
            app = folder / f"part{offset}.py"
            app.write_text(HEAD + body + TAIL)
            ports[name] = args.port + offset
            servers.append(serve([sys.executable, "-m", "streamlit", "run", str(app),
                                  "--server.port", str(ports[name]), *STREAMLIT_FLAGS],
                                 ports[name]))
        figures: dict[tuple[str, str], tuple[float, float]] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for mode in ("cold", "warm"):
                for name, port in ports.items():
                    times = measure(browser, port, {"": MARKER}, args.loads, mode == "cold")
                    figures[mode, name] = percentiles(times[""])
            browser.close()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
    print(f"{'page':<20}{'cold p50':>10}{'x empty':>9}{'warm p50':>10}{'x empty':>9}"
          f"   (seconds, {args.loads} loads; p50, as the first load of a server skews p95)")
    for name in PARTS:
        row = f"{name:<20}"
        for mode in ("cold", "warm"):
            p50, empty = figures[mode, name][0], figures[mode, "empty page"][0]
            row += f"{p50:>10.2f}{p50 / empty:>8.2f}x"
        print(row)


if __name__ == "__main__":
    main()
