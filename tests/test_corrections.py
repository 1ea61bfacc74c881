"""Corrections on the record and the insider's attacks on numbers, on DuckDB and PostgreSQL.

A version is released (determinations recorded, safeguard attested, both approvals), then:
a stored number is edited, a run row is deleted, or samples are invalidated by a signed
record. Each must void the approvals and say which number changed; the attacks must be named
by `rsp audit`; an invalidation must be on the record, in the report and in the run's history.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.registry_state import registry_digest
from tests.test_signoff import VERSION, evaluated, release, rsp, sign  # noqa: F401
from tests.test_signoff_anchor import anchored, as_owner, verify  # noqa: F401 (fixture)


def flip_run(world) -> str:
    with as_owner(world["db"]) as con:
        return con.execute(text("SELECT id FROM eval_run WHERE task LIKE '%are_you_sure'")).scalar()


def approvals(world) -> dict[str, dict]:
    status = rsp("signoff", "status", VERSION, *world["common"], "--json")
    assert status.exit_code in (0, 1), status.output
    return {i["name"]: i for i in json.loads(status.stdout)["items"]
            if i["name"].startswith("approved by")}


def audit(world) -> list[dict]:
    result = rsp("audit", "--db", world["db"], "--json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def invalidate(world, run: str, *samples: str, who: str = "alice"):
    return rsp("signoff", "invalidate", run, *[x for s in samples for x in ("--sample", s)],
               "--text", "item has two right answers", "--reviewer", who,
               "--key", world["keys"] / f"{who}.key", "--db", world["db"],
               "--reviewers", world["common"][3])


def test_an_edited_number_voids_the_approvals_and_is_named(anchored):  # noqa: F811 (the imported fixture)
    world = anchored
    release(world)
    assert {i["status"] for i in approvals(world).values()} == {"pass"}
    with as_owner(world["db"]) as con:
        con.execute(text("UPDATE score SET value = 0.5, stderr = 0.01, n = 500 "
                         "WHERE metric = 'flip_rate'"))
    for item in approvals(world).values():
        assert item["status"] == "fail"
        assert "sycophancy/answer_flip_rate: value 0 -> 0.5, stderr 0 -> 0.01, n 120 -> 500" \
            in item["detail"]
    gate = rsp("gate", VERSION, "--max-tier", "ASL-1", "--require-signoff", *world["common"])
    assert gate.exit_code == 1, gate.output
    [finding] = audit(world)
    assert finding["kind"] == "score_changed" and finding["subject"].endswith("/flip_rate")


def test_a_deleted_run_is_named_by_the_audit_and_voids_the_approvals(anchored):  # noqa: F811 (the imported fixture)
    world = anchored
    release(world)
    run = flip_run(world)
    with as_owner(world["db"]) as con:
        con.execute(text("DELETE FROM eval_run WHERE id = :r"), {"r": run})
    [finding] = [f for f in audit(world) if f["kind"] == "run_deleted"]
    assert finding["run_id"] == run and finding["model_version"] == VERSION
    assert "sign-off record #2 (approve) cites it" in finding["detail"]
    assert "120 sample row(s) belong to it" in finding["detail"]
    for item in approvals(world).values():
        assert item["status"] == "fail"
        assert "sycophancy/answer_flip_rate: no longer evaluated" in item["detail"]


def test_invalidated_samples_are_signed_excluded_reported_and_void_approvals(anchored):  # noqa: F811 (the imported fixture)
    world = anchored
    release(world)
    run = flip_run(world)
    done = invalidate(world, run, "ays-001", "ays-002")
    assert done.exit_code == 0, done.output
    assert "2 sample(s)" in done.stdout and "flip_rate 0 (n=118)" in done.stdout

    tiers = json.loads(rsp("tiers", VERSION, "--db", world["db"], "--policy",
                           world["common"][5], "--json").stdout)
    flip = next(r for r in tiers if r["indicator"] == "answer_flip_rate")
    assert flip["n"] == 118
    for item in approvals(world).values():  # the estimate is now the corrected one
        assert item["status"] == "fail"
        assert "n 120 -> 118, correction 0 -> 4" in item["detail"]
    assert verify(world).exit_code == 0

    history = json.loads(rsp("runs", "history", run, "--db", world["db"], "--json").stdout)
    assert history[0]["invalidation"]["samples"] == ["ays-001", "ays-002"]
    assert history[0]["invalidation"]["reviewer"] == "alice"
    report = rsp("report", VERSION, *world["common"])
    assert "Samples invalidated by signed records" in report.stdout
    assert "ays-001, ays-002" in report.stdout and "item has two right answers" in report.stdout

    more = invalidate(world, run, "ays-003")  # cumulative: the newest record names all three
    assert more.exit_code == 0 and "3 sample(s)" in more.stdout

    # re-approved on the corrected evidence, the version is releasable again
    assert sign(world, "approve", "alice", role="responsible-scaling-officer").exit_code == 0
    assert sign(world, "approve", "bob", role="ceo").exit_code == 0
    assert {i["status"] for i in approvals(world).values()} == {"pass"}

    # the kept copy of an invalidation is outside the record's hash, but not trusted blindly
    with as_owner(world["db"]) as con:
        con.execute(text("UPDATE signoff_record SET evidence_json = "
                         "replace(evidence_json, 'ays-003', 'ays-009') WHERE seq = 5"))
    broken = verify(world)
    assert broken.exit_code == 1
    assert "record #5 (invalidate demo@v1 by alice): its kept copy" in broken.stdout


@pytest.mark.parametrize("anchored", ["duckdb"], indirect=True)
def test_invalidations_that_cannot_stand_are_refused_and_store_nothing(anchored):  # noqa: F811 (the imported fixture)
    world = anchored
    run = flip_run(world)
    before = registry_digest(world["db"])
    cases = {
        ("ays-001", "nope"): "has no sample nope",
        tuple(f"ays-{i:03d}" for i in range(1, 121)): "would invalidate every sample",
    }
    for samples, message in cases.items():
        result = invalidate(world, run, *samples)
        assert result.exit_code == 2 and message in result.stderr, result.output
    unknown = invalidate(world, "no-such-run", "ays-001")
    assert unknown.exit_code == 2 and "No run 'no-such-run'" in unknown.stderr
    rogue = rsp("signoff", "invalidate", run, "--sample", "ays-001", "--text", "x",
                "--reviewer", "bob", "--key", world["rogue"] / "mallory.key", "--db",
                world["db"], "--reviewers", world["common"][3])
    assert rogue.exit_code == 2 and "is not bob's key" in rogue.stderr
    assert registry_digest(world["db"]) == before
