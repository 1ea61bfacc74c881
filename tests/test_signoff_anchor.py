"""Sign-off chain heads: cutting the newest records off the chain is detected from any head a
reviewer, a report or a witness kept, on DuckDB and PostgreSQL; PostgreSQL itself refuses
UPDATE and DELETE of sign-off rows, and a read-only role reads but cannot write."""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from registry.db import (
    is_postgres,
    make_engine,
    open_session,
    resolve_db_url,
)
from registry.ingest import VersionInfo, ingest
from registry.signoff import (
    EMPTY_HEAD,
    GENESIS,
    Head,
    Record,
    SignoffError,
    chain_head,
    extension_problems,
    load_private_key,
    parse_head,
)
from registry.signoff import sign as sign_record
from registry.signoff_store import read_chain
from tests.conftest import fresh_registry
from tests.test_signoff import (  # noqa: F401 (evaluated is a fixture)
    VERSION,
    evaluated,
    keyholders,
    release,
    rsp,
    sign,
)

HEAD = re.compile(r"chain head ([0-9]+:[0-9a-f]{64})", re.IGNORECASE)
COLUMNS = list(Record.__dataclass_fields__)
# what does not depend on the backend runs on DuckDB only
duckdb_only = pytest.mark.parametrize("anchored", ["duckdb"], indirect=True)


@pytest.fixture(params=["duckdb", "postgresql"])
def anchored(request, tmp_path, evaluated, monkeypatch):  # noqa: F811 (the imported fixture)
    """`world` of test_signoff on either backend: the evaluated version and its key holders."""
    if request.param == "duckdb":
        shutil.copy(evaluated, tmp_path / "r.duckdb")
        db = f"duckdb:///{tmp_path / 'r.duckdb'}"
    else:
        db = fresh_registry("postgresql", request, tmp_path)
        with monkeypatch.context() as mp:
            mp.setenv("RSP_USER", "eve")  # as in `evaluated`: eve ran the evals
            results = ingest([evaluated.parent / "a", evaluated.parent / "b"], db,
                             VersionInfo("demo", "v1"))
        assert [r.outcome for r in results] == ["ingested", "ingested"], results
    return keyholders(tmp_path, db)


def signed_chain(world) -> list[str]:
    """Four records, the CEO's reject last (so the version is not releasable); the head each
    signing step printed, in order."""
    release(world)  # 1 attest (alice), 2 approve RSO (alice), 3 approve CEO (bob)
    reject = sign(world, "reject", "bob", role="ceo")
    assert reject.exit_code == 0, reject.output
    heads = [json.loads(line)["head"] for line in witness_file().read_text().splitlines()]
    assert len(heads) == 4 and HEAD.search(reject.stdout)[1] == heads[-1]
    return heads


def witness_file() -> Path:
    """The witness file of this test (conftest's private_witness)."""
    return Path(os.environ["RSP_WITNESS"])


@contextmanager
def as_owner(db: str) -> Iterator[Connection]:
    """A connection of someone who owns the database: on PostgreSQL the superuser, with
    triggers off (session_replication_role = replica), as an attacker would hold it."""
    url = resolve_db_url(db)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if is_postgres(url):
                connection.execute(text("SET session_replication_role = replica"))
            yield connection
    finally:
        engine.dispose()


def stored(db: str, seq: int) -> dict:
    with as_owner(db) as con:
        return dict(con.execute(text("SELECT * FROM signoff_record WHERE seq = :s"),
                                {"s": seq}).mappings().one())


def insert(db: str, row: dict) -> None:
    with as_owner(db) as con:
        con.execute(text(f"INSERT INTO signoff_record ({', '.join(COLUMNS)}) VALUES "
                         f"({', '.join(':' + c for c in COLUMNS)})"), row)


def delete_from(db: str, seq: int) -> None:
    with as_owner(db) as con:
        con.execute(text("DELETE FROM signoff_record WHERE seq >= :s"), {"s": seq})


def verify(world, *args):
    return rsp("signoff", "verify", "--db", world["db"], "--reviewers", world["common"][3], *args)


