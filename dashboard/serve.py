"""The dashboard server's entry point: `python -m dashboard.serve run app.py [flags]`, which is
`streamlit run` with the pages' heavy modules already imported.

Streamlit runs every page inside this process, so importing here, before it listens, moves
about 2 s of imports (Inspect's log reader above all) off the first page a reviewer opens.
`dashboard.data` itself is left to the pages: its caches must be created inside Streamlit.
"""

import sys

import inspect_ai.log  # noqa: F401  (the runs page's transcript reader)
import pandas  # noqa: F401
from streamlit.web.cli import main

import registry.assess
import registry.compare
import registry.signoff_store  # noqa: F401

if __name__ == "__main__":
    sys.exit(main(prog_name="streamlit"))
