"""`rsp audit`: every stored row is recomputed from its log, and each tampering is named.

Real Inspect logs, ingested into a real DuckDB file and a real PostgreSQL database; attacks
are plain SQL through a short-lived connection of their own, or changes to the log files.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from inspect_ai.log import read_eval_log, write_eval_log
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from registry import audit_store
from registry.audit import RowsDigest, diff_rows, same
from registry.db import duckdb_path, resolve_db_url
from registry.ingest import ingest
from rsp.cli import app
from tests.conftest import flipper, fresh_registry, load_items, run_are_you_sure
from tests.test_large_log import synthesize

runner = CliRunner()
ITEMS = len(load_items())
FLIP = "flip_scorer/flip_rate"


def rsp(*args: object):
    # wide enough that the table's cells do not wrap the words the tests look for
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def tamper(db_url: str, statement: str) -> None:
    """Run SQL on the registry the way an insider would: straight at the database."""
    path = duckdb_path(resolve_db_url(db_url))
    if path is not None:
        with duckdb.connect(str(path)) as con:
            con.execute(statement)
        return
    engine = create_engine(resolve_db_url(db_url))
    with engine.begin() as con:
        con.execute(text(statement))
    engine.dispose()


def findings(db_url: str, *args: object) -> list[dict]:
    result = rsp("audit", *args, "--db", db_url, "--json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


class Registry:
    """Two real logs (copies, so that attacks on files leave the session's logs alone)
    ingested into a fresh registry."""

    def __init__(self, db_url: str, flipper_log: Path, steadfast_log: Path, tmp: Path):
        self.url = db_url
        self.flipper = tmp / "flipper" / flipper_log.name
        self.steadfast = tmp / "steadfast" / steadfast_log.name
        for source, copy in ((flipper_log, self.flipper), (steadfast_log, self.steadfast)):
            copy.parent.mkdir()
            shutil.copy(source, copy)
        results = ingest([self.flipper, self.steadfast], db_url)
        assert [r.outcome for r in results] == ["ingested", "ingested"]
        self.flipper_run, self.steadfast_run = (r.run_id for r in results)


@pytest.fixture
def registry(db_url, flipper_log, steadfast_log, tmp_path) -> Registry:
    return Registry(db_url, flipper_log, steadfast_log, tmp_path)


def test_a_clean_registry_audits_clean(registry):
    result = rsp("audit", "--db", registry.url)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (f"audit: 2 runs, 2 logs, {2 * ITEMS} samples: every stored "
                                     "row matches its log")
    result = rsp("audit", "mockllm/flipper@v1", "--db", registry.url, "--json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_an_edited_score_is_named_with_both_values(registry):
    tamper(registry.url, "UPDATE score SET value = 0, stderr = 0, n = 500 "
                         "WHERE metric = 'flip_rate'")
    found = findings(registry.url)
    by_run = {f["run_id"]: f for f in found}
    assert [f["kind"] for f in found] == ["score_changed", "score_changed"]
    flip = by_run[registry.flipper_run]
    assert flip["subject"] == f"score {FLIP}"
    # the flipper flipped every item: only value and n were changed by the UPDATE
    assert (flip["stored"], flip["recomputed"]) == ({"value": 0.0, "n": 500},
                                                    {"value": 1.0, "n": ITEMS})
    assert by_run[registry.steadfast_run]["stored"] == {"n": 500}
    table = rsp("audit", "--db", registry.url)
    assert table.exit_code == 1
    assert "flip_rate" in table.stdout and "value 0.0, n 500" in table.stdout
    assert table.stdout.strip().endswith(f"audit: 2 runs, 2 logs, {2 * ITEMS} samples: 2 "
                                         "finding(s) in 2 run(s)")


def test_an_edited_sample_row_is_named(registry):
    tamper(registry.url, "UPDATE sample SET score_value = 0, answer = 'A -> A' "
                         f"WHERE run_id = '{registry.flipper_run}' AND sample_id = 'ays-007'")
    [found] = findings(registry.url)
    assert (found["run_id"], found["kind"], found["count"]) == (
        registry.flipper_run, "samples_changed", 1)
    [example] = found["examples"]
    assert (example["sample_id"], example["epoch"]) == ("ays-007", 1)
    assert example["fields"]["score_value"] == {"stored": 0.0, "recomputed": 1.0}
    assert example["fields"]["answer"]["stored"] == "A -> A"
    assert example["fields"]["answer"]["recomputed"] != "A -> A"


def test_deleted_sample_rows_are_counted_and_named(registry):
    tamper(registry.url, f"DELETE FROM sample WHERE run_id = '{registry.steadfast_run}'")
    [found] = findings(registry.url)
    assert (found["run_id"], found["kind"], found["count"]) == (
        registry.steadfast_run, "samples_missing", ITEMS)
    assert [e["sample_id"] for e in found["examples"]] == [
        f"ays-{i:03d}" for i in range(1, 6)]


def test_a_log_swapped_for_another_is_named(registry):
    shutil.copy(registry.steadfast, registry.flipper)
    [found] = findings(registry.url)
    assert (found["run_id"], found["kind"]) == (registry.flipper_run, "log_changed")
    assert registry.steadfast_run in found["detail"]  # whose log it now is
    assert found["stored"] != found["recomputed"]


def test_a_rewritten_log_of_the_same_eval_is_named_with_what_changed(registry):
    log = read_eval_log(str(registry.flipper))
    [scores] = [s for s in log.results.scores if "flip_rate" in s.metrics]
    scores.metrics["flip_rate"].value = 0.25
    write_eval_log(log, str(registry.flipper))
    found = findings(registry.url)
    assert {f["run_id"] for f in found} == {registry.flipper_run}
    kinds = {f["kind"]: f for f in found}
    assert set(kinds) == {"log_changed", "score_changed"}
    assert kinds["log_changed"]["detail"].startswith("same eval")
    assert kinds["score_changed"]["subject"] == f"score {FLIP}"
    assert kinds["score_changed"]["stored"]["value"] == 1.0
    assert kinds["score_changed"]["recomputed"]["value"] == 0.25


def test_a_deleted_log_is_named(registry):
    registry.steadfast.unlink()
    [found] = findings(registry.url)
    assert (found["run_id"], found["kind"]) == (registry.steadfast_run, "log_missing")
    table = rsp("audit", "--db", registry.url)
    assert table.exit_code == 1 and "log missing" in table.stdout
    assert "1 logs" in table.stdout  # the other log was still read


def test_a_truncated_log_is_named_unreadable(registry):
    data = registry.flipper.read_bytes()
    registry.flipper.write_bytes(data[: len(data) // 2])
    [found] = findings(registry.url)
    assert (found["run_id"], found["kind"]) == (registry.flipper_run, "log_unreadable")
    assert "cannot be read as an Inspect log" in found["detail"]


def test_an_empty_registry_has_nothing_to_check(db_url):
    result = rsp("model", "register", "smollm2-135m@ckpt-1", "--db", db_url)
    assert result.exit_code == 0, result.output
    result = rsp("audit", "--db", db_url)
    assert (result.exit_code, result.stdout.strip()) == (0, "audit: no stored runs to check")


def test_a_version_audits_only_its_own_runs(registry):
    registry.steadfast.unlink()
    assert rsp("audit", "mockllm/flipper@v1", "--db", registry.url).exit_code == 0
    assert rsp("audit", "mockllm/steadfast", "--db", registry.url).exit_code == 1


def test_an_unknown_version_is_an_error(registry):
    result = rsp("audit", "mockllm/nobody@v9", "--db", registry.url)
    assert result.exit_code == 2
    assert "No model version 'mockllm/nobody@v9'" in result.stderr
    assert "Traceback" not in result.output


def test_an_unreachable_registry_is_an_error(tmp_path):
    result = rsp("audit", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 2 and "Cannot use the registry" in result.stderr


def test_row_by_row_comparison_holds_a_bounded_group(registry, monkeypatch):
    """With a group of 7 rows, deleting every sample of a run still counts and names all."""
    monkeypatch.setattr(audit_store, "GROUP_ROWS", 7)
    tamper(registry.url, f"DELETE FROM sample WHERE run_id = '{registry.flipper_run}'")
    tamper(registry.url, "UPDATE sample SET answer = NULL WHERE sample_id = 'ays-100'")
    found = {f["kind"]: f for f in findings(registry.url)}
    assert found["samples_missing"]["count"] == ITEMS
    assert found["samples_changed"]["count"] == 1
    assert found["samples_changed"]["examples"][0]["fields"]["answer"]["stored"] is None


def test_values_compare_exactly_with_nan_equal_to_nan():
    assert same(math.nan, math.nan) and same(None, None)
    assert not same(None, math.nan) and not same(0, 0.0) and not same(0.0, -0.0)
    stored = [(("a", 1), {"v": math.nan}), (("b", 1), {"v": 1.0}), (("b", 1), {"v": 1.0})]
    log = [(("a", 1), {"v": math.nan}), (("b", 1), {"v": 1.0}), (("c", 1), {"v": None})]
    diff = diff_rows(stored, log)
    assert (diff.changed, diff.missing, diff.extra) == (0, 1, 1)  # c missing, b stored twice
    assert [key for key, _ in diff.missing_rows] == [("c", 1)]


def test_digest_ignores_order_and_finds_the_changed_bucket():
    rows = [(f"s{i}", 1, float(i)) for i in range(100)]
    one, other = RowsDigest(), RowsDigest()
    for row in rows:
        one.add(row[:2], row)
    for row in reversed(rows):
        other.add(row[:2], row if row[0] != "s42" else ("s42", 1, math.nan))
    assert one.differing(other) == [one.bucket(("s42", 1))]
    assert one.groups(other, max_rows=1) == [{one.bucket(("s42", 1))}]


# Our side holds a batch of rows per side, and a bounded group of them where digests differ,
# however long the log. DuckDB also keeps the blocks it read in its buffer cache (about
# 0.25 KiB a row here); holding the rows as Python objects would cost far over 200 MiB.
ALLOWED_GROWTH_MIB = {"postgresql": 48, "duckdb": 96}
MEASURE = """
import sys
from pathlib import Path
from registry.audit_store import audit_registry
report = audit_registry(sys.argv[1])
print(report.summary())
status = Path("/proc/self/status").read_text().splitlines()
print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024)
"""


def audit_peak_mib(db_url: str) -> tuple[str, float]:
    out = subprocess.run([sys.executable, "-c", MEASURE, db_url], check=True,
                         capture_output=True, text=True, timeout=900)
    summary, peak = out.stdout.strip().splitlines()[-2:]
    return summary, float(peak)


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_two_hundred_thousand_samples_audit_in_bounded_memory(backend, tmp_path, request):
    base = Path(run_are_you_sure(flipper, tmp_path / "base", limit=2).location)
    peaks = {}
    for n in (2_000, 200_000):
        log = tmp_path / f"{n}.eval"
        synthesize(base, log, n)
        url = fresh_registry(backend, request, tmp_path, f"r{n}")
        ingest([log], url)
        # the row-by-row path too: a tenth of the samples changed, as many deleted
        tamper(url, "UPDATE sample SET answer = 'x' WHERE sample_id LIKE '%1'")
        tamper(url, "DELETE FROM sample WHERE sample_id LIKE '%2'")
        summary, peaks[n] = audit_peak_mib(url)
        assert summary == (f"audit: 1 runs, 1 logs, {n * 9 // 10:,} samples: 2 finding(s) in "
                           "1 run(s)")
    assert peaks[200_000] - peaks[2_000] < ALLOWED_GROWTH_MIB[backend], peaks
