"""`rsp report` as the document a board signs: a one-page summary first, its own hash printed on
it and checkable against the registry, tables that fit the page, and a PDF. From a registry of
real logs (scripted models on the real are_you_sure task): a steadfast demo@v1, then a
sycophantic demo@v2 whose log lies at a long path, as logs on shared storage do."""

from __future__ import annotations

import importlib.abc
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from registry.ingest import VersionInfo, ingest
from rsp.cli import app
from tests.conftest import flipper, run_are_you_sure, steadfast

runner = CliRunner()
VERSION = "demo@v2"
# a directory a log path runs through: no space or hyphen to break a line at, only the slashes
LONG_DIR = ("artifacts_" + "0123456789abcdef" * 6, "eval_logs_" + "fedcba9876543210" * 5)
HASH = re.compile(r"Report sha256: `([0-9a-f]{64})`")


def rsp(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """demo@v1 (never flips) and demo@v2 (always flips, its log under LONG_DIR)."""
    folder = tmp_path_factory.mktemp("report")
    url = f"duckdb:///{folder / 'r.duckdb'}"
    ingest([run_are_you_sure(steadfast, folder / "v1", name="demo").location], url,
           VersionInfo("demo", "v1", 1e21, "2026-08-01"))
    ingest([run_are_you_sure(flipper, folder.joinpath(*LONG_DIR), name="demo").location], url,
           VersionInfo("demo", "v2", 2e21, "2026-09-01"))
    return folder / "r.duckdb"


@pytest.fixture
def world(tmp_path, recorded) -> dict:
    """A copy of the recorded registry, which a test may add to."""
    shutil.copy(recorded, tmp_path / "r.duckdb")
    db = f"duckdb:///{tmp_path / 'r.duckdb'}"
    return {"path": tmp_path, "db": db,
            "common": ["--db", db, "--reviewers", tmp_path / "reviewers.allowed"]}


def printed_hash(markdown: str) -> str:
    (digest,) = HASH.findall(markdown)
    return digest


def test_the_summary_comes_first_and_says_what_a_board_decides_on(world):
    md = rsp("report", VERSION, *world["common"])
    assert md.exit_code == 0, md.output
    text = md.stdout
    order = ["# Capability report: demo@v2", "## Summary", "Report sha256: `",
             "Generated: ", "- Release decision: **Not releasable**: ", "- Required tier: **",
             "### What is missing", "### Changes since demo@v1", "## Determinations by domain",
             "## How each indicator was elicited", "## Trends across the model line",
             "## Release checklist", "## Sign-offs", "## Corrections", "## Reproducibility"]
    assert [text.index(s) for s in order] == sorted(text.index(s) for s in order)
    summary = text[:text.index("## Determinations by domain")]
    # what is missing: the default policy's indicators no run covers, and the open items
    assert "- Required indicators not evaluated (14): " in summary
    assert "deception (all 6)" in summary and "sycophancy/opinion_conformity" in summary
    assert "- Checklist items failing (4): every required indicator has a completed run" \
        in summary
    assert "- Checklist items pending (6): " in summary and "approved by ceo" in summary
    # what changed since v1: the flip rate went from never to always, ASL-1 to ASL-3
    assert "- Required tier: ASL-1 (unchanged)" in summary
    assert "| sycophancy/answer_flip_rate | 0.000 → 1.000 | ASL-1 → ASL-3 | " \
        "ruled out → ruled in | no → no |" in summary
    # the first version of the line has nothing to compare with, and says so
    first = rsp("report", "demo@v1", *world["common"]).stdout
    assert "No previous version: demo@v1 is the first version of model line demo" in first
    # the detail sections keep their content: the run and its long log path
    assert f"{'/'.join(LONG_DIR)}/" in text


def test_the_hash_is_over_the_content_and_printed_on_every_format(world):
    from registry.report import canonical_markdown, report_sha256

    md = rsp("report", VERSION, *world["common"])
    digest = printed_hash(md.stdout)
    assert md.stderr.strip() == f"report sha256 {digest}"  # beside the report, not in it
    out = world["path"] / "report.md"
    written = rsp("report", VERSION, "--out", out, *world["common"])
    assert written.exit_code == 0 and f"report sha256 {digest}" in written.stdout
    # anyone holding the Markdown re-derives the hash: drop the two stamped lines, sha256
    copy = out.read_text(encoding="utf-8")
    assert report_sha256(canonical_markdown(copy)) == digest
    page = world["path"] / "report.html"
    assert rsp("report", VERSION, "--format", "html", "--out", page,
               *world["common"]).exit_code == 0
    assert f"Report sha256: <code>{digest}</code>" in page.read_text(encoding="utf-8")


def test_the_generation_time_is_outside_the_hash(world):
    """Rendering the same registry at two different times gives two times, one hash."""
    from registry.assess import resolve_versions
    from registry.db import open_session
    from registry.policy import DEFAULT_POLICY_PATH, load_policy
    from registry.report import render_report
    from registry.report_store import report_data

    with open_session(world["db"]) as session:
        (version,) = resolve_versions(session, VERSION)
        data, _ = report_data(session, load_policy(DEFAULT_POLICY_PATH), version,
                              world["path"] / "reviewers.allowed")
    early = render_report(replace(data, generated_at=datetime(2026, 1, 1, 9, 0, tzinfo=UTC)))
    late = render_report(replace(data, generated_at=datetime(2026, 1, 2, 17, 30, tzinfo=UTC)))
    assert early.markdown != late.markdown and early.sha256 == late.sha256
    assert "Generated: 2026-01-01 09:00 UTC" in early.markdown


def test_check_matches_a_copy_to_the_registry_until_the_registry_changes(world):
    digest = printed_hash(rsp("report", VERSION, *world["common"]).stdout)
    same = rsp("report", VERSION, "--check", digest, *world["common"])
    assert same.exit_code == 0, same.output
    assert f"report sha256 {digest} matches the registry" in same.stdout
    assert rsp("report", VERSION, "--check", digest.upper(), *world["common"]).exit_code == 0
    wrong = rsp("report", VERSION, "--check", "0" * 64, *world["common"])
    assert wrong.exit_code == 1 and "does not match the registry" in wrong.stdout
    assert f"now hashes to {digest}" in wrong.stdout
    # new evidence on the line: the same copy no longer matches
    ingest([run_are_you_sure(steadfast, world["path"] / "v3", name="demo").location],
           world["db"], VersionInfo("demo", "v3", 4e21, "2026-11-01"))
    changed = rsp("report", VERSION, "--check", digest, *world["common"])
    assert changed.exit_code == 1, changed.output
    assert "the registry's content has changed since that copy was made" in changed.stdout
    assert "or the copy is not from this registry" in changed.stdout


def test_a_check_of_something_that_is_not_a_hash_is_bad_input(world):
    result = rsp("report", VERSION, "--check", "abc123", *world["common"])
    assert result.exit_code == 2 and "is not a report sha256" in result.stderr
    both = rsp("report", VERSION, "--check", "0" * 64, "--out", world["path"] / "r.md",
               *world["common"])
    assert both.exit_code == 2 and "writes nothing" in both.stderr


def test_the_pdf_holds_the_summary_first_and_the_hash_on_every_page(world):
    digest = printed_hash(rsp("report", VERSION, *world["common"]).stdout)
    out = world["path"] / "report.pdf"
    result = rsp("report", VERSION, "--format", "pdf", "--out", out, *world["common"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout and f"report sha256 {digest}" in result.stdout
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert len(pages) > 1
    first = pages[0]
    assert first.startswith("Capability report: demo@v2")
    for said in ("Summary", f"Report sha256: {digest}", "Release decision: Not releasable",
                 "What is missing", "Changes since demo@v1"):
        assert said in first
    assert "Determinations by domain" not in first  # the summary has page 1 to itself
    assert "Determinations by domain" in pages[1]
    for number, text in enumerate(pages, 1):  # the footer: the hash and the page number
        assert f"demo@v2 · report sha256 {digest}" in text
        assert f"page {number} of {len(pages)}" in text


def overflows(page: str) -> list[tuple[int, str, float]]:
    """Every box WeasyPrint lays `page` out in that ends past its page's content area:
    (page number, box, points past the right edge)."""
    from weasyprint import HTML

    found = []
    for number, laid_out in enumerate(HTML(string=page).render().pages, 1):
        box = laid_out._page_box
        right = box.content_box_x() + box.width
        for child in box.descendants():
            if getattr(child, "width", None) is None or child.position_x is None:
                continue
            edge = child.border_box_x() + child.border_width()
            if edge > right + 0.5:  # half a pixel: rounding
                found.append((number, f"{type(child).__name__} {child.element_tag}",
                              edge - right))
    return found


# render_html's stylesheet before tables were made to fit the page: a control, to show that
# `overflows` finds what runs off the page (it did, by well over a page's width)
UNFITTED = ("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;"
            "padding:0 1rem;color:#222}table{border-collapse:collapse;margin:1rem 0;"
            "font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}"
            "th{background:#f3f3f3}code{background:#f3f3f3;padding:0 .2rem}")


def test_html_tables_fit_the_printed_page(world):
    out = world["path"] / "report.html"
    assert rsp("report", VERSION, "--format", "html", "--out", out,
               *world["common"]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert LONG_DIR[0] in page  # the long log path is in a table cell, and must wrap there
    assert overflows(page) == []
    unfitted = re.sub(r"<style>.*</style>", f"<style>{UNFITTED}</style>", page, flags=re.S)
    assert max(past for *_, past in overflows(unfitted)) > 500


@pytest.mark.parametrize(("args", "said"), [
    (["--format", "xls"], "Unknown format 'xls'. Fix: --format md, --format html or --format "
                          "pdf."),
    (["--format", "pdf"], "A PDF is not written to the terminal. Fix: add --out FILE"),
])
def test_bad_report_options_exit_2_naming_the_fix(world, args, said):
    result = rsp("report", VERSION, *args, *world["common"])
    assert result.exit_code == 2 and said in result.stderr
    assert result.stdout == ""


class _PangoMissing(importlib.abc.MetaPathFinder):
    """Makes `import weasyprint` fail as it does where Pango is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")
        return None


def test_a_pdf_without_pango_names_the_packages_to_install(world, monkeypatch):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_PangoMissing(), *sys.meta_path])
    out = world["path"] / "report.pdf"
    result = rsp("report", VERSION, "--format", "pdf", "--out", out, *world["common"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)  # no traceback
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in result.stderr
    assert not out.exists()


def test_the_cli_starts_without_weasyprint():
    """WeasyPrint loads Pango: only a PDF pays for it."""
    code = "import sys, rsp.cli; print('weasyprint' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert loaded.stdout.strip() == "False"
