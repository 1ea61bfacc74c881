"""`rsp export parquet DIR`: every table as Parquet that DuckDB and pandas read back exactly as
the registry holds it, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
from sqlalchemy import select
from typer.testing import CliRunner

from registry.db import open_session
from registry.export import EXPORTED
from registry.ingest import ingest
from rsp.cli import app

runner = CliRunner()


def registry_rows(db_url: str, model) -> list[tuple]:
    table = model.__table__
    with open_session(db_url, read_only=True) as s:
        return [tuple(r) for r in s.execute(
            select(table).order_by(*table.primary_key.columns)).all()]


def values(frame: pd.DataFrame) -> pd.DataFrame:
    """Cell values only: every null the same None, whatever dtype a reader chose."""
    return frame.astype(object).where(frame.notna(), None)


def test_export_round_trips_through_duckdb_and_pandas(flipper_log, steadfast_log, db_url,
                                                      tmp_path):
    ingest([flipper_log, steadfast_log], db_url)
    tiers = runner.invoke(app, ["tiers", "--db", db_url, "--json", "--record"])
    assert tiers.exit_code == 0, tiers.output
    out = tmp_path / "export"
    result = runner.invoke(app, ["export", "parquet", str(out), "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    written = json.loads(result.output)
    assert set(written) == set(EXPORTED)
    assert written["runs"]["rows"] == 2 and written["determinations"]["rows"] > 0
    for name, model in EXPORTED.items():
        path = Path(written[name]["path"])
        expected = registry_rows(db_url, model)
        assert written[name]["rows"] == len(expected)
        keys = ", ".join(c.name for c in model.__table__.primary_key.columns)
        from_duckdb = duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY {keys}")
        assert from_duckdb.columns == [c.name for c in model.__table__.columns]
        assert from_duckdb.fetchall() == expected, name
        # the same values through pandas (dtypes differ from DuckDB's: ns times, NaN for null)
        pd.testing.assert_frame_equal(values(pd.read_parquet(path)), values(from_duckdb.df()))


def test_export_to_an_unwritable_place_is_a_clear_error(flipper_log, tmp_path):
    db_url = f"duckdb:///{tmp_path / 'r.duckdb'}"
    ingest([flipper_log], db_url)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = runner.invoke(app, ["export", "parquet", str(blocker / "out"), "--db", db_url])
    assert result.exit_code == 2
    assert "Fix:" in result.output
