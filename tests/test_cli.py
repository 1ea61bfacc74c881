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
    assert flip["samples_to_decide"] is None  # decided: nothing more to collect
    steady = next(r for r in rows if r["model"] == "mockllm/steadfast"
                  and r["indicator"] == "answer_flip_rate")
    assert steady["verdict"] == "ruled_out" and steady["to_decide"] is None


def test_tiers_json_says_how_many_samples_would_decide(db_url, tmp_path):
    from tests.conftest import run_are_you_sure, steadfast

    log = run_are_you_sure(steadfast, tmp_path, limit=10, name="brief")
    assert rsp("ingest", log.location, "--db", db_url, "--model-version", "v1").exit_code == 0
    rows = json.loads(rsp("tiers", "mockllm/brief@v1", "--db", db_url, "--json").stdout)
    flip = next(r for r in rows if r["indicator"] == "answer_flip_rate")
    # 0 of 10 cannot rule out 0.10; 0 of 35 could, and the policy asks for 30 at least
    assert (flip["verdict"], flip["n"], flip["samples_to_decide"]) == (
        "insufficient_samples", 10, 35)
    assert flip["to_decide"] == "35 samples decide every undecided tier (now 10)"


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
    def gate(version: str, tier: str, *flags: str):
        return rsp("gate", version, "--max-tier", tier, *flags, "--db", registry)

    # one sycophancy task run, every capability indicator missing: the gate fails, naming them
    missing = gate("mockllm/steadfast@v1", "ASL-1")
    assert missing.exit_code == 1, missing.output
    text = " ".join(missing.stdout.split())
    assert "missing evidence: cyber/ctf_solve_rate" in text
    assert "incomplete evidence fails the gate" in text
    assert "ASL-4 not ruled out (cbrn, cyber, autonomy)" in text
    accepted = gate("mockllm/steadfast@v1", "ASL-1", "--accept-incomplete")
    assert accepted.exit_code == 0 and "accepted by --accept-incomplete" in accepted.stdout
    # sycophancy is a safeguards domain: the flipper's ASL-3 result asks for ASL-3 safeguards
    # and never raises the required tier
    flipper = gate("mockllm/flipper@v1", "ASL-1", "--accept-incomplete")
    assert flipper.exit_code == 0
    assert "ASL-3 safeguards required by sycophancy" in " ".join(flipper.stdout.split())
    assert "alert: sycophancy/answer_flip_rate" not in flipper.stdout  # ruled in, past alerting
    assert gate("mockllm/flipper@v1", "ASL-9").exit_code == 2
    assert gate("nobody@v1", "ASL-2").exit_code == 2


def test_gate_on_an_undefined_metric_is_a_verdict_not_a_traceback(db_url, tmp_path):
    """Every reply unparseable: feedback_sycophancy's rating_shift is undefined (the bundled
    model's case); the gate names it as missing evidence and exits 1."""
    from inspect_ai import eval as inspect_eval

    from evals.sycophancy.feedback_sycophancy import feedback_sycophancy
    from tests.scripted import scripted_model

    log = inspect_eval(feedback_sycophancy(), model=scripted_model(lambda m: "no idea", "mute"),
                       limit=6, log_dir=str(tmp_path), display="none")[0]
    assert rsp("ingest", log.location, "--db", db_url, "--model-version", "v1").exit_code == 0
    result = rsp("gate", "mockllm/mute@v1", "--max-tier", "ASL-4", "--db", db_url)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # typer's exit, not a crash
    assert "sycophancy/feedback_sycophancy: not evaluated (rating_shift is undefined" \
        in " ".join(result.stdout.split())


def test_tiers_close_with_completeness_and_assessment_due(registry):
    result = rsp("tiers", "mockllm/steadfast@v1", "--db", registry)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "nothing above ASL-1 ruled in · ASL-4 not ruled out (cbrn, cyber, autonomy)" in text
    assert "mockllm/steadfast@v1: ASL-1 on incomplete evidence" in text  # never a bare tier
    rows = json.loads(rsp("tiers", "mockllm/steadfast@v1", "--db", registry, "--json").stdout)
    missing = len(rows[0]["missing"])
    assert f"evidence incomplete: {missing} required indicator(s) not evaluated" in text
    assert "assessment due since mockllm/steadfast@v1" in text
    assert {r["evidence_complete"] for r in rows} == {False}
    assert "cyber/ctf_solve_rate" in rows[0]["missing"] and rows[0]["assessment_due"]
    assert (rows[0]["ruled_in_tier"], rows[0]["not_ruled_out_tier"]) == ("ASL-1", "ASL-4")


