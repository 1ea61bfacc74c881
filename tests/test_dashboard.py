"""Each dashboard page renders from a registry of real logs (Streamlit's AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from inspect_ai import eval as inspect_eval
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.render import inert_markdown
from evals.sycophancy.are_you_sure import are_you_sure
from registry.ingest import VersionInfo, ingest
from registry.policy import DEFAULT_POLICY_PATH, load_policy
from registry.scorecard import cell_for
from registry.tiers import Estimate, decide_version
from tests.conftest import flipper, fresh_registry
from tests.dashboard_data import HOSTILE, build_registry
from tests.scripted import scripted_model

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def registry_url(request, tmp_path_factory) -> str:
    """The same registry on each backend: the dashboard reads both through one URL."""
    folder = tmp_path_factory.mktemp("dash")
    return build_registry(folder, fresh_registry(request.param, request, folder, "dash"))


def page_opener(monkeypatch, url: str, policy: Path | None = None):
    """Opens a dashboard page, overview first, on the registry at `url` under `policy`."""
    monkeypatch.setenv("RSP_DB", url)
    if policy is None:
        monkeypatch.delenv("RSP_POLICY", raising=False)
    else:
        monkeypatch.setenv("RSP_POLICY", str(policy))

    def open_page(page: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return open_page


@pytest.fixture
def app(registry_url, monkeypatch):
    return page_opener(monkeypatch, registry_url)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "caption", "markdown", "text", "code")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def scorecard(at: AppTest) -> dict[str, dict[str, str]]:
    """The scorecard as model line column -> row name -> cell."""
    table = at.table[0].value
    return {column: dict(zip(table[""], table[column], strict=True))
            for column in table.columns if column}


def test_overview_scorecard_shows_each_line_and_changes(app):
    at = app("overview")
    card = scorecard(at)
    assert list(card) == ["demo-line v3"]
    cells = card["demo-line v3"]
    assert cells["Sycophancy"].startswith("[ASL-")  # a link to the domain's trends
    assert "line=demo-line&domain=sycophancy" in cells["Sycophancy"]
    assert cells["Cyber operations"].startswith("[not evaluated]")
    # the determination as a whole: nothing about cyber measured, so nothing reads as cleared
    assert cells["evidence"].startswith("**incomplete:")
    assert cells["assessment"].startswith("**DUE** since demo-line@")
    assert "demo-line@v3: assessment due since demo-line@" in at.error[0].value
    assert "no version of the line has complete evidence" in at.error[0].value
    assert "ASL-4 not ruled out (cbrn, cyber, autonomy)" in texts(at)
    changes = at.table[-1].value
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
    assert not at.warning  # every version ran the task alike: nothing to warn of


def test_policy_page(app):
    at = app("policy")
    assert "Tiers and the safeguards they require" in texts(at)
    assert len(at.dataframe) >= 3
    # the latest version read under every shipped framework, the policy in force first
    (side_by_side,) = [d.value for d in at.dataframe if "required next" in d.value.columns]
    shipped = sorted(p.name for p in DEFAULT_POLICY_PATH.parent.glob("*.yaml"))
    assert [p.split(" · ")[0] for p in side_by_side["policy"]] == \
        ["asl.yaml", *[p for p in shipped if p != "asl.yaml"]]
    assert set(side_by_side["evidence"]) == {"incomplete"}  # sycophancy alone ran
    assert "openai-leadership" in " ".join(side_by_side["required next"])


def test_signoff_checklist(app):
    at = app("signoff")
    items = at.table[0].value
    assert "every required indicator has a completed run" in set(items["item"])
    assert at.error and not at.success  # incomplete evidence is never releasable
    status = dict(zip(items["item"], items["status"], strict=True))
    assert status["model line not due for a new assessment"] == "**FAIL**"
    assert status["sandbagging check shows no significant drop"] == "**FAIL**"  # not run
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
    assert list(scorecard(at)) == ["line-a v1"]

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
    assert sorted(scorecard(at)) == ["line-a v1", "line-b v1"]


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


def test_a_scorecard_cell_shows_how_thin_the_evidence_is():
    policy = load_policy()
    thin = decide_version(policy, {("sycophancy", "answer_flip_rate"): Estimate(0.2, None, 9)})
    ample = decide_version(policy, {("sycophancy", "answer_flip_rate"): Estimate(0.9, None, 400)})
    cell = {d.domain: cell_for(policy, d) for d in thin.domains}["sycophancy"]
    assert (cell.verdict, cell.thin) == ("not ruled out", "n = 9 of 30 needed")
    assert not {d.domain: cell_for(policy, d) for d in ample.domains}["sycophancy"].thin


def elicitation_policy(path: Path) -> Path:
    """The default policy, with the flip rate's evidence needing at least 2 epochs."""
    policy = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    sycophancy = next(d for d in policy["domains"] if d["id"] == "sycophancy")
    flip = next(i for i in sycophancy["indicators"] if i["id"] == "answer_flip_rate")
    flip["elicitation"] = {"epochs": 2}
    path.write_text(yaml.safe_dump(policy))
    return path


