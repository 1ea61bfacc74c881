"""The dashboard server's entry point: `python -m dashboard.serve run app.py [flags]`, which is
`streamlit run` with the pages' modules already imported.

Streamlit runs every page inside this process, so importing here, before it listens, moves
about 2.3 s of imports (Inspect's log reader above all) off the first page a reviewer opens.
`dashboard.data` itself is left to the pages: its caches must be created inside Streamlit.

Streamlit collects garbage fully after every page run, while the browser still waits for the
run's last message. With these imports that pass walked about 300,000 objects, 0.2-0.4 s on
2 busy cores, per page load. The imported modules live as long as the server, so they are
frozen out of every collection, and the forced pass is off: Python's own collections still
run, on what is left.
"""

import gc
import os
import sys

import duckdb_engine  # noqa: F401  (the registry's first read: 0.1 s)
import inspect_ai.log  # noqa: F401  (the runs page's transcript reader)
import pandas.io.formats.style  # noqa: F401  (st.table of a Styler: jinja2)
from streamlit.web.cli import main

import dashboard.scorecard_view
import dashboard.trend_chart  # noqa: F401
import registry.assess
import registry.compare
import registry.crosswalk
import registry.determination_changes
import registry.signoff_store
import registry.trends  # noqa: F401

if __name__ == "__main__":
    gc.freeze()
    os.environ.setdefault("STREAMLIT_RUNNER_POST_SCRIPT_GC", "false")
    sys.exit(main(prog_name="streamlit"))