def test_every_step_prints_the_head_and_the_witness_keeps_it(anchored):
    heads = signed_chain(anchored)
    fifth = sign(anchored, "attest", "alice", safeguard="model-card-published")
    (now,) = HEAD.findall(fifth.stdout)
    assert now.startswith("5:") and now != heads[-1]
    assert f"chain head {now}; keep it: `rsp signoff verify --head {now}` proves that none " \
           "of these 5 records was removed or changed since." in fifth.stdout
    status = rsp("signoff", "status", VERSION, *anchored["common"])
    assert status.exit_code == 1 and HEAD.findall(status.stdout) == [now]
    as_json = rsp("signoff", "status", VERSION, *anchored["common"], "--json")
    assert json.loads(as_json.stdout)["chain_head"] == now
    gate = rsp("gate", VERSION, "--max-tier", "ASL-1", "--require-signoff", *anchored["common"])
    assert gate.exit_code == 1 and HEAD.findall(gate.stdout) == [now]
    report = rsp("report", VERSION, *anchored["common"])
    assert report.exit_code == 0 and f"Chain head {now}; keep it:" in report.stdout
    ok = verify(anchored, "--head", heads[0], "--head", now)
    assert ok.exit_code == 0, ok.output
    assert f"extends head {heads[0][:18]}" in ok.stdout
    assert "extends all 5 heads your witness" in ok.stdout
    # each head once, however often it was seen
    assert len(witness_file().read_text().splitlines()) == 5


def missing(ends: int, seq: int, head: str) -> str:
    """How verify names records up to `head` (at `seq`) cut off a chain now ending at `ends`."""
    records = f"record #{seq} is" if seq == ends + 1 else f"records #{ends + 1}..{seq} are"
    now = f"the chain now ends at #{ends}" if ends else "the chain is now empty"
    return f"{records} missing, up to head {head[:18]}: {now} (its newest records were deleted)"


@pytest.mark.parametrize("cut", [1, 2, 3, 4], ids=["newest", "newest two", "newest three",
                                                   "all"])
def test_cutting_the_tail_is_detected_from_any_later_head(anchored, cut, tmp_path,
                                                          monkeypatch):
    heads = signed_chain(anchored)
    report = rsp("report", VERSION, *anchored["common"])
    (from_report,) = HEAD.findall(report.stdout)
    assert from_report == heads[-1]
    ends = 4 - cut
    delete_from(anchored["db"], ends + 1)

    # the chain alone cannot tell: what is left still links and verifies
    alone = verify(anchored, "--no-witness")
    assert alone.exit_code == 0 and f"intact {ends} sign-off records" in alone.stdout

    for number, held in enumerate(heads, start=1):
        result = verify(anchored, "--no-witness", "--head", held)
        if number <= ends:  # a head before the cut: nothing up to it was removed
            assert result.exit_code == 0, result.output
            continue
        assert result.exit_code == 1, result.output
        assert missing(ends, number, held) in result.stdout
    assert verify(anchored, "--no-witness", "--head", from_report).exit_code == 1

    witnessed = verify(anchored)
    assert witnessed.exit_code == 1
    assert missing(ends, 4, heads[-1]) in witnessed.stdout
    assert f"(a head your witness {witness_file()} kept; only if this registry was " \
           "deliberately recreated, delete its lines there)" in witnessed.stdout

    # the approval that the CEO's reject overruled does not read "pass" unseen
    status = rsp("signoff", "status", VERSION, *anchored["common"])
    assert status.exit_code == 2 and "chain is broken" in status.stderr
    assert "missing" in status.stderr
    gate = rsp("gate", VERSION, "--max-tier", "ASL-1", "--require-signoff",
               *anchored["common"])
    assert gate.exit_code == 2 and "missing" in gate.stderr
    assert "BROKEN: " in rsp("report", VERSION, *anchored["common"]).stdout
    # and no one can sign on top of the cut chain and so bury it
    more = sign(anchored, "attest", "alice", safeguard="model-card-published")
    assert more.exit_code == 2 and "chain is broken" in more.stderr
    if cut == 1:
        # A machine that never saw the chain (a fresh witness) is fooled: the reject is gone
        # and the version reads releasable. What catches it there is a head kept elsewhere:
        # the report's, above, or any reviewer's witness.
        monkeypatch.setenv("RSP_WITNESS", str(tmp_path / "fresh.jsonl"))
        fooled = rsp("signoff", "status", VERSION, *anchored["common"])
        assert fooled.exit_code == 0, fooled.stdout