@pytest.fixture(scope="module")
def elicited_registry(tmp_path_factory) -> tuple[str, Path]:
    """Two versions of a line that ran are_you_sure differently: v1 at 2 epochs, v2 (the
    latest) at the default 1, below the policy's minimum. Real logs, a few samples each."""
    folder = tmp_path_factory.mktemp("elicited")
    url = f"duckdb:///{folder / 'r.duckdb'}"
    for label, epochs in (("v1", 2), ("v2", 1)):
        log = inspect_eval(are_you_sure(), model=scripted_model(flipper, label), limit=4,
                           epochs=epochs, log_dir=str(folder / label), display="none")[0]
        assert log.eval.config.epochs == epochs
        ingest([log.location], url, VersionInfo("elicit-line", label))
    return url, elicitation_policy(folder / "policy.yaml")


@pytest.fixture
def elicited_app(elicited_registry, monkeypatch):
    url, policy = elicited_registry
    return page_opener(monkeypatch, url, policy)


def test_compare_warns_when_the_versions_were_elicited_differently(elicited_app):
    at = elicited_app("compare")
    assert [w.value for w in at.warning] == [
        "sycophancy/answer_flip_rate was elicited differently (epochs 2 vs 1): its difference "
        "mixes the model with the method."]
    assert "Paired per sample" in texts(at)  # the rest of the page still draws


def test_overview_names_an_under_elicited_indicator_and_why(elicited_app, elicited_registry):
    at = elicited_app("overview")
    (cells,) = scorecard(at).values()
    assert list(scorecard(at)) == ["elicit-line v2"]
    # the latest run fell short of the minimum: no evidence, and the cell says why not
    assert cells["Sycophancy"].startswith("[not evaluated (under-elicited)](trends?")
    required = sum(i.required for d, i in load_policy(elicited_registry[1]).indicators()
                   if d.role != "tracked")
    assert cells["evidence"] == \
        f"**incomplete: {required - 1} not evaluated, 1 under-elicited, 0 too few samples**"
    assert ("elicit-line@v2 sycophancy/answer_flip_rate: under-elicited, epochs 1 (the policy "
            "needs at least 2)") in [t.value for t in at.text]
    changes = at.table[-1].value.to_dict("records")
    assert [(c["indicator"], c["verdict"]) for c in changes] == [
        ("sycophancy/answer_flip_rate", "too few samples → under-elicited")]


def test_runs_page_shows_how_each_run_was_elicited(elicited_app):
    at = elicited_app("runs")
    runs = at.dataframe[0].value
    columns = list(runs.columns)
    assert columns.index("elicitation") == columns.index("error_samples") + 1
    assert "elicitation_json" not in columns
    assert dict(zip(runs["version"], runs["elicitation"], strict=True)) == {
        "v1": "2 epochs (reducer unknown), tools unknown, message limit unknown, "
              "temperature 0.0",
        "v2": "1 epoch, tools unknown, message limit unknown, temperature 0.0"}


def test_markdown_in_a_warning_is_escaped():
    """st.warning renders Markdown: what a log says must not turn into a link or an image."""
    hostile = "tools [click](http://evil.example) vs ![x](http://evil.example/p.png)\n# big"
    shown = inert_markdown(hostile)
    assert "[click]" not in shown and "![" not in shown and "\n" not in shown
    assert shown.replace("\\", "") == hostile.replace("\n", " ")