def test_model_register_a_checkpoint_before_any_eval(registry):
    made = rsp("model", "register", "mockllm/steadfast@ckpt-2", "--effective-compute", "4e21",
               "--release-date", "2026-11-01", "--db", registry)
    assert made.exit_code == 0, made.output
    assert "registered mockllm/steadfast@ckpt-2" in made.stdout
    assert "assessment due since mockllm/steadfast@v1" in made.stdout  # never complete
    again = rsp("model", "register", "mockllm/steadfast@ckpt-2", "--effective-compute", "4e21",
                "--db", registry)
    assert again.exit_code == 0 and "exists" in again.stdout
    changed = rsp("model", "register", "mockllm/steadfast@ckpt-2", "--effective-compute", "8e21",
                  "--db", registry)
    assert changed.exit_code == 2 and "not edited" in changed.stderr
    tiers = rsp("tiers", "mockllm/steadfast@ckpt-2", "--db", registry, "--json")
    assert {r["verdict"] for r in json.loads(tiers.stdout)} == {"not_evaluated"}
    for bad, message in ((["nover"], "names no version"),
                         (["m@v", "--release-date", "soon"], "not a date"),
                         (["m@v", "--effective-compute", "-1"], "not positive")):
        result = rsp("model", "register", *bad, "--db", registry)
        assert result.exit_code == 2 and message in result.stderr and "Fix:" in result.stderr


def test_task_arguments_are_typed_as_inspect_types_them():
    from rsp.cli import _task_args

    assert _task_args(["flag=false", "epochs=2", "sandbox=docker", "ids=a,b"]) == {
        "flag": False, "epochs": 2, "sandbox": "docker", "ids": ["a", "b"]}


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


def test_assessment_falls_due_when_compute_grows_past_the_policy_ratio(steadfast_log, db_url,
                                                                       tmp_path):
    """A policy whose only indicator the steadfast log decides: v1 is completely assessed and
    fresh (its run's stored completion time is read back from the database), until a
    checkpoint with 4x its effective compute is registered."""
    import yaml

    from registry.ingest import VersionInfo, ingest
    from registry.policy import DEFAULT_POLICY_PATH

    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["domains"] = [d for d in data["domains"] if d["id"] == "sycophancy"]
    data["domains"][0]["indicators"] = data["domains"][0]["indicators"][:1]
    data["signoff"]["release_rules"] = []
    data["signoff"]["safeguard_evidence"] = {}
    policy = tmp_path / "flip-only.yaml"
    policy.write_text(yaml.safe_dump(data))
    ingest([str(steadfast_log)], db_url, VersionInfo("s", "v1", effective_compute=1e21))

    complete = rsp("tiers", "s@v1", "--db", db_url, "--policy", policy, "--json")
    rows = json.loads(complete.stdout)
    assert rows[0]["evidence_complete"] and not rows[0]["assessment_due"], rows[0]
    grown = rsp("model", "register", "s@v2", "--effective-compute", "4e21", "--db", db_url,
                "--policy", policy)
    assert grown.exit_code == 0, grown.output
    text = " ".join(grown.stdout.split())
    assert "assessment due since s@v2: effective compute grew 4x from s@v1 to s@v2" in text


def test_reading_writes_nothing_and_recording_is_explicit(registry):
    """Queries leave the registry as it was, on both backends; `rsp tiers --record` stores
    the determinations (an explicit step, like every sign-off)."""
    from tests.registry_state import registry_digest

    before = registry_digest(registry)
    for command in (["tiers"], ["tiers", "--json"],
                    ["gate", "mockllm/steadfast@v1", "--max-tier", "ASL-3"],
                    ["compare", "mockllm/flipper@v1", "mockllm/steadfast@v1"],
                    ["plan", "mockllm/steadfast@v1"], ["audit"]):
        result = rsp(*command, "--db", registry)
        assert result.exit_code in (0, 1), result.output
        assert registry_digest(registry) == before, command
    assert rsp("tiers", "--record", "--db", registry).exit_code == 0
    assert registry_digest(registry) != before
