"""Time `rsp signoff verify` over 100,000 signed, hash-chained records.

Builds the chain with three reviewers' real Ed25519 keys into a DuckDB registry, then times the
command a release owner runs (process start included) and the verification alone.

    .venv/bin/python bench/signoff_verify_bench.py [--records 100000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import duckdb

from registry.db import init_schema, make_engine
from registry.signoff import GENESIS, Record, generate_key, load_private_key, sign
from registry.signoff_store import read_chain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "chain.duckdb"
    engine = make_engine(f"duckdb:///{db}")
    init_schema(engine)
    engine.dispose()
    keys, lines = {}, []
    for who in ("alice", "bob", "carol"):
        pem, public = generate_key()
        (tmp / f"{who}.key").write_bytes(pem)
        keys[who] = load_private_key(tmp / f"{who}.key")
        lines.append(f"{who} ceo {public}")
    (tmp / "reviewers.allowed").write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    rows, prev = [], GENESIS
    for seq in range(1, args.records + 1):
        who = ("alice", "bob", "carol")[seq % 3]
        record = sign(Record(seq, prev, "attest", f"line@v{seq % 50}", "model-card-published",
                             f"evidence {seq}", who, "0" * 64, "2026-11-22T00:00:00+00:00"),
                      keys[who])
        rows.append(tuple(asdict(record).values()))
        prev = record.record_hash
    with duckdb.connect(str(db)) as con:
        columns = ", ".join(Record.__dataclass_fields__)
        con.executemany(f"INSERT INTO signoff_record ({columns}) VALUES "
                        f"({', '.join('?' * len(Record.__dataclass_fields__))})", rows)
    print(f"built {args.records:,} signed records in {time.perf_counter() - start:.1f} s")

    rsp = Path(sys.executable).parent / "rsp"
    start = time.perf_counter()
    # a witness of its own: the throwaway registry's head does not belong in the user's
    done = subprocess.run([str(rsp), "signoff", "verify", "--db", f"duckdb:///{db}",
                           "--reviewers", str(tmp / "reviewers.allowed"),
                           "--witness", str(tmp / "witness.jsonl")],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    print(f"rsp signoff verify: {wall:.2f} s wall, exit {done.returncode}: "
          f"{done.stdout.strip()}")

    from registry.db import open_session
    from registry.signoff import parse_reviewers, verify_chain

    reviewers = parse_reviewers((tmp / "reviewers.allowed").read_text())
    start = time.perf_counter()
    with open_session(f"duckdb:///{db}") as session:
        chain = read_chain(session)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    problems = verify_chain(chain, reviewers)
    print(f"in process: read {len(chain):,} records {loaded:.2f} s, verify "
          f"{time.perf_counter() - start:.2f} s, problems: {len(problems)}")


if __name__ == "__main__":
    main()
