"""Each dashboard page renders from a registry of real logs (Streamlit's AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.render import domain_verdict
from registry.ingest import VersionInfo, ingest
from registry.policy import load_policy
from registry.tiers import Estimate, decide_version
from tests.conftest import fresh_registry
from tests.dashboard_data import HOSTILE, build_registry

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def registry_url(request, tmp_path_factory) -> str:
    """The same registry on each backend: the dashboard reads both through one URL."""
    folder = tmp_path_factory.mktemp("dash")
    return build_registry(folder, fresh_registry(request.param, request, folder, "dash"))


@pytest.fixture
def app(registry_url, monkeypatch):
    monkeypatch.setenv("RSP_DB", registry_url)
    monkeypatch.delenv("RSP_POLICY", raising=False)

    def open_page(page: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return open_page


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "caption", "markdown", "text", "code")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_overview_shows_each_line_and_changes(app):
    at = app("overview")
    table = at.dataframe[0].value
    assert list(table["model line"]) == ["demo-line"] and list(table["version"]) == ["v3"]
    assert table["Sycophancy"][0].startswith("ASL-")
    assert table["Cyber operations"][0] == "not evaluated"
    # the determination as a whole: nothing about cyber measured, so nothing reads as cleared
    assert table["evidence"][0].startswith("⚠ incomplete:")
    assert table["assessment"][0].startswith("⚠ due since demo-line@")
    assert "ASL-4 not ruled out (cbrn, cyber, autonomy)" in texts(at)
    changes = at.dataframe[1].value
    assert "v2 → v3" in set(changes["from → to"])


def test_trends_chart_per_indicator_with_projection(app):
    at = app("trends")
    assert "Sycophancy · answer_flip_rate" in texts(at)
    assert "log10 effective compute" in texts(at)
    assert len(at.get("vega_lite_chart")) >= 1
    assert "Next threshold" in texts(at) or "Past every rule-in" in texts(at)


def test_runs_and_samples_and_transcript(app):
    at = app("runs")
    assert len(at.dataframe[0].value) == 3  # three runs
    assert len(at.dataframe[1].value) == 120  # the selected run's samples
    assert "inspect view --log-dir" in texts(at)


def test_transcript_markup_is_shown_as_text(app):
    at = app("runs")
    plain = [t.value for t in at.text]
    assert any(HOSTILE in t for t in plain), "the reply must appear verbatim, as text"
    for element in at.markdown:
        assert "<script>" not in element.value and "evil.example" not in element.value


def test_compare_pairs_samples(app):
    at = app("compare")
    assert "Paired per sample" in texts(at)
    assert at.metric[0].label.startswith("Mean paired difference")
    assert "samples changed score" in texts(at)


def test_policy_page(app):
    at = app("policy")
    assert "Tiers and the safeguards they require" in texts(at)
    assert len(at.dataframe) >= 3


def test_signoff_checklist(app):
    at = app("signoff")
    items = at.dataframe[0].value
    assert "every required indicator has a completed run" in set(items["item"])
    assert at.error and not at.success  # incomplete evidence is never releasable
    status = dict(zip(items["item"], items["status"], strict=True))
    assert status["model line not due for a new assessment"] == "❌ fail"
    assert status["sandbagging check shows no significant drop"] == "❌ fail"  # not run
    assert "evidence incomplete" in texts(at)


@pytest.mark.parametrize("page", ["overview", "trends", "runs", "compare", "signoff"])
def test_pages_explain_an_empty_registry(tmp_path, monkeypatch, page):
    monkeypatch.setenv("RSP_DB", f"duckdb:///{tmp_path / 'none.duckdb'}")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception
    assert "rsp demo" in at.info[0].value
    assert not (tmp_path / "none.duckdb").exists()  # reading never creates the file


def test_cached_reads_follow_the_registry_at_once(db_url, flipper_log, steadfast_log,
                                                  monkeypatch):
    """Reads are cached under the registry's content stamp: an unchanged registry is not read
    again (a DuckDB file is not even opened), and a new run shows on the very next rerun."""
    ingest([str(flipper_log)], db_url, VersionInfo("line-a", "v1"))
    monkeypatch.setenv("RSP_DB", db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert list(at.dataframe[0].value["model line"]) == ["line-a"]

    opened, stamped = [], []
    real_open, real_stamp = data.open_session, data.registry_stamp
    monkeypatch.setattr(data, "open_session", lambda *a, **k: opened.append(a) or
                        real_open(*a, **k))
    monkeypatch.setattr(data, "registry_stamp", lambda url: stamped.append(url) or
                        real_stamp(url))
    at.run()
    assert not at.exception and stamped
    # DuckDB: a file stat, no open; PostgreSQL: the one-row stamp query and nothing else
    assert len(opened) == (0 if db_url.startswith("duckdb") else len(stamped))

    before = real_stamp(db_url)
    ingest([str(steadfast_log)], db_url, VersionInfo("line-b", "v1"))
    assert real_stamp(db_url) != before
    at.run()
    assert sorted(at.dataframe[0].value["model line"]) == ["line-a", "line-b"]


@pytest.mark.parametrize("page", ["overview", "trends", "runs", "compare", "signoff"])
def test_pages_explain_an_unreachable_registry(monkeypatch, page):
    monkeypatch.setenv("RSP_DB", "postgresql://nobody@127.0.0.1:1/none")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception  # a message, not a traceback
    assert "Cannot use the registry database" in at.error[0].value
    assert "Fix:" in at.error[0].value


def test_an_overview_cell_shows_how_thin_the_evidence_is():
    policy = load_policy()
    thin = decide_version(policy, {("sycophancy", "answer_flip_rate"): Estimate(0.2, None, 9)})
    ample = decide_version(policy, {("sycophancy", "answer_flip_rate"): Estimate(0.9, None, 400)})
    cell = {d.domain: domain_verdict(d) for d in thin.domains}["sycophancy"]
    assert "too few samples (n = 9)" in cell
    assert "n =" not in {d.domain: domain_verdict(d) for d in ample.domains}["sycophancy"]
