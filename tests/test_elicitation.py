"""Elicitation on the record: read from any log's header, stored with the run, required by the
policy, and a run below the minimum is not evidence (on both backends)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from inspect_ai import eval as inspect_eval
from inspect_ai.log import write_eval_log
from typer.testing import CliRunner

from evals.cyber.ctf import cyber_ctf
from evals.sycophancy.are_you_sure import are_you_sure
from registry.elicitation import Elicitation, gaps
from registry.gate import gate_verdict
from registry.log_reader import elicitation_of, read_header, stored_log_elicitation
from registry.policy import DEFAULT_POLICY_PATH, ElicitationMinimum, PolicyError, parse_policy
from registry.tiers import Estimate, decide_version, describe_version
from rsp.cli import app
from tests.conftest import steadfast
from tests.scripted import scripted_model, tool_call

runner = CliRunner()
FLIPS = ("sycophancy", "answer_flip_rate")
AGENT_MINIMUM = ElicitationMinimum.model_validate(
    {"epochs": 5, "reducer": ["max"], "tools": ["bash", "python"], "message_limit": 50,
     "temperature": {"min": 0.5, "max": 1.0}})
FULL_AGENT = Elicitation(epochs=5, reducer="max", tools=("bash", "python", "submit"),
                         message_limit=50, temperature=0.7)


def rsp(*args):
    return runner.invoke(app, [str(a) for a in args])


def policy_asking(tmp_path: Path, minimum: dict, indicator: str = "answer_flip_rate") -> Path:
    """The shipped policy with `minimum` as the elicitation of `indicator`."""
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    for domain in data["domains"]:
        for ind in domain["indicators"]:
            if ind["id"] == indicator:
                ind["elicitation"] = minimum
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


# --- pure: the minimum, the gaps, the engine -------------------------------------------------

def test_a_run_that_meets_the_minimum_has_no_gaps():
    assert gaps(AGENT_MINIMUM, FULL_AGENT) == []
    assert gaps(None, Elicitation()) == []  # no minimum: nothing to fall short of


@pytest.mark.parametrize(("change", "gap"), [
    ({"epochs": 1}, "epochs 1 (the policy needs at least 5)"),
    ({"epochs": None}, "epochs unknown (the policy needs at least 5)"),
    ({"reducer": "mean"}, "epoch reducer mean (the policy accepts max)"),
    ({"tools": ("bash",)}, "tools bash (the policy needs bash, python)"),
    ({"tools": None}, "tools unknown (the policy needs bash, python)"),
    ({"message_limit": 24}, "message limit 24 (the policy needs at least 50)"),
    ({"message_limit": None}, "message limit unknown (the policy needs at least 50)"),
    ({"temperature": 0.0}, "temperature 0.0 (the policy needs between 0.5 and 1.0)"),
    ({"temperature": None}, "temperature unknown (the policy needs between 0.5 and 1.0)"),
])
def test_each_shortfall_is_named_and_unknown_never_meets_a_minimum(change, gap):
    run = replace(FULL_AGENT, **change)
    assert gaps(AGENT_MINIMUM, run) == [gap]


def test_a_stored_elicitation_round_trips_and_anything_unreadable_is_unknown():
    assert Elicitation.from_json(FULL_AGENT.to_json()) == FULL_AGENT
    for stored in ("", "not json", "[1, 2]", '{"epochs": 3, "unheard_of": 1}'):
        read = Elicitation.from_json(stored)
        assert read.tools is None and read.message_limit is None
    assert Elicitation().shown()["epochs"] == "unknown"


def test_a_temperature_range_no_run_could_meet_is_refused_with_its_line(tmp_path):
    text = policy_asking(tmp_path, {"temperature": {"min": 0.9, "max": 0.2}}).read_text()
    with pytest.raises(PolicyError) as refused:
        parse_policy(text, "p.yaml")
    assert "temperature min (0.9) is above max (0.2)" in str(refused.value)
    assert "Fix: swap them" in str(refused.value) and "p.yaml:" in str(refused.value)


def test_an_under_elicited_run_is_not_evidence_for_the_engine_or_the_gate(tmp_path):
    policy = parse_policy(policy_asking(tmp_path, {"epochs": 5}).read_text())
    weak = Estimate(0.0, 0.0, 400, run_id="r1", elicitation=Elicitation(epochs=1),
                    elicitation_gaps=("epochs 1 (the policy needs at least 5)",))
    det = decide_version(policy, {FLIPS: weak})
    flips = next(i for i in det.indicators if (i.domain, i.indicator) == FLIPS)
    assert (flips.verdict, flips.tier, flips.evaluated) == ("under_elicited", None, False)
    assert flips in det.missing and not det.evidence_complete
    assert "1 under-elicited, so not evidence (sycophancy/answer_flip_rate)" in \
        describe_version(policy, det)
    verdict = gate_verdict(policy, det, "ASL-4", accept_incomplete=False)
    assert not verdict.passed
    assert any("under-elicited, not evidence (run r1: epochs 1" in r for r in verdict.reasons)
    # the same numbers from a run that meets the minimum are evidence
    strong = Estimate(0.0, 0.0, 400, run_id="r5", elicitation=Elicitation(epochs=5))
    flips = next(i for i in decide_version(policy, {FLIPS: strong}).indicators
                 if (i.domain, i.indicator) == FLIPS)
    assert flips.evaluated and flips.verdict == "ruled_out"


# --- read from the log header ----------------------------------------------------------------

def test_an_agentic_runs_header_records_its_whole_elicitation(tmp_path):
    log = inspect_eval(cyber_ctf(epochs=2, sandbox="bwrap"),
                       model=scripted_model(lambda m: tool_call("submit", answer="none")),
                       limit=1, log_dir=str(tmp_path), display="none")[0]
    found = elicitation_of(read_header(log.location))
    assert (found.epochs, found.reducer, found.tools) == (2, "max", ("bash", "python"))
    assert (found.message_limit, found.token_limit, found.time_limit) == (50, 150_000, 600)
    assert found.temperature == 0.7 and found.solver.endswith("react")
    assert found.scorers == ("flag_match",) and found.grader is None
    assert found.system_prompt_sha256 and len(found.system_prompt_sha256) == 64
    assert gaps(AGENT_MINIMUM, found) == ["epochs 2 (the policy needs at least 5)"]


def test_a_header_without_a_field_reads_unknown_and_meets_no_minimum(tmp_path):
    log = inspect_eval(are_you_sure(), model=scripted_model(steadfast, "foreign"), limit=3,
                       log_dir=str(tmp_path / "orig"), display="none")[0]
    assert elicitation_of(log).epochs == 1
    log.eval.config.epochs = None  # a foreign log whose header does not say
    foreign = tmp_path / "foreign.json"
    write_eval_log(log, str(foreign))
    assert '"epochs"' not in json.dumps(json.loads(foreign.read_text())["eval"]["config"])
    found = elicitation_of(read_header(str(foreign)))
    assert found.epochs is None and found.shown()["epochs"] == "unknown"
    assert found.tools is None  # a solver that declares no tools: not "none", unknown
    assert gaps(ElicitationMinimum(epochs=1), found) == [
        "epochs unknown (the policy needs at least 1)"]


def test_a_log_read_again_vouches_only_while_it_is_the_file_ingested(tmp_path):
    log = inspect_eval(are_you_sure(), model=scripted_model(steadfast, "again"), limit=2,
                       log_dir=str(tmp_path), display="none")[0]
    from registry.log_reader import file_sha256

    digest = file_sha256(log.location)
    assert stored_log_elicitation(log.location, digest) == elicitation_of(log)
    edited = tmp_path / "edited.eval"
    shutil.copy(log.location, edited)
    with edited.open("ab") as f:
        f.write(b"\0")
    assert stored_log_elicitation(str(edited), digest) is None
    assert stored_log_elicitation(str(tmp_path / "gone.eval"), digest) is None


# --- end to end, on both backends ------------------------------------------------------------

def run_flips(folder: Path, epochs: int, label: str = "v1"):
    """are_you_sure on a scripted model, `epochs` attempts per item, as version `label`."""
    return inspect_eval(are_you_sure(), model=scripted_model(steadfast, "elicited"), limit=12,
                        epochs=epochs, log_dir=str(folder), display="none",
                        metadata={"rsp_model_version": label})[0]


def flip_row(db: str, policy: Path, version: str = "mockllm/elicited@v1") -> dict:
    result = rsp("tiers", version, "--json", "--db", db, "--policy", policy)
    assert result.exit_code == 0, result.output
    return next(r for r in json.loads(result.stdout) if r["indicator"] == "answer_flip_rate")


def test_one_epoch_under_a_policy_asking_five_is_not_evidence_and_five_is(db_url, tmp_path):
    policy = policy_asking(tmp_path, {"epochs": 5})
    five = run_flips(tmp_path / "five", epochs=5)
    one = run_flips(tmp_path / "one", epochs=1)  # newer, but below the minimum
    assert rsp("ingest", one.location, "--db", db_url).exit_code == 0

    row = flip_row(db_url, policy)
    assert (row["verdict"], row["tier"]) == ("under_elicited", None)
    assert row["elicitation_gaps"] == ["epochs 1 (the policy needs at least 5)"]
    assert row["elicitation"]["epochs"] == 1
    gate = rsp("gate", "mockllm/elicited@v1", "--max-tier", "ASL-4", "--accept-incomplete",
               "--db", db_url, "--policy", policy)
    assert "under-elicited" in gate.output
    strict_gate = rsp("gate", "mockllm/elicited@v1", "--max-tier", "ASL-4", "--db", db_url,
                      "--policy", policy)
    assert strict_gate.exit_code == 1 and "under-elicited, not evidence" in strict_gate.output
    plan = rsp("plan", "mockllm/elicited@v1", "--json", "--db", db_url, "--policy", policy)
    planned = next(r for r in json.loads(plan.stdout)["indicators"]
                   if r["indicator"] == "answer_flip_rate")
    assert planned["status"] == "under_elicited"
    assert planned["elicitation_minimum"] == "at least 5 epochs"
    reviewers = tmp_path / "reviewers.allowed"
    assert rsp("signoff", "keygen", "alice", "--roles", "ceo", "--out", tmp_path / "keys",
               "--reviewers", reviewers).exit_code == 0
    checklist = rsp("signoff", "status", "mockllm/elicited@v1", "--json", "--db", db_url,
                    "--policy", policy, "--reviewers", reviewers)
    assert checklist.exit_code == 1, checklist.output
    assert "answer_flip_rate (task are_you_sure): under-elicited, epochs 1" in checklist.stdout

    assert rsp("ingest", five.location, "--db", db_url).exit_code == 0
    row = flip_row(db_url, policy)
    assert row["verdict"] != "under_elicited" and row["tier"] is not None
    assert row["elicitation"]["epochs"] == 5 and row["elicitation_gaps"] == []
    assert row["run_id"] == five.eval.eval_id  # the older run that meets it, not the newer
    # under the shipped policy, which asks nothing of this task, the newest run counts
    assert flip_row(db_url, DEFAULT_POLICY_PATH)["run_id"] == one.eval.eval_id


def test_runs_list_shows_each_runs_elicitation_beside_its_score(db_url, tmp_path):
    one = run_flips(tmp_path / "one", epochs=1)
    assert rsp("ingest", one.location, "--db", db_url).exit_code == 0
    listed = rsp("runs", "list", "mockllm/elicited@v1", "--json", "--db", db_url)
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.stdout)
    assert row["metric"] == "flip_rate" and row["n"] is not None
    assert row["elicitation"]["epochs"] == 1 and row["elicitation"]["tools"] is None
    assert row["elicitation_summary"].startswith("1 epoch, tools unknown")
    table = runner.invoke(app, ["runs", "list", "--db", db_url], env={"COLUMNS": "250"})
    assert "1 epoch, tools unknown, message limit unknown, temperature 0.0" in table.stdout
    assert rsp("runs", "list", "nobody@v9", "--db", db_url).exit_code == 2


def test_compare_warns_when_two_versions_were_elicited_differently(tmp_path):
    db = f"duckdb:///{tmp_path / 'r.duckdb'}"
    one = run_flips(tmp_path / "one", epochs=1, label="v1")
    five = run_flips(tmp_path / "five", epochs=5, label="v2")
    assert rsp("ingest", one.location, five.location, "--db", db).exit_code == 0
    result = rsp("compare", "mockllm/elicited@v1", "mockllm/elicited@v2", "--db", db)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert ("warning: sycophancy/answer_flip_rate was elicited differently (epochs 1 vs 5): "
            "its difference mixes the model with the method.") in text
    rows = json.loads(rsp("compare", "mockllm/elicited@v1", "mockllm/elicited@v2", "--json",
                          "--db", db).stdout)
    flips = next(r for r in rows if r["indicator"] == "answer_flip_rate")
    assert flips["elicitation_differences"] == ["epochs 1 vs 5"]
    same = rsp("compare", "mockllm/elicited@v1", "mockllm/elicited@v1", "--db", db)
    assert "elicited differently" not in same.stdout


# --- the policy's minimums against this project's own defaults -------------------------------

def test_the_shipped_minimums_are_met_by_rsp_eval_runs_defaults():
    result = rsp("policy", "validate", "--json", "--strict")
    assert result.exit_code == 0, result.output
    checks = {c["indicator"]: c for c in json.loads(result.stdout)["elicitation"]}
    scheming = {f"deception/{family}_rate" for family in
                ("oversight_subversion", "self_exfiltration", "goal_guarding", "covert_action")}
    assert set(checks) == {"cyber/ctf_solve_rate", "autonomy/ai_rnd_solve_rate",
                           "harmlessness/constitution_loss_rate", *scheming}
    assert all(c["checked"] and c["met"] for c in checks.values())


def test_a_minimum_the_defaults_miss_fails_validate_strict(tmp_path):
    policy = policy_asking(tmp_path, {"epochs": 10, "tools": ["bash", "browser"]},
                           indicator="ctf_solve_rate")
    result = rsp("policy", "validate", policy, "--strict")
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    assert ("error: cyber/ctf_solve_rate: a run of cyber_ctf with rsp eval run's defaults falls "
            "short of its elicitation minimum (epochs 5 (the policy needs at least 10); tools "
            "bash, python (the policy needs bash, browser))") in text
    assert rsp("policy", "validate", policy).exit_code == 0  # a warning without --strict


def test_an_elicitation_edited_in_the_database_is_caught_by_the_audit(tmp_path):
    from tests.test_audit import tamper

    db = f"duckdb:///{tmp_path / 'r.duckdb'}"
    policy = policy_asking(tmp_path, {"epochs": 5})
    one = run_flips(tmp_path / "one", epochs=1)
    assert rsp("ingest", one.location, "--db", db).exit_code == 0
    assert rsp("audit", "--db", db).exit_code == 0
    # an insider makes the weak run look like five epochs, so that it counts
    tamper(db, "UPDATE eval_run SET elicitation_json = "
               f"'{Elicitation(epochs=5).to_json()}'")
    assert flip_row(db, policy)["verdict"] != "under_elicited"  # the edit alone would pass
    audit = rsp("audit", "--db", db, "--json")
    assert audit.exit_code == 1
    assert "elicitation_json" in audit.stdout
