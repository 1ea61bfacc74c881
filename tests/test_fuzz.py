"""Fuzzing, with hypothesis, of what enters the registry from outside: Inspect logs and policy
files. A damaged input gets a clear error that names it and the fix; never a traceback, never
a partial write.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspect_ai.log import read_eval_log_sample_summaries
from sqlmodel import func, select

from registry.db import open_session
from registry.ingest import ingest
from registry.policy import DEFAULT_POLICY_PATH, Policy, PolicyError, parse_policy
from registry.schema import Sample as SampleRow
from tests.conftest import flipper, run_are_you_sure
from tests.registry_state import registry_digest

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
JSON_MEMBERS = ("header.json", "summaries.json")
WRONG_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                         st.text(max_size=20), st.lists(st.integers(), max_size=3),
                         st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))


@pytest.fixture(scope="module")
def small_log(tmp_path_factory) -> Path:
    log = run_are_you_sure(flipper, tmp_path_factory.mktemp("fuzz-base"), limit=4,
                           name="fuzzed", metadata={"rsp_model_version": "v1"})
    return Path(log.location)


def rewrite_member(log: Path, out: Path, member: str, content: bytes) -> Path:
    """A copy of the .eval zip with one member's bytes replaced."""
    with zipfile.ZipFile(log) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == member else
                         src.read(info.filename))
    return out


def json_paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix] if prefix else []
    children = node.items() if isinstance(node, dict) else \
        enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        paths.extend(json_paths(child, (*prefix, key)))
    return paths


def mutate(doc: Any, path: tuple, op: str, value: Any) -> Any:
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if op == "remove":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


@st.composite
def damaged_log(draw, log: Path, out: Path) -> Path:
    """The base log truncated, bit-flipped, or with a JSON field removed or retyped."""
    data = log.read_bytes()
    kind = draw(st.sampled_from(["truncate", "bitflip", "field"]))
    if kind == "truncate":
        out.write_bytes(data[: draw(st.integers(0, len(data) - 1))])
        return out
    if kind == "bitflip":
        bit = draw(st.integers(0, len(data) * 8 - 1))
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        out.write_bytes(bytes(flipped))
        return out
    member = draw(st.sampled_from(JSON_MEMBERS))
    with zipfile.ZipFile(log) as archive:
        doc = json.loads(archive.read(member))
    path = draw(st.sampled_from(json_paths(doc)))
    op = draw(st.sampled_from(["remove", "retype"]))
    doc = mutate(doc, path, op, draw(WRONG_VALUES))
    return rewrite_member(log, out, member, json.dumps(doc).encode())


def sample_rows(db_url: str, run_id: str) -> int:
    with open_session(db_url) as s:
        return s.exec(select(func.count()).select_from(SampleRow).where(
            SampleRow.run_id == run_id)).one()


def test_damaged_logs_fail_cleanly_or_land_whole(small_log, db_url, tmp_path):
    ingest([small_log], db_url)
    outcomes: dict[str, int] = {}

    @FUZZ
    @given(st.data())
    def check(data):
        bad = data.draw(damaged_log(small_log, tmp_path / "damaged.eval"))
        before = registry_digest(db_url)
        [result] = ingest([bad], db_url)  # must not raise
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        if result.outcome == "failed":
            assert str(bad) in result.message and "Fix:" in result.message
            assert registry_digest(db_url) == before
        else:  # a damage Inspect tolerates: the run is stored whole
            assert sample_rows(db_url, result.run_id) == len(
                read_eval_log_sample_summaries(str(bad)))

    check()
    assert outcomes.get("failed", 0) > 0  # the fuzzer did produce damage


def test_a_member_name_inspect_cannot_decode_fails_cleanly(small_log, db_url, tmp_path):
    """Found by the fuzzer above: one bit flipped in a sample's name in the zip directory.
    The header and summaries still read, but Inspect's reader (UTF-8 names) cannot open the
    log, so it is damaged: refused with the fix, the registry unchanged."""
    ingest([small_log], db_url)
    data = bytearray(small_log.read_bytes())
    directory = data.index(b"PK\x01\x02")  # where the central directory starts
    name_at = data.index(b"samples/", directory) + len("samples/")  # a sample's name there
    data[name_at] = 0xEC  # a UTF-8 lead byte with no continuation
    bad = tmp_path / "badname.eval"
    bad.write_bytes(bytes(data))
    with pytest.raises(UnicodeDecodeError):
        read_eval_log_sample_summaries(str(bad))  # Inspect itself cannot read it
    before = registry_digest(db_url)
    [result] = ingest([bad], db_url)
    assert result.outcome == "failed", result
    assert str(bad) in result.message and "not UTF-8" in result.message
    assert "Fix:" in result.message and registry_digest(db_url) == before


def test_huge_sample_lands_and_bad_logs_beside_good_ones_fail_one_by_one(small_log, steadfast_log,
                                                                         db_url, tmp_path):
    with zipfile.ZipFile(small_log) as archive:
        summaries = json.loads(archive.read("summaries.json"))
    next(iter(summaries[0]["scores"].values()))["answer"] = "A" * 8_000_000
    summaries[0]["metadata"] = {f"k{i}": "x" * 900 for i in range(5000)}
    huge = rewrite_member(small_log, tmp_path / "huge.eval", "summaries.json",
                          json.dumps(summaries).encode())
    truncated = tmp_path / "truncated.eval"
    truncated.write_bytes(small_log.read_bytes()[:1000])
    wrong_type = rewrite_member(small_log, tmp_path / "wrong.eval", "header.json",
                                json.dumps({"eval": [], "status": 7}).encode())
    results = {Path(r.path).name: r for r in ingest([huge, truncated, wrong_type,
                                                     steadfast_log], db_url)}
    assert results["truncated.eval"].outcome == "failed"
    assert results["wrong.eval"].outcome == "failed"
    assert "Fix:" in results["wrong.eval"].message
    assert results[steadfast_log.name].outcome == "ingested"
    assert results["huge.eval"].outcome == "ingested"
    # stored whole, as Inspect's summary keeps it (it shortens long strings itself)
    assert sample_rows(db_url, results["huge.eval"].run_id) == len(summaries)


def base_policy() -> dict:
    return yaml.safe_load(DEFAULT_POLICY_PATH.read_text())


@FUZZ
@given(st.data())
def test_mutated_policies_validate_or_fail_with_located_errors(data):
    doc = base_policy()
    path = data.draw(st.sampled_from(json_paths(doc)))
    op = data.draw(st.sampled_from(["remove", "retype"]))
    text = yaml.safe_dump(mutate(doc, path, op, data.draw(WRONG_VALUES)))
    try:
        assert isinstance(parse_policy(text, "fuzzed.yaml"), Policy)
    except PolicyError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.startswith("fuzzed.yaml:") and "Fix" in problem


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_is_never_a_policy_nor_a_crash(text):
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "noise.yaml")
    assert all(p.startswith("noise.yaml") for p in caught.value.problems)
