"""A log of 200,000 samples ingests in bounded memory: the summaries are streamed a batch at a
time, so peak memory grows by a small multiple of one batch, not with the log."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlmodel import func, select

from registry.db import open_session
from registry.schema import Sample as SampleRow
from tests.conftest import flipper, fresh_registry, run_are_you_sure
from tests.test_ingest_faults import record

BIG = 200_000
SMALL = 2_000
# Our side holds one batch of rows (a few MiB) however long the log. DuckDB itself keeps an
# uncommitted insert in its buffers until the commit that makes the log land whole (about
# 0.65 KiB a row here), so its bound is looser; reading the log whole would cost over 1 GiB.
ALLOWED_GROWTH_MIB = {"postgresql": 32, "duckdb": 128}

# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so the child would report the
# test runner's own peak
MEASURE = """
import sys
from pathlib import Path
from registry.ingest import ingest
[result] = ingest([sys.argv[1]], sys.argv[2])
assert result.outcome == "ingested", result.message
status = Path("/proc/self/status").read_text().splitlines()
print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024)
"""


def synthesize(base: Path, out: Path, n: int) -> int:
    """A copy of a real log whose summaries.json holds n summaries (the first, re-identified).
    Returns the uncompressed size of summaries.json."""
    with zipfile.ZipFile(base) as src:
        header = json.loads(src.read("header.json"))
        template = json.loads(src.read("summaries.json"))[0]
    header["results"]["total_samples"] = header["results"]["completed_samples"] = n
    header["eval"]["dataset"]["sample_ids"] = None
    size = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        dst.writestr("header.json", json.dumps(header))
        with dst.open("summaries.json", "w") as member:
            for i in range(n):
                template["id"] = f"s{i:06d}"
                chunk = ("[" if i == 0 else ",") + json.dumps(template)
                member.write(chunk.encode())
                size += len(chunk)
            member.write(b"]")
    return size


def peak_rss_mib(log: Path, db_url: str) -> float:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(log), db_url], check=True,
                         capture_output=True, text=True, timeout=900)
    return float(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_two_hundred_thousand_samples_ingest_in_bounded_memory(backend, tmp_path, request):
    base = Path(run_are_you_sure(flipper, tmp_path / "base", limit=2).location)
    small, big = tmp_path / "small.eval", tmp_path / "big.eval"
    synthesize(base, small, SMALL)
    summaries_bytes = synthesize(base, big, BIG)

    small_peak = peak_rss_mib(small, fresh_registry(backend, request, tmp_path, "small"))
    big_url = fresh_registry(backend, request, tmp_path, "big")
    big_peak = peak_rss_mib(big, big_url)
    record(f"large_log[{backend}]", {"samples": BIG, "summaries_json_mib": summaries_bytes / 2**20,
                                     "peak_rss_mib_2k": small_peak, "peak_rss_mib_200k": big_peak})
    assert summaries_bytes > 100 * 2**20  # a whole-log read holds this as Python objects
    assert big_peak - small_peak < ALLOWED_GROWTH_MIB[backend], (small_peak, big_peak)
    with open_session(big_url) as s:
        assert s.exec(select(func.count()).select_from(SampleRow)).one() == BIG
