"""The dashboard behind the lab's sign-in: `rsp dashboard --auth FILE`.

End to end: a real OpenID Connect provider on loopback (tests/oidc_provider.py), the real
`rsp dashboard` serving a registry built from real logs, and Debian Chromium signing in, as a
reviewer, as a stranger, and as a holder of the allowed group claim. Then the access decision
alone, and the auth file's checks through the CLI. Screenshots of the sign-in page and of a
refusal land in artifacts/screenshots/ (signin.png, refused.png).
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import tempfile
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from typer.testing import CliRunner

from dashboard.access import (
    GATE_ENV,
    PRODUCT,
    AccessRule,
    AllowClaim,
    default_reviewers_path,
    load_auth_file,
    may_view,
    streamlit_secrets,
)
from registry.signoff import generate_key
from rsp.cli import app
from tests.conftest import CHROMIUM
from tests.dashboard_data import build_registry
from tests.oidc_provider import OIDCProvider
from tests.test_dashboard_browser import (
    SHOTS,
    free_port,
    settle,
    start_dashboard,
)

CLIENT_ID = "rsp-dashboard"
CLIENT_SECRET = secrets.token_urlsafe(24)
GROUP = "rsp-reviewers"
MARKUP_EMAIL = "**eve**[click](http://evil.example)@lab.example"
USERS: dict[str, dict[str, object]] = {  # username at the provider -> its ID token's claims
    "alice": {"email": "alice@lab.example", "email_verified": True, "name": "Alice",
              "groups": ["staff"]},  # listed in the reviewers file
    "mallory": {"email": "mallory@lab.example", "email_verified": True, "name": "Mallory",
                "groups": ["staff"]},  # a lab account, but no reviewer
    "eve": {"email": MARKUP_EMAIL, "email_verified": True, "groups": []},
    "carol": {"email": "carol@lab.example", "email_verified": True, "name": "Carol",
              "groups": ["staff", GROUP]},  # not listed: let in by the group claim
}
REFUSAL = "who is not a reviewer of this registry"
REGISTRY_TEXT = ("demo-line", "What changed", "answer_flip_rate", "Scorecard")
runner = CliRunner()


def reviewers_file(path: Path, *ids: str) -> Path:
    """A sign-off reviewers file listing `ids`, each with a fresh Ed25519 key."""
    path.write_text("".join(f"{rid} responsible-scaling-officer {generate_key()[1]}\n"
                            for rid in ids))
    return path


def toml_value(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)  # a TOML basic string


def write_auth(path: Path, oidc: dict[str, object] | None,
               access: dict[str, object] | None = None) -> Path:
    """An auth file with these sections (None: the section is left out)."""
    lines = []
    for section, table in (("oidc", oidc), ("access", access)):
        if table is not None:
            lines += [f"[{section}]", *(f"{k} = {toml_value(v)}" for k, v in table.items())]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def oidc_settings(metadata_url: str = "https://login.lab.example/.well-known/openid-configuration",
                  redirect_uri: str = "http://127.0.0.1:{port}/oauth2callback") -> dict:
    return {"server_metadata_url": metadata_url, "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "redirect_uri": redirect_uri,
            "cookie_secret": secrets.token_urlsafe(32)}


# -- end to end ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signin_served(tmp_path_factory):
    """`rsp dashboard --auth` on a real registry, signing in through a real provider."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/test.sh"
    workdir = tmp_path_factory.mktemp("signin")
    url = build_registry(workdir)
    port = free_port()
    reviewers_file(workdir / "reviewers.allowed", "alice@lab.example", "bob@lab.example")
    with OIDCProvider(CLIENT_ID, CLIENT_SECRET, f"http://127.0.0.1:{port}/oauth2callback",
                      USERS) as provider:
        auth = write_auth(workdir / "dashboard-auth.toml",
                          {**oidc_settings(provider.metadata_url),
                           "scope": "openid email profile groups"},
                          {"reviewers": "reviewers.allowed",  # next to the auth file
                           "allow_claim": {"name": "groups", "value": GROUP}})
        env = {k: v for k, v in os.environ.items() if k not in ("RSP_REVIEWERS", GATE_ENV)}
        env["TMPDIR"] = str(workdir)  # where its private secrets file goes
        log = (workdir / "server.log").open("w")
        server, base = start_dashboard(["--auth", str(auth), "--db", url], port=port,
                                       stdout=log, stderr=log, env=env, cwd=workdir)
        yield base, provider
        server.terminate()
        server.wait(timeout=20)
        log.close()


def fresh_page(browser: Browser) -> Page:
    """A page in its own browser context: no sign-in cookie from another test."""
    return browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()