def test_a_record_replaced_at_a_kept_head_is_detected(anchored, tmp_path, monkeypatch):
    """The owner deletes the CEO's reject and has an approval signed in its place, on a machine
    with another witness: the new chain verifies by itself, but not against the old head."""
    heads = signed_chain(anchored)
    delete_from(anchored["db"], 4)
    with monkeypatch.context() as mp:
        mp.setenv("RSP_WITNESS", str(tmp_path / "elsewhere.jsonl"))
        assert sign(anchored, "approve", "bob", role="ceo").exit_code == 0
        assert verify(anchored).exit_code == 0
    for result in (verify(anchored), verify(anchored, "--no-witness", "--head", heads[3])):
        assert result.exit_code == 1
        assert f"record #4 is not the record of head {heads[3][:18]}" in result.stdout
    assert verify(anchored, "--no-witness", "--head", heads[2]).exit_code == 0


def _resigned(row: dict, world) -> dict:
    """The same record, signed with mallory's key in bob's name."""
    forged = sign_record(Record(**{k: row[k] for k in COLUMNS[:-2]}),
                         load_private_key(world["rogue"] / "mallory.key"))
    return {**row, "signature": forged.signature}


def _relinked(row: dict, world) -> dict:
    """The same record re-hashed onto #2, as if #3 had never been: its signature is stale."""
    moved = replace(Record(**row), prev_hash=stored(world["db"], 2)["record_hash"])
    return {**asdict(moved), "record_hash": moved.computed_hash()}


REAPPENDED = {
    # The right outcome: it is the same signed record, so the chain is whole again and the
    # reject is back in force; only the time it was missing was an attack (and was caught).
    "same row": (lambda row, world: row, 0, "intact 4 sign-off records"),
    # the hash covers the body, not the signature: the head still matches, the signature fails
    "re-signed": (_resigned, 1, "signature does not verify with bob's key"),
    "re-linked": (_relinked, 1, "record #4 is not the record of head"),
}


@pytest.mark.parametrize("variant", list(REAPPENDED))
def test_re_appending_a_deleted_record(anchored, variant):
    signed_chain(anchored)
    row = stored(anchored["db"], 4)
    delete_from(anchored["db"], 4)
    assert rsp("signoff", "status", VERSION, *anchored["common"]).exit_code == 2
    make, code, message = REAPPENDED[variant]
    insert(anchored["db"], make(row, anchored))
    result = verify(anchored)
    assert result.exit_code == code and message in result.stdout, result.stdout
    if code == 0:
        status = rsp("signoff", "status", VERSION, *anchored["common"])
        assert status.exit_code == 1 and "NOT RELEASABLE" in status.stdout  # reject holds


@duckdb_only
def test_a_verify_after_a_verified_head_checks_only_the_signatures_since(anchored, tmp_path,
                                                                           counted):
    """`rsp signoff verify` keeps the head it verified with its digest; the next verify checks
    every hash but only the signatures added since, and an old record whose signature (which
    its hash does not cover) or content was changed is still named."""
    signed_chain(anchored)
    mine = tmp_path / "verifier.jsonl"
    assert verify(anchored, "--witness", mine).exit_code == 0
    assert '"verified"' in mine.read_text()
    assert sign(anchored, "attest", "alice", safeguard="model-card-published").exit_code == 0
    checked = counted
    checked.clear()  # from here on: the first verify and the sign-off checked all of theirs
    ok = verify(anchored, "--witness", mine)
    assert ok.exit_code == 0 and checked == [5], ok.stdout
    assert "1 signature checked now; the other 4 verified before" in ok.stdout
    checked.clear()
    full = verify(anchored, "--witness", mine, "--full")
    assert full.exit_code == 0 and sorted(checked) == [1, 2, 3, 4, 5]
    assert "checked now" not in full.stdout
    original = stored(anchored["db"], 2)
    forged = _resigned(original, anchored)["signature"]
    with as_owner(anchored["db"]) as con:
        con.execute(text("UPDATE signoff_record SET signature = :s WHERE seq = 2"), {"s": forged})
    checked.clear()
    bad = verify(anchored, "--witness", mine)
    assert bad.exit_code == 1 and "record #2 (" in bad.stdout, bad.stdout
    assert "signature does not verify" in bad.stdout and sorted(checked) == [1, 2, 3, 4, 5]
    with as_owner(anchored["db"]) as con:  # the signature put back, an old record edited
        con.execute(text("UPDATE signoff_record SET signature = :s WHERE seq = 2"),
                    {"s": original["signature"]})
        con.execute(text("UPDATE signoff_record SET text = 'nothing to see' WHERE seq = 1"))
    edited = verify(anchored, "--witness", mine)
    assert edited.exit_code == 1 and "record #1 (" in edited.stdout
    assert "content does not match its hash" in edited.stdout, edited.stdout


