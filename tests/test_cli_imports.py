"""What `rsp` imports to run a command: each command loads only what it uses.

Pinned as import sets, not times: each command runs in a fresh interpreter, as a user's `rsp`
would, and the modules loaded by its end are checked. Inspect alone costs a second at start-up;
pandas, Streamlit, SciPy and WeasyPrint belong to the commands that need them (eval runs and
ingest, the dashboard, paired comparisons, PDF reports), never to `--help` or a CI gate.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rsp.cli import app

HEAVY = ("inspect_ai", "pandas", "streamlit", "scipy", "weasyprint")
DATABASE = ("sqlalchemy", "sqlmodel", "duckdb", "duckdb_engine")

# Runs `rsp ARGS...` as the console script does, then writes the loaded modules to a file.
RUN = """
import json, sys
out, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["rsp", *args]
from rsp.cli import app
try:
    app()
    code = 0
except SystemExit as exc:
    code = exc.code
with open(out, "w") as f:
    json.dump({"code": code, "modules": sorted(sys.modules)}, f)
"""


def loaded_by(tmp_path: Path, *args: str) -> tuple[int, set[str]]:
    """The exit code of `rsp ARGS...` in a fresh interpreter, and the top-level packages it
    had imported by its end."""
    out = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", RUN, str(out), json.dumps(list(args))],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.exists(), done.stderr
    result = json.loads(out.read_text())
    return result["code"], {name.split(".")[0] for name in result["modules"]}


@pytest.fixture(scope="module")
def one_version(flipper_log, tmp_path_factory) -> str:
    """A DuckDB registry holding one version, mockllm/flipper@v1, ingested by `rsp ingest`."""
    url = f"duckdb:///{tmp_path_factory.mktemp('one-version') / 'registry.duckdb'}"
    result = CliRunner().invoke(app, ["ingest", str(flipper_log), "--db", url])
    assert result.exit_code == 0, result.output
    return url


def test_help_loads_no_registry_and_no_heavy_library(tmp_path):
    code, loaded = loaded_by(tmp_path, "--help")
    assert code == 0
    assert sorted(loaded & {*HEAVY, *DATABASE}) == []


def test_policy_schema_loads_no_registry_and_no_heavy_library(tmp_path):
    code, loaded = loaded_by(tmp_path, "policy", "schema")
    assert code == 0
    assert sorted(loaded & {*HEAVY, *DATABASE}) == []


@pytest.mark.parametrize("command", [["gate", "mockllm/flipper@v1", "--max-tier", "ASL-4"],
                                     ["tiers", "mockllm/flipper@v1"]],
                         ids=["gate", "tiers"])
def test_reading_the_registry_loads_neither_inspect_nor_pandas(command, one_version, tmp_path):
    code, loaded = loaded_by(tmp_path, *command, "--db", one_version)
    assert code in (0, 1)  # the flipper's gate fails (exit 1): a whole, normal run
    assert {"sqlmodel", "duckdb"} <= loaded  # it did read the registry
    assert sorted(loaded & set(HEAVY)) == []
