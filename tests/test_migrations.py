"""Schema versions: a registry written before migrations existed is upgraded with every row and
the sign-off chain intact, a registry at another version is refused with the command that fixes
it, and the migrations build exactly the tables the models describe, on both backends."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel
from typer.testing import CliRunner

from registry.db import forget_schema, make_engine, open_session, resolve_db_url
from registry.schema_version import SCHEMA_HEAD, script_head
from rsp.cli import app
from tests.test_signoff import small_policy

FIXTURE = Path(__file__).parent / "data" / "registry_e7dde8f"
TABLES = ("model_line", "model_version", "eval_run", "score", "sample", "determination",
          "signoff_record")
runner = CliRunner()


def rsp(*args):
    return runner.invoke(app, [str(a) for a in args])


def old_registry(folder: Path) -> Path:
    """The fixture registry, as commit e7dde8f wrote it (see its make.py)."""
    path = folder / "registry.duckdb"
    path.write_bytes(gzip.decompress((FIXTURE / "registry.duckdb.gz").read_bytes()))
    return path


def rows(path: Path) -> dict[str, list[dict]]:
    """Every row of every registry table, keyed by column name, in primary-key order."""
    with duckdb.connect(str(path), read_only=True) as con:
        out = {}
        for table in TABLES:
            cursor = con.execute(f"SELECT * FROM {table} ORDER BY 1")
            names = [d[0] for d in cursor.description]
            out[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return out


def test_the_constant_names_the_newest_migration():
    assert script_head() == SCHEMA_HEAD


def test_a_registry_from_e7dde8f_is_upgraded_with_everything_kept(tmp_path):
    path = old_registry(tmp_path)
    db = f"duckdb:///{path}"
    before = rows(path)
    assert before["eval_run"] and before["sample"] and before["determination"]
    assert [r["kind"] for r in before["signoff_record"]] == ["attest", "approve", "approve"]

    refused = rsp("tiers", "--db", db)
    assert refused.exit_code == 2
    assert "made before rsp-registry had schema versions" in refused.stderr
    assert f"rsp db upgrade --db {db}" in refused.stderr
    assert rows(path) == before  # refusing wrote nothing

    status = rsp("db", "status", "--db", db, "--json")
    assert status.exit_code == 1 and json.loads(status.stdout)["current"] is False
    upgraded = rsp("db", "upgrade", "--db", db)
    assert upgraded.exit_code == 0, upgraded.output
    assert f"to {SCHEMA_HEAD}" in upgraded.stdout
    assert rsp("db", "status", "--db", db).exit_code == 0

    after = rows(path)
    for table in TABLES:  # every old column of every row is as it was
        assert [{k: r[k] for k in old} for r, old in zip(after[table], before[table],
                                                         strict=True)] == before[table]
    assert all(r["eval_id"] == r["id"] and r["revision"] == 1 and r["superseded_by"] is None
               for r in after["eval_run"])

    reviewers = FIXTURE / "reviewers.allowed"
    verify = rsp("signoff", "verify", "--db", db, "--reviewers", reviewers, "--no-witness")
    assert verify.exit_code == 0 and "intact 3 sign-off records" in verify.stdout
    status = rsp("signoff", "status", "demo@v1", "--db", db, "--reviewers", reviewers,
                 "--policy", small_policy(tmp_path / "policy.yaml"), "--json")
    assert status.exit_code == 1
    approvals = {i["name"]: i for i in json.loads(status.stdout)["items"]
                 if i["name"].startswith("approved by")}
    assert {i["status"] for i in approvals.values()} == {"fail"}
    assert all("void" in i["detail"] and "before approvals itemised" in i["detail"]
               for i in approvals.values())


def test_a_registry_from_a_newer_release_is_refused(tmp_path):
    db = f"duckdb:///{tmp_path / 'r.duckdb'}"
    assert rsp("model", "register", "demo@v1", "--db", db).exit_code == 0
    with duckdb.connect(str(tmp_path / "r.duckdb")) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    forget_schema(resolve_db_url(db))  # this process checked it before the change
    for command in (["tiers"], ["db", "upgrade"]):
        result = rsp(*command, "--db", db)
        assert result.exit_code == 2
        assert "schema 9999, which is newer than this rsp-registry knows" in result.stderr
        assert "Traceback" not in result.output


def test_upgrading_a_missing_registry_creates_nothing(tmp_path):
    result = rsp("db", "upgrade", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 2 and "No registry at" in result.stderr
    assert not (tmp_path / "none.duckdb").exists()


def _catalog(path: Path) -> tuple[list, list]:
    """DuckDB's own description of the tables (SQLAlchemy cannot reflect DuckDB columns)."""
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
            "WHERE table_name != 'alembic_version' ORDER BY ALL").fetchall()
        indexes = con.execute("SELECT table_name, index_name, is_unique, expressions "
                              "FROM duckdb_indexes() ORDER BY ALL").fetchall()
    return columns, indexes


def test_duckdb_migrations_build_what_the_models_describe(tmp_path):
    with open_session(f"duckdb:///{tmp_path / 'migrated.duckdb'}"):
        pass  # a new registry is created by the migrations
    engine = make_engine(f"duckdb:///{tmp_path / 'models.duckdb'}")
    with engine.begin() as connection:
        SQLModel.metadata.create_all(connection)
    engine.dispose()
    migrated = _catalog(tmp_path / "migrated.duckdb")
    assert migrated == _catalog(tmp_path / "models.duckdb")
    assert ("eval_run", "ix_eval_run_eval_id", False, "[eval_id]") in migrated[1]


def test_postgresql_migrations_build_what_the_models_describe(postgres):
    url = resolve_db_url(postgres.new_database())
    with open_session(url):
        pass
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, SQLModel.metadata) == []
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == SCHEMA_HEAD
    finally:
        engine.dispose()


def test_a_postgresql_registry_from_before_is_upgraded_and_guarded(postgres):
    """A baseline PostgreSQL registry (as releases before migrations made it, with no guard)
    keeps its rows through the upgrade and then refuses to change a sign-off."""
    from alembic import command

    from registry.schema_version import _config

    url = resolve_db_url(postgres.new_database())
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0001")
            connection.execute(text("DROP TABLE alembic_version"))  # as it was: unversioned
            connection.execute(text(
                "INSERT INTO signoff_record VALUES (1, 'p', 'approve', 'demo@v1', 'ceo', 't', "
                "'bob', 'e', 'c', 'h', 's')"))  # the 11 columns of the baseline
        assert rsp("tiers", "--db", url).exit_code == 2
        assert rsp("db", "upgrade", "--db", url).exit_code == 0
        with engine.connect() as connection:
            assert connection.execute(text(
                "SELECT text, evidence_json FROM signoff_record")).one() == ("t", "")
            with pytest.raises(Exception, match="append-only"):
                connection.execute(text("DELETE FROM signoff_record"))
    finally:
        engine.dispose()