def sign_in(browser: Browser, base: str, provider: OIDCProvider, username: str) -> Page:
    """Press the dashboard's sign-in button and sign in at the provider as `username`."""
    page = fresh_page(browser)
    page.goto(base)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider.issuer}/authorize?*")
    page.fill("input[name=username]", username)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/**")
    return page


def shows_none_of_the_registry(page: Page) -> None:
    body = page.inner_text("body")
    assert not [text for text in REGISTRY_TEXT if text in body], body
    assert not page.locator("[data-testid='stSidebarNav']").count()  # no way to other pages
    assert not page.get_by_text("Page not found").count()
    assert not page.locator("[data-testid='stException']").count()


def test_signed_out_sees_the_sign_in_button_and_nothing_of_the_registry(signin_served,
                                                                          browser):
    base, _ = signin_served
    page = fresh_page(browser)
    for path in ("", "overview", "trends", "runs", "signoff"):
        page.goto(f"{base}/{path}")
        settle(page, "Sign in")
        assert page.get_by_role("button", name="Sign in").count() == 1
        assert PRODUCT in page.inner_text("body")
        shows_none_of_the_registry(page)
        if not path:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "signin.png"), full_page=True)
    page.context.close()


def test_a_listed_reviewer_signs_in_and_sees_the_registry(signin_served, browser):
    base, provider = signin_served
    page = sign_in(browser, base, provider, "alice")
    settle(page, "What changed")
    assert "alice" in provider.signed_in  # the provider issued her token: a real sign-in
    body = page.inner_text("body")
    assert "demo-line" in body and REFUSAL not in body
    assert page.get_by_text("Signed in as alice@lab.example").count()
    page.goto(f"{base}/trends")
    settle(page, "answer_flip_rate")
    page.get_by_role("button", name="Sign out").click()  # in the sidebar, on every page
    settle(page, "Sign in")
    shows_none_of_the_registry(page)
    page.goto(base)  # the cookie is gone: signed out for good
    settle(page, "Sign in")
    shows_none_of_the_registry(page)
    page.context.close()


@pytest.mark.parametrize("username", ["mallory", "eve"])
def test_a_signed_in_user_who_is_no_reviewer_is_refused(signin_served, browser, username):
    base, provider = signin_served
    page = sign_in(browser, base, provider, username)
    settle(page, REFUSAL)
    assert username in provider.signed_in
    email = USERS[username]["email"]
    # shown as the characters it is: no bold, no link
    assert f"Signed in as {email}, {REFUSAL}." in page.inner_text("body")
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.get_by_role("button", name="Sign out").count() == 1
    shows_none_of_the_registry(page)
    if username == "mallory":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "refused.png"), full_page=True)
    page.goto(f"{base}/trends")  # another page's address does not get round the gate
    settle(page, REFUSAL)
    shows_none_of_the_registry(page)
    page.context.close()


def test_a_holder_of_the_allowed_claim_sees_the_registry(signin_served, browser):
    base, provider = signin_served
    page = sign_in(browser, base, provider, "carol")
    settle(page, "What changed")
    assert "demo-line" in page.inner_text("body")
    page.context.close()


# -- the access decision ---------------------------------------------------------------------

REVIEWERS = {"alice@lab.example", "bob@lab.example"}
CLAIM = AllowClaim("groups", GROUP)


@pytest.mark.parametrize(("claims", "allow_claim", "allowed"), [
    ({"email": "alice@lab.example"}, None, True),
    ({"email": "Alice@Lab.Example"}, None, True),  # mail addresses are compared without case
    ({"email": "mallory@lab.example"}, None, False),
    ({"email": "alice@lab.example", "email_verified": False}, None, False),
    ({"email": "alice@lab.example", "email_verified": "false"}, None, False),
    ({"email": "alice@lab.example", "email_verified": True}, None, True),
    ({"sub": "alice@lab.example"}, None, False),  # only the email claim names a reviewer
    ({"email": ""}, None, False),
    ({"email": ["alice@lab.example"]}, None, False),
    ({}, None, False),
    ({"email": "carol@lab.example", "groups": ["staff", GROUP]}, CLAIM, True),
    ({"email": "carol@lab.example", "groups": GROUP}, CLAIM, True),
    ({"groups": [GROUP]}, CLAIM, True),  # the claim alone suffices
    ({"email": "carol@lab.example", "groups": ["staff"]}, CLAIM, False),
    ({"email": "carol@lab.example", "groups": f"{GROUP}-alumni"}, CLAIM, False),
    ({"email": "carol@lab.example", "groups": {"name": GROUP}}, CLAIM, False),
    ({"email": "carol@lab.example", "roles": [GROUP]}, CLAIM, False),
    ({"email": "carol@lab.example", "groups": [GROUP]}, None, False),
])
def test_who_may_view(claims, allow_claim, allowed):
    assert may_view(claims, REVIEWERS, allow_claim) is allowed


def test_the_rule_reaches_the_app_unchanged():
    for rule in (AccessRule(Path("/etc/rsp/reviewers.allowed"), CLAIM),
                 AccessRule(Path("/etc/rsp/reviewers.allowed"))):
        assert AccessRule.from_env(rule.to_env()) == rule


def test_the_default_reviewers_file_is_the_sign_off_pages(monkeypatch, tmp_path):
    from dashboard.data import reviewers_path

    monkeypatch.delenv("RSP_REVIEWERS", raising=False)
    assert default_reviewers_path() == reviewers_path()
    monkeypatch.setenv("RSP_REVIEWERS", str(tmp_path / "r"))
    assert default_reviewers_path() == reviewers_path() == tmp_path / "r"


def test_the_auth_file_becomes_streamlits_auth_secrets(tmp_path):
    reviewers_file(tmp_path / "reviewers.allowed", "alice@lab.example")
    oidc = oidc_settings()
    auth = write_auth(tmp_path / "auth.toml", {**oidc, "scope": "openid email groups"},
                      {"reviewers": "reviewers.allowed", "allow_claim": {"name": "groups",
                                                                         "value": GROUP}})
    sign_in = load_auth_file(auth, 8765)
    assert sign_in.rule == AccessRule((tmp_path / "reviewers.allowed").resolve(), CLAIM)
    assert not sign_in.readable_by_others
    assert tomllib.loads(streamlit_secrets(sign_in)) == {"auth": {
        "redirect_uri": "http://127.0.0.1:8765/oauth2callback",  # {port} filled in
        "cookie_secret": oidc["cookie_secret"], "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET, "server_metadata_url": oidc["server_metadata_url"],
        "client_kwargs": {"scope": "openid email groups"}}}


# -- the CLI: what reaches Streamlit, and bad auth files -------------------------------------


@pytest.fixture
def served_by(monkeypatch, tmp_path):
    """Runs `rsp dashboard ARGS` up to its exec of Streamlit: the command and environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the secrets file, too
    monkeypatch.delenv("RSP_REVIEWERS", raising=False)
    monkeypatch.setenv(GATE_ENV, "left over in the shell")
    calls: list[tuple[list[str], dict[str, str]]] = []

    def execve(path, command, env):
        calls.append((command, env))
        raise SystemExit(0)

    monkeypatch.setattr(os, "execve", execve)

    def run(*args: str) -> tuple[list[str], dict[str, str]]:
        result = runner.invoke(app, ["dashboard", *args])
        assert result.exit_code == 0 and calls, result.output
        return calls[-1]

    return run


def test_rsp_dashboard_hands_streamlit_a_private_secrets_file(served_by, tmp_path):
    reviewers_file(tmp_path / "reviewers.allowed", "alice@lab.example")
    auth = write_auth(tmp_path / "auth.toml", oidc_settings())
    command, env = served_by("--auth", str(auth), "--port", "8765")
    secrets_file = Path(command[command.index("--secrets.files") + 1])
    assert secrets_file.is_relative_to(tmp_path)
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secrets_file.parent.stat().st_mode) == 0o700
    assert tomllib.loads(secrets_file.read_text())["auth"]["client_secret"] == CLIENT_SECRET
    assert AccessRule.from_env(env[GATE_ENV]) == AccessRule(
        (tmp_path / "reviewers.allowed").resolve())  # $RSP_REVIEWERS, else ./reviewers.allowed
    assert env["RSP_REVIEWERS"] == str((tmp_path / "reviewers.allowed").resolve())
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert "--client.toolbarMode" in command


def test_the_auth_file_may_come_from_the_environment(served_by, tmp_path, monkeypatch):
    reviewers_file(tmp_path / "reviewers.allowed", "alice@lab.example")
    monkeypatch.setenv("RSP_DASHBOARD_AUTH", str(write_auth(tmp_path / "a.toml",
                                                            oidc_settings())))
    command, env = served_by("--port", "8765")
    assert "--secrets.files" in command and GATE_ENV in env


def test_without_auth_the_dashboard_serves_loopback_as_before(served_by):
    command, env = served_by("--port", "8765")
    assert "--secrets.files" not in command and GATE_ENV not in env
    assert command[command.index("--server.address") + 1] == "127.0.0.1"


def valid_oidc() -> dict:
    return oidc_settings(redirect_uri="http://127.0.0.1:8501/oauth2callback")


def without(table: dict, key: str) -> dict:
    return {k: v for k, v in table.items() if k != key}


BAD_AUTH_FILES = {  # name -> ([oidc], [access] or None, what the message must say)
    **{f"no {key}": (without(valid_oidc(), key), None, f"[oidc] {key} is missing")
       for key in ("server_metadata_url", "client_id", "client_secret", "redirect_uri",
                   "cookie_secret")},
    "no [oidc]": (None, {"reviewers": "reviewers.allowed"}, "[oidc] section is missing"),
    "a misspelt key": (valid_oidc(), {"allowed_claim": {"name": "groups", "value": GROUP}},
                       "unknown key [access] allowed_claim"),
    "an empty secret": ({**valid_oidc(), "client_secret": " "}, None,
                        "[oidc] client_secret must be a non-empty string"),
    "a number for a URL": ({**valid_oidc(), "server_metadata_url": 8080}, None,
                           "server_metadata_url must be a non-empty string"),
    "metadata over plain http": (
        {**valid_oidc(), "server_metadata_url": "http://login.lab.example/.well-known/x"}, None,
        "server_metadata_url 'http://login.lab.example/.well-known/x' is not an https URL"),
    "another callback path": (
        {**valid_oidc(), "redirect_uri": "https://rsp.lab.example/callback"}, None,
        "does not end in /oauth2callback"),
    "redirect over plain http": (
        {**valid_oidc(), "redirect_uri": "http://rsp.lab.example/oauth2callback"}, None,
        "is not an https URL"),
    "another port": ({**valid_oidc(), "redirect_uri": "http://localhost:9000/oauth2callback"},
                     None, "returns to port 9000, but the dashboard serves on 8501"),
    "a short cookie secret": ({**valid_oidc(), "cookie_secret": "hunter2"}, None,
                              "cookie_secret is shorter than 32 characters"),
    "no openid scope": ({**valid_oidc(), "scope": "email profile"}, None, "lacks 'openid'"),
    "a claim without a value": (valid_oidc(), {"allow_claim": {"name": "groups"}},
                                "allow_claim must have exactly a name and a value"),
    "a claim Streamlit sets": (valid_oidc(), {"allow_claim": {"name": "is_logged_in",
                                                              "value": "true"}},
                               "which Streamlit sets itself"),
    "a missing reviewers file": (valid_oidc(), {"reviewers": "elsewhere/reviewers.allowed"},
                                 "reviewers.allowed does not exist"),
    "a malformed reviewers file": (valid_oidc(), {"reviewers": "malformed.allowed"},
                                   "expected 'REVIEWER ROLES PUBLIC_KEY'"),
    "nobody could get in": (valid_oidc(), {"reviewers": "empty.allowed"},
                            "lists nobody and there is no [access] allow_claim"),
}


@pytest.mark.parametrize("case", list(BAD_AUTH_FILES))
def test_a_bad_auth_file_is_exit_2_naming_the_problem(case, tmp_path, monkeypatch):
    oidc, access, message = BAD_AUTH_FILES[case]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RSP_REVIEWERS", raising=False)
    monkeypatch.setattr(os, "execve", lambda *a: pytest.fail("served with a bad auth file"))
    reviewers_file(tmp_path / "reviewers.allowed", "alice@lab.example")
    (tmp_path / "malformed.allowed").write_text("alice@lab.example\n")
    (tmp_path / "empty.allowed").write_text("# nobody yet\n")
    auth = write_auth(tmp_path / "auth.toml", oidc, access)
    result = runner.invoke(app, ["dashboard", "--auth", str(auth)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Fix:" in result.stderr, result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d / "nowhere.toml", "Cannot read the auth file"),
    (lambda d: d, "Cannot read the auth file"),  # a folder
    (lambda d: (d / "x.toml", (d / "x.toml").write_text("[oidc\n"))[0], "is not valid TOML"),
    (lambda d: (d / "x.toml", (d / "x.toml").write_bytes(b"\xff\xfe"))[0], "is not valid TOML"),
])
def test_an_unreadable_auth_file_is_exit_2(make, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "execve", lambda *a: pytest.fail("served without an auth file"))
    result = runner.invoke(app, ["dashboard", "--auth", str(make(tmp_path))])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Fix:" in result.stderr
    assert "Traceback" not in result.output


def test_an_auth_file_others_can_read_is_served_with_a_warning(served_by, tmp_path):
    reviewers_file(tmp_path / "reviewers.allowed", "alice@lab.example")
    auth = write_auth(tmp_path / "auth.toml", oidc_settings())
    auth.chmod(0o644)
    result = runner.invoke(app, ["dashboard", "--auth", str(auth), "--port", "8765"])
    assert result.exit_code == 0
    assert "other users can read it" in result.stderr and "chmod 600" in result.stderr