@duckdb_only
def test_re_appending_at_another_seq_is_detected(anchored):
    """#4 put back as #3 after deleting #3 and #4: seq is hashed, so it is not #4 any more."""
    heads = signed_chain(anchored)
    row = stored(anchored["db"], 4)
    delete_from(anchored["db"], 3)
    insert(anchored["db"], {**row, "seq": 3})
    result = verify(anchored)
    assert result.exit_code == 1
    assert "record #3 (reject demo@v1 by bob): content does not match its hash" in result.stdout
    assert f"record #3 is not the record of head {heads[2][:18]}" in result.stdout


@pytest.mark.parametrize("bad", ["4", "four:abc", "4:" + "ab" * 8, "4:" + "g" * 64,
                                 "-1:" + "a" * 64, "0:" + "a" * 64, "4:" + "a" * 65, ""])
def test_a_malformed_head_is_exit_2_with_the_fix(tmp_path, bad):
    result = rsp("signoff", "verify", "--db", f"duckdb:///{tmp_path / 'r.duckdb'}", "--head", bad)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "is not a chain head. Fix: pass SEQ:HASH" in result.stderr


@duckdb_only
def test_an_unreadable_witness_line_is_exit_2_with_the_fix(anchored):
    signed_chain(anchored)
    with witness_file().open("a") as f:
        f.write('{"registry": "x", "head": "7:\n')
    result = verify(anchored)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"{witness_file()}:5 is not a witness line. Fix: delete that line" in result.stderr
    assert verify(anchored, "--no-witness").exit_code == 0


@duckdb_only
def test_a_witness_that_cannot_be_written_warns_and_the_signoff_stands(anchored,
                                                                       monkeypatch):
    from registry.signoff_witness import Witness

    def refuse(self, records):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Witness, "see", refuse)
    result = sign(anchored, "attest", "alice", safeguard="model-card-published")
    assert result.exit_code == 0 and "recorded #1 attest" in result.stdout
    assert "the chain head was not kept in" in result.stderr
    assert HEAD.search(result.stdout)  # printed for the reviewer to keep by hand
    unreadable = verify(anchored, "--witness", anchored["path"])  # a folder, not a file
    assert unreadable.exit_code == 2 and "Cannot read the witness" in unreadable.stderr


@duckdb_only
def test_the_witness_follows_the_chain_to_another_location(anchored, tmp_path):
    """A copy of the registry elsewhere (a backup, another URL) is the same chain: heads seen
    at the original apply to it, so a copy missing the newest records fails."""
    signed_chain(anchored)
    old = Path(anchored["db"].removeprefix("duckdb:///"))
    shutil.copy(old, tmp_path / "copy.duckdb")
    copy = {**anchored, "db": f"duckdb:///{tmp_path / 'copy.duckdb'}"}
    assert verify(copy).exit_code == 0
    delete_from(copy["db"], 4)
    result = verify(copy)
    assert result.exit_code == 1 and "record #4 is missing" in result.stdout


