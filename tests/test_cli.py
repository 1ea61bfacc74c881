"""The CLI contract: names, JSON fields, exit codes, and errors that name the fix."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rsp.cli import app

runner = CliRunner()
FIELDS = {"model", "version", "domain", "indicator", "task", "metric", "value", "ci_low",
          "ci_high", "n", "tier", "verdict", "alert", "policy_sha256"}


def rsp(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def registry(flipper_log, steadfast_log, db_url) -> str:
    assert rsp("ingest", flipper_log, steadfast_log, "--db", db_url).exit_code == 0
    return db_url


def test_tiers_json_contract(registry):
    result = rsp("tiers", "--json", "--db", registry)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["model"] for r in rows} == {"mockllm/flipper", "mockllm/steadfast"}
    for row in rows:
        assert row.keys() >= FIELDS
        assert row["verdict"] in {"ruled_in", "ruled_out", "inconclusive", "not_evaluated",
                                  "insufficient_samples"}
    flip = next(r for r in rows if r["model"] == "mockllm/flipper"
                and r["indicator"] == "answer_flip_rate")
    assert (flip["value"], flip["tier"], flip["verdict"]) == (1.0, "ASL-3", "ruled_in")
    assert flip["ci_low"] > 0.9 and flip["n"] == 120


def test_tier_table_fits_the_console_with_every_column(registry):
    from rsp.cli import console

    result = rsp("tiers", "mockllm/flipper@v1", "--db", registry)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= console.width
    table = "".join(line.replace("│", "").replace(" ", "") for line in lines)
    assert "answer_fl" in table and "ruled_in" in table  # names fold, columns never vanish


def test_tiers_for_one_version_and_unknown_version(registry):
    result = rsp("tiers", "mockllm/steadfast@v1", "--db", registry)
    assert result.exit_code == 0 and "mockllm/steadfast@v1" in result.stdout
    missing = rsp("tiers", "mockllm/steadfast@v9", "--db", registry)
    assert missing.exit_code == 2
    assert "No model version 'mockllm/steadfast@v9'" in missing.stderr
    assert "mockllm/steadfast@v1" in missing.stderr  # the fix lists what exists


def test_gate_exit_codes(registry):
    assert rsp("gate", "mockllm/steadfast@v1", "--max-tier", "ASL-1", "--db", registry)\
        .exit_code == 0
    failing = rsp("gate", "mockllm/flipper@v1", "--max-tier", "ASL-2", "--db", registry)
    assert failing.exit_code == 1 and "answer_flip_rate" in failing.stdout
    assert rsp("gate", "mockllm/flipper@v1", "--max-tier", "ASL-3", "--db", registry)\
        .exit_code == 0
    assert rsp("gate", "mockllm/flipper@v1", "--max-tier", "ASL-9", "--db", registry)\
        .exit_code == 2
    assert rsp("gate", "nobody@v1", "--max-tier", "ASL-2", "--db", registry).exit_code == 2


def test_ingest_reports_failures_with_exit_2(flipper_log, db_url, tmp_path):
    bad = tmp_path / "cut.eval"
    bad.write_bytes(flipper_log.read_bytes()[:1000])
    result = rsp("ingest", bad, flipper_log, tmp_path / "nope", "--db", db_url)
    assert result.exit_code == 2
    assert "1 ingested" in result.stdout and "2 failed" in result.stdout
    assert "cut.eval" in result.stderr and "nope" in result.stderr
    rerun = rsp("ingest", flipper_log, "--db", db_url, "--json")
    assert rerun.exit_code == 0 and json.loads(rerun.stdout)[0]["outcome"] == "skipped"


def test_policy_validate(tmp_path):
    assert rsp("policy", "validate").exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("policy: {name: x, version: '1'}\ntiers: [{id: ASL-1}\n")
    result = rsp("policy", "validate", bad)
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr and "YAML syntax error" in result.stderr


def test_malformed_policy_stops_tiers(registry, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text(Path("policies/asl.yaml").read_text().replace("ASL-3: {", "ASL-7: {", 1))
    result = rsp("tiers", "--db", registry, "--policy", bad)
    assert result.exit_code == 2 and "unknown tier 'ASL-7'" in result.stderr


def test_unknown_model_fails_before_any_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = rsp("eval", "run", "--model", "nosuchprovider/model-x", "--limit", "1")
    assert result.exit_code == 2
    assert "nosuchprovider/model-x" in result.stderr and "Fix:" in result.stderr
    assert not (tmp_path / "rsp.duckdb").exists() and not (tmp_path / "logs").exists()


def test_unknown_suite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = rsp("eval", "run", "--suite", "astrology")
    assert result.exit_code == 2 and "Unknown suite 'astrology'" in result.stderr


def test_help_teaches():
    result = rsp("eval", "run", "--help")
    assert result.exit_code == 0
    for option in ("--model", "--suite", "--limit", "--model-version", "--log-dir", "--db"):
        assert option in result.stdout


def test_compare_two_versions(registry):
    result = rsp("compare", "mockllm/steadfast@v1", "mockllm/flipper@v1", "--db", registry,
                 "--json")
    assert result.exit_code == 0, result.output
    flip = next(r for r in json.loads(result.stdout) if r["indicator"] == "answer_flip_rate")
    assert flip["difference"] == 1.0 and flip["significant"]


@pytest.mark.parametrize("command", [["tiers"], ["gate", "m@v", "--max-tier", "ASL-2"],
                                     ["compare", "m@a", "m@b"], ["report", "m@v"],
                                     ["export", "parquet", "out"], ["signoff", "verify"],
                                     ["dashboard"]])
def test_an_unreachable_registry_is_exit_2_with_the_fix(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # were the dashboard to miss the refusal, it would exec Streamlit in place of this test
    monkeypatch.setattr(os, "execve", lambda *a: pytest.fail("served an unreachable registry"))
    (tmp_path / "reviewers.allowed").write_text("")
    result = rsp(*command, "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert result.exit_code == 2, result.output
    assert "Cannot use the registry database" in result.stderr and "Fix:" in result.stderr
