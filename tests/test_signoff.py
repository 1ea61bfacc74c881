"""Sign-off: roles and separation of duties enforced, approvals voided by new evidence, and
every kind of tampering with the records detected and named."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from registry.ingest import VersionInfo, ingest
from registry.policy import DEFAULT_POLICY_PATH
from rsp.cli import app
from tests.conftest import run_are_you_sure, steadfast
from tests.scripted import scripted_model
from tests.test_alignment_tasks import SB

runner = CliRunner()
VERSION = "demo@v1"


def rsp(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def small_policy(path: Path) -> Path:
    """The default policy cut to sycophancy and deception, with a safeguard at ASL-1."""
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["domains"] = [d for d in data["domains"] if d["id"] in ("sycophancy", "deception")]
    for d in data["domains"]:
        d["indicators"] = [i for i in d["indicators"]
                           if i["id"] in ("answer_flip_rate", "sandbagging_drop")]
    data["tiers"][0]["safeguards"] = ["model-card-published"]
    data["signoff"]["safeguard_evidence"] = {}
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory) -> Path:
    """A registry with one version whose evals 'eve' ran (built once, copied per test)."""
    from inspect_ai import eval as inspect_eval

    from evals.deception.sandbagging import sandbagging

    folder = tmp_path_factory.mktemp("evaluated")
    db = f"duckdb:///{folder / 'r.duckdb'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RSP_USER", "eve")
        info = VersionInfo("demo", "v1")
        ingest([run_are_you_sure(steadfast, folder / "a").location], db, info)
        honest = inspect_eval(sandbagging(), model=scripted_model(lambda m: SB(m)["answer"]),
                              log_dir=str(folder / "b"), display="none")[0]
        ingest([honest.location], db, info)
    return folder / "r.duckdb"


@pytest.fixture
def world(tmp_path, evaluated):
    """A copy of the evaluated registry, and four key holders (three on the list)."""
    shutil.copy(evaluated, tmp_path / "r.duckdb")
    return keyholders(tmp_path, f"duckdb:///{tmp_path / 'r.duckdb'}")


def keyholders(tmp_path: Path, db: str) -> dict:
    """The registry at `db` with four key holders (three on the list), as `world` has it."""
    reviewers = tmp_path / "reviewers.allowed"
    keys = tmp_path / "keys"
    for who, roles in (("alice", "responsible-scaling-officer"), ("bob", "ceo"),
                       ("eve", "responsible-scaling-officer")):
        assert rsp("signoff", "keygen", who, "--roles", roles, "--out", keys,
                   "--reviewers", reviewers).exit_code == 0
    assert rsp("signoff", "keygen", "mallory", "--roles", "ceo", "--out",
               tmp_path / "rogue").exit_code == 0
    common = ["--db", db, "--reviewers", reviewers, "--policy", small_policy(tmp_path / "p.yaml")]
    return {"db": db, "keys": keys, "rogue": tmp_path / "rogue", "common": common,
            "path": tmp_path}


def sign(world, kind, who, key=None, **options):
    key = key or world["keys"] / f"{who}.key"
    flags = [x for k, v in options.items() for x in (f"--{k}", v)]
    return rsp("signoff", kind, VERSION, *flags, "--text", f"{kind} by {who}", "--reviewer", who,
               "--key", key, *world["common"])


def release(world):
    """Record the determinations under the current policy, then sign everything needed."""
    tiers = rsp("tiers", VERSION, "--db", world["db"], "--policy", world["common"][5])
    assert tiers.exit_code == 0, tiers.output
    assert sign(world, "attest", "alice", safeguard="model-card-published").exit_code == 0
    assert sign(world, "approve", "alice", role="responsible-scaling-officer").exit_code == 0
    assert sign(world, "approve", "bob", role="ceo").exit_code == 0


def test_keygen_writes_a_private_key_only_its_owner_reads(world):
    mode = stat.S_IMODE((world["keys"] / "alice.key").stat().st_mode)
    assert mode == 0o600


def test_full_sign_off_makes_the_version_releasable(world):
    before = rsp("signoff", "status", VERSION, *world["common"])
    assert before.exit_code == 1 and "NOT RELEASABLE" in before.stdout, before.output
    release(world)
    after = rsp("signoff", "status", VERSION, *world["common"], "--json")
    assert after.exit_code == 0, after.stdout
    gate = rsp("gate", VERSION, "--max-tier", "ASL-1", "--require-signoff", *world["common"])
    assert gate.exit_code == 0, gate.stdout
    assert rsp("signoff", "verify", "--db", world["db"], "--reviewers",
               world["common"][3]).exit_code == 0


@pytest.mark.parametrize(("who", "role", "key", "message"), [
    ("eve", "responsible-scaling-officer", None, "separation of duties"),
    ("bob", "responsible-scaling-officer", None, "does not hold the role"),
    ("alice", "janitor", None, "not a sign-off role"),
    ("mallory", "ceo", "rogue", "not in"),
    ("alice", "responsible-scaling-officer", "bob", "is not alice's key"),
])
def test_refused_approvals(world, who, role, key, message):
    key_file = {None: None, "rogue": world["rogue"] / "mallory.key",
                "bob": world["keys"] / "bob.key"}[key]
    result = sign(world, "approve", who, key=key_file, role=role)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    chain = duckdb.connect(world["db"].removeprefix("duckdb:///")).execute(
        "SELECT count(*) FROM signoff_record").fetchone()[0]
    assert chain == 0  # nothing was stored


def test_only_inconclusive_indicators_can_be_waived(world):
    result = sign(world, "waive", "alice", indicator="sycophancy/answer_flip_rate")
    assert result.exit_code == 2 and "not an inconclusive indicator" in result.stderr


def test_new_evidence_voids_an_approval(world, tmp_path, monkeypatch):
    release(world)
    monkeypatch.setenv("RSP_USER", "eve")
    ingest([run_are_you_sure(steadfast, tmp_path / "rerun").location], world["db"],
           VersionInfo("demo", "v1"))
    status = rsp("signoff", "status", VERSION, *world["common"])
    assert status.exit_code == 1 and "void" in status.stdout


TAMPERING = {
    "edited": ["UPDATE signoff_record SET text = 'nothing to see' WHERE seq = 2"],
    "deleted": ["DELETE FROM signoff_record WHERE seq = 2"],
    "reordered": ["UPDATE signoff_record SET seq = 99 WHERE seq = 2",
                  "UPDATE signoff_record SET seq = 2 WHERE seq = 3",
                  "UPDATE signoff_record SET seq = 3 WHERE seq = 99"],
    "replayed for another version": ["UPDATE signoff_record SET model_version = 'demo@v2' "
                                     "WHERE seq = 3"],
    "role swapped": ["UPDATE signoff_record SET subject = 'ceo' WHERE seq = 2"],
}


@pytest.mark.parametrize("attack", list(TAMPERING))
def test_tampering_with_the_database_file_is_detected(world, attack):
    release(world)
    path = Path(world["db"].removeprefix("duckdb:///"))
    with duckdb.connect(str(path)) as con:
        for statement in TAMPERING[attack]:
            con.execute(statement)
    result = rsp("signoff", "verify", "--db", world["db"], "--reviewers", world["common"][3])
    assert result.exit_code == 1 and "TAMPERED" in result.stdout
    assert "record #" in result.stdout
    # and nothing can be signed on a broken chain
    more = sign(world, "approve", "bob", role="ceo")
    assert more.exit_code == 2 and "chain is broken" in more.stderr


def test_forged_record_is_detected(world):
    """A record appended with a key that is not on the list, in the name of a listed
    reviewer, has a valid hash link but not a valid signature."""
    from registry.signoff import GENESIS, Record, load_private_key
    from registry.signoff import sign as sign_record

    forged = sign_record(Record(1, GENESIS, "approve", VERSION, "ceo", "trust me", "bob",
                                "0" * 64, "2026-11-22T00:00:00+00:00"),
                         load_private_key(world["rogue"] / "mallory.key"))
    with duckdb.connect(world["db"].removeprefix("duckdb:///")) as con:
        con.execute("INSERT INTO signoff_record (seq, prev_hash, kind, model_version, "
                    "subject, text, reviewer, evidence_sha256, created_at, record_hash, "
                    "signature) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [forged.seq, forged.prev_hash, forged.kind, forged.model_version,
                     forged.subject, forged.text, forged.reviewer, forged.evidence_sha256,
                     forged.created_at, forged.record_hash, forged.signature])
    result = rsp("signoff", "verify", "--db", world["db"], "--reviewers", world["common"][3])
    assert result.exit_code == 1 and "signature does not verify with bob's key" in result.stdout


def test_capability_report_reads_well_and_is_safe(world):
    release(world)
    md = rsp("report", VERSION, *world["common"])
    assert md.exit_code == 0, md.output
    for section in ("# Capability report: demo@v1", "## Determinations by domain",
                    "## Trends across the model line", "## Release checklist", "## Sign-offs",
                    "## Reproducibility", "Chain: intact"):
        assert section in md.stdout
    assert "approve | responsible-scaling-officer | alice" in md.stdout
    # the small policy's two indicators both ran on enough samples, just now
    assert "- Evidence: complete" in md.stdout
    assert "- Re-assessment: not due (last complete assessment: demo@v1)" in md.stdout
    assert "- Determination: nothing above ASL-1 ruled in · every higher tier ruled out" \
        in md.stdout
    out = world["path"] / "report.html"
    html_result = rsp("report", VERSION, "--format", "html", "--out", out, *world["common"])
    assert html_result.exit_code == 0
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "<table>" in page
    assert "<script" not in page


def test_a_report_that_cannot_verify_the_chain_counts_no_signoff(world):
    """Without the reviewers file the signatures cannot be checked, so the report says the
    chain is not verified and lets no approval pass, instead of reading as releasable."""
    release(world)
    common = [*world["common"][:2], "--reviewers", world["path"] / "missing.allowed",
              *world["common"][4:]]
    md = rsp("report", VERSION, *common)
    assert md.exit_code == 0, md.output
    assert "Chain: not verified" in md.stdout
    assert "| sign-off records verify | fail |" in md.stdout
    assert "| approved by ceo | pending | no decision yet |" in md.stdout


def test_editing_a_stored_score_voids_the_approval(world):
    """Approvals are bound to the numbers they rest on, not only to runs and log hashes."""
    import duckdb

    release(world)
    assert rsp("signoff", "status", VERSION, *world["common"]).exit_code == 0
    # the insider's edit from issue 13, straight into the registry file
    with duckdb.connect(str(world["path"] / "r.duckdb")) as con:
        con.execute("UPDATE score SET value = 0, stderr = 0, n = 500 WHERE metric = 'flip_rate'")
    after = rsp("signoff", "status", VERSION, *world["common"], "--json")
    assert after.exit_code == 1, after.stdout
    items = {i["name"]: i for i in json.loads(after.stdout)["items"]}
    for role, who in (("responsible-scaling-officer", "alice"), ("ceo", "bob")):
        approval = items[f"approved by {role}"]
        assert approval["status"] == "fail"
        assert f"approval by {who} is void: the evidence changed since" in approval["detail"]
    gate = rsp("gate", VERSION, "--max-tier", "ASL-1", "--require-signoff", *world["common"])
    assert gate.exit_code == 1
