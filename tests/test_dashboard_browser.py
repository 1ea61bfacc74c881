"""The real dashboard, served by `rsp dashboard` on loopback, in headless Debian Chromium.

Screenshots of every page land in artifacts/screenshots/. While the dashboard serves, the CLI
ingests into the same DuckDB file: both must succeed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.conftest import CHROMIUM, run_are_you_sure, steadfast
from tests.dashboard_data import HOSTILE, build_registry

SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
BIN = Path(sys.executable).parent
PAGES = {  # url path -> text that must be on the page
    "overview": "What changed since the previous version",
    "trends": "answer_flip_rate",
    "runs": "Transcript of sample",
    "compare": "Paired per sample",
    "policy": "Indicators and thresholds",
    "signoff": "Sign-off records",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/test.sh"
    workdir = tmp_path_factory.mktemp("served")
    url = build_registry(workdir)
    # a log for the concurrency test, made now: Inspect cannot run inside Playwright's loop
    late = run_are_you_sure(steadfast, workdir / "late", name="late",
                            metadata={"rsp_model_version": "v1", "rsp_model_line": "late-line"})
    server, base = start_dashboard(["--db", url], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    yield base, url, late.location
    server.terminate()
    server.wait(timeout=20)


def start_dashboard(args: list[str], port: int | None = None,
                    **popen: Any) -> tuple[subprocess.Popen, str]:
    """`rsp dashboard ARGS` on `port` (default: a free one), once it answers its health
    check; the server and its base URL."""
    port = port or free_port()
    server = subprocess.Popen([str(BIN / "rsp"), "dashboard", *args, "--port", str(port)],
                              **popen)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.3)
    server.kill()
    pytest.fail(f"the dashboard did not come up within 60 s (exit code {server.poll()})")


def settle(page: Page, text: str, timeout_ms: int = 30_000) -> None:
    """Wait until `text` is on the page (tables count: their cells are in the accessible DOM),
    Streamlit has finished running the script and every element is drawn."""
    page.get_by_text(text, exact=False).first.wait_for(state="attached", timeout=timeout_ms)
    page.wait_for_function(  # script finished, and no element waiting for its code
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"], "
        "[data-testid=\"stSkeleton\"], [data-testid=\"stAppSkeleton\"]')",
        timeout=timeout_ms)
    page.wait_for_timeout(500)  # tables and charts paint after the script finishes


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_in_chromium(served, browser, path):
    base, _, _ = served
    page = browser.new_page(viewport={"width": 1400, "height": 2400})  # the app scrolls inside
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/{'' if path == 'overview' else path}")  # the default page is at /
    settle(page, PAGES[path])
    assert not page.get_by_text("Page not found").count()
    assert not page.locator("[data-testid='stException']").count()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path}.png"), full_page=True)
    assert not errors
    page.close()


def test_transcript_markup_stays_text_in_the_browser(served, browser):
    base, _, _ = served
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/runs")
    settle(page, "Transcript of sample")
    page.get_by_text('<script>alert("owned")</script>', exact=False).first.wait_for()
    assert not dialogs  # the script never ran
    assert page.locator("img[src*='evil.example']").count() == 0
    assert page.locator("a[href*='evil.example']").count() == 0
    assert HOSTILE.split(" ")[0] in page.inner_text("body")
    page.close()


def test_cli_ingests_while_the_dashboard_serves(served, browser):
    base, url, late_log = served
    page = browser.new_page()
    page.goto(base)
    settle(page, "What changed")
    result = subprocess.run([str(BIN / "rsp"), "ingest", late_log, "--db", url],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "1 ingested" in result.stdout
    page.reload()  # no waiting: the cache is keyed by the registry's content
    settle(page, "late-line")
    page.close()


def test_a_scorecard_cell_leads_to_its_trend_and_samples(served, browser):
    base, _, _ = served
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(base)
    settle(page, "What changed")
    # Streamlit opens Markdown links in a new tab: the scorecard stays where it was
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="ASL-", exact=False).first.click()
    trends = opened.value
    settle(trends, "Samples behind each point")
    assert "line=demo-line" in trends.url and "domain=sycophancy" in trends.url
    assert trends.get_by_text("Sycophancy · answer_flip_rate").count()
    with trends.context.expect_page() as opened:
        trends.get_by_role("link", name="v3").first.click()
    samples = opened.value
    settle(samples, "Transcript of sample")
    run = samples.url.split("run=")[1]
    assert samples.get_by_text(f"Samples of demo-line@v3 · evals/are_you_sure · {run}").count()
    for p in (page, trends, samples):
        p.close()


# what a reviewer cannot see without scrolling sideways: a static table's cell whose right edge
# is past its table's frame, or a data grid whose own scroller is wider than its frame
CUT_OFF = """() => {
  const cells = [...document.querySelectorAll('[data-testid="stTable"]')].flatMap(table => {
    const edge = table.getBoundingClientRect().right;
    return [...table.querySelectorAll('td, th')]
      .filter(c => c.getBoundingClientRect().right > edge + 1).map(c => c.innerText);
  });
  const grids = [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
    .filter(g => g.scrollWidth > g.clientWidth + 1).map(g => 'data grid');
  return [...cells, ...grids];
}"""
# emoji-presentation code points: a browser without an emoji font draws them as empty boxes
EMOJI = re.compile("[\u2600-\u27bf\u2b00-\u2bff\u231a-\u23ff\U0001f300-\U0001faff]")


@pytest.mark.parametrize("path", ["overview", "signoff"])
def test_wide_tables_fit_a_1400_pixel_screen_without_emoji_or_deploy_button(served, browser,
                                                                             path):
    base, _, _ = served
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"{base}/{'' if path == 'overview' else path}")
    settle(page, PAGES[path])
    assert not page.evaluate(CUT_OFF), "cut off at the right"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1400
    assert not EMOJI.findall(page.inner_text("body"))
    assert not page.locator("[data-testid='stAppDeployButton']").count()
    page.close()