def test_head_logic():
    """The pure part: heads, their text form, and what extends them."""
    # record n hashes to n repeated, and links to n - 1 repeated (0 repeated: GENESIS)
    records = [Record(n, str(n - 1) * 64, "attest", VERSION, "s", "t", "alice", "0" * 64, "now",
                      str(n) * 64) for n in (1, 2, 3)]
    assert chain_head([]) == EMPTY_HEAD == parse_head(f"0:{GENESIS}")
    assert parse_head(f" 3:{'3' * 64} ") == chain_head(records) == Head(3, "3" * 64)
    assert str(Head(3, "a" * 64)) == f"3:{'a' * 64}"
    assert extension_problems(records, [EMPTY_HEAD, *map(chain_head, (records[:1],
                                                                      records))]) == []
    cut = extension_problems(records[:1], [chain_head(records[:2]), chain_head(records)])
    assert cut == [f"records #2..3 are missing, up to head 3:{'3' * 16}: the chain now ends "
                   "at #1 (its newest records were deleted)"]
    hole = extension_problems([records[0], records[2]], [chain_head(records[:2])])
    assert hole == [f"record #2 of head 2:{'2' * 16} is missing (deleted from within the "
                    "chain)"]
    # one attack fails many heads: the lowest that differs and the highest that is gone
    both = extension_problems(records[:2], [Head(1, "8" * 64), Head(2, "9" * 64),
                                            Head(3, "3" * 64), Head(4, "4" * 64)])
    assert both == [f"record #1 is not the record of head 1:{'8' * 16}: its hash is now "
                    f"{'1' * 16} (the chain was rewritten at #1 or before)",
                    f"records #3..4 are missing, up to head 4:{'4' * 16}: the chain now ends "
                    "at #2 (its newest records were deleted)"]
    with pytest.raises(SignoffError, match="Fix: pass SEQ:HASH"):
        parse_head("3:abc")


# --- PostgreSQL: the database itself refuses to change a sign-off ---------------------------

def _signed_row() -> dict:
    return asdict(sign_record(Record(1, GENESIS, "approve", VERSION, "ceo", "ok", "bob",
                                     "0" * 64, "2026-11-22T00:00:00+00:00"),
                              Ed25519PrivateKey.generate()))


@pytest.fixture
def pg_registry(postgres) -> str:
    """A PostgreSQL registry holding one sign-off record, written as the application does."""
    url = postgres.new_database()
    with open_session(url) as session:
        session.connection().execute(text(
            f"INSERT INTO signoff_record ({', '.join(COLUMNS)}) VALUES "
            f"({', '.join(':' + c for c in COLUMNS)})"), _signed_row())
    return url


@pytest.mark.parametrize("statement", [
    "UPDATE signoff_record SET text = 'nothing to see' WHERE seq = 1",
    "DELETE FROM signoff_record WHERE seq = 1",
    "TRUNCATE signoff_record",
])
def test_postgres_refuses_to_change_a_signoff(pg_registry, statement):
    with pytest.raises(DBAPIError, match="sign-off records are append-only"), \
            open_session(pg_registry) as session:
        session.connection().execute(text(statement))
    with open_session(pg_registry) as session:
        (record,) = read_chain(session)
    assert record.text == "ok"


def test_a_select_only_role_reads_but_cannot_write(postgres, pg_registry):
    """The README's dashboard role: reads every table, writes none."""
    database = pg_registry.rsplit("/", 1)[1]
    role = f"rsp_dashboard_{uuid.uuid4().hex[:8]}"  # roles are cluster-wide
    with psycopg.connect(pg_registry, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {role}')
        admin.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    as_role = f"postgresql://{role}@127.0.0.1:{postgres.port}/{database}"
    with open_session(as_role, read_only=True) as session:  # how the dashboard opens it
        assert [r.text for r in read_chain(session)] == ["ok"]
    for statement in ("UPDATE signoff_record SET text = 'x'", "DELETE FROM signoff_record",
                      "INSERT INTO model_line (name) VALUES ('x')"):
        with psycopg.connect(as_role) as conn, pytest.raises(
                psycopg.errors.InsufficientPrivilege, match="permission denied"):
            conn.execute(statement)
