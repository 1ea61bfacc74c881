"""Who may see the dashboard when it is served behind the lab's sign-in (OpenID Connect).

`rsp dashboard --auth FILE` reads the sign-in settings here: one TOML file holding the
provider's settings and the access rule (README, "Team deployment"). It hands Streamlit the
provider part as a private secrets file (`--secrets.files`, read by `st.login`), and the app the
access rule through $RSP_DASHBOARD_GATE. The app calls `gate()` before any page runs.

The decision itself, `may_view`, is a pure function of the signed-in user's ID-token claims, so
it is tested without Streamlit; Streamlit is imported only inside `gate()`, which keeps this
module light enough for the CLI to validate the file before it serves anything.

    [oidc]
    server_metadata_url = "https://login.lab.example/.well-known/openid-configuration"
    client_id = "rsp-dashboard"
    client_secret = "..."
    redirect_uri = "https://rsp.lab.example/oauth2callback"
    cookie_secret = "..."                   # 32+ random characters
    scope = "openid email profile groups"   # optional; default "openid email profile"

    [access]
    reviewers = "/etc/rsp/reviewers.allowed"  # optional; else $RSP_REVIEWERS, ./reviewers.allowed
    allow_claim = { name = "groups", value = "rsp-reviewers" }  # optional
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import tempfile
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from registry.errors import RspError

GATE_ENV = "RSP_DASHBOARD_GATE"  # set by `rsp dashboard --auth`: the access rule, as JSON
PRODUCT = "rsp-registry"
MIN_COOKIE_SECRET = 32
CALLBACK_PATH = "/oauth2callback"  # where Streamlit's server receives the provider's answer
OIDC_KEYS = {  # key -> what to put there, for the message when it is missing
    "server_metadata_url": "the provider's discovery URL, e.g. "
                           "https://login.lab.example/.well-known/openid-configuration",
    "client_id": "the client id the provider registered for this dashboard",
    "client_secret": "the secret the provider issued for that client",
    "redirect_uri": f"the dashboard's own address followed by {CALLBACK_PATH}, registered with "
                    "the provider as a redirect URI",
    "cookie_secret": f"{MIN_COOKIE_SECRET}+ random characters, e.g. from `python -c 'import "
                     "secrets; print(secrets.token_urlsafe(32))'`",
}
OPTIONAL_OIDC_KEYS = {"scope"}
ACCESS_KEYS = {"reviewers", "allow_claim"}
# keys Streamlit writes into st.user itself, over any claim of the same name
STREAMLIT_USER_KEYS = {"is_logged_in", "origin", "provider", "tokens"}

log = logging.getLogger(__name__)


class AuthFileError(RspError, ValueError):
    """The auth file, or the reviewers file it names, cannot be used: the message says which
    key or file, and the fix."""


Problem = Callable[[str], AuthFileError]  # a message about the auth file -> its error


@dataclass(frozen=True)
class AllowClaim:
    """A claim that lets its holder in without being a listed reviewer: `name` must equal
    `value`, or be a list that contains it."""

    name: str
    value: str

    def held_by(self, claims: Mapping[str, object]) -> bool:
        """Whether these ID-token claims carry the value."""
        held = claims.get(self.name)
        if isinstance(held, str):
            return held == self.value
        if isinstance(held, list):
            return self.value in [v for v in held if isinstance(v, str)]
        return False


@dataclass(frozen=True)
class AccessRule:
    """Who may see results: the reviewers file's ids, compared with the `email` claim, and
    optionally a claim that lets its holders in."""

    reviewers: Path
    allow_claim: AllowClaim | None = None

    def to_env(self) -> str:
        """The rule as the JSON the app reads from $RSP_DASHBOARD_GATE."""
        claim = None if self.allow_claim is None else {"name": self.allow_claim.name,
                                                       "value": self.allow_claim.value}
        return json.dumps({"reviewers": str(self.reviewers), "allow_claim": claim})

    @classmethod
    def from_env(cls, text: str) -> AccessRule:
        """The rule `to_env` wrote. Anything else raises: the gate fails closed."""
        data = json.loads(text)
        claim = data["allow_claim"]
        return cls(Path(data["reviewers"]),
                   None if claim is None else AllowClaim(str(claim["name"]), str(claim["value"])))


@dataclass(frozen=True)
class SignIn:
    """A checked auth file: the provider settings Streamlit needs, and the access rule."""

    server_metadata_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    cookie_secret: str
    scope: str | None
    rule: AccessRule
    readable_by_others: bool  # the file holds secrets: worth a warning


def may_view(claims: Mapping[str, object], reviewers: Collection[str],
             allow_claim: AllowClaim | None) -> bool:
    """Whether a signed-in user, known by their ID-token `claims`, may see results: their
    `email` is a reviewer id in the reviewers file (compared without regard to case, as mail
    systems do), or they hold `allow_claim`. An email the provider marks unverified counts for
    nothing: on some providers a user may type any address."""
    if allow_claim is not None and allow_claim.held_by(claims):
        return True
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        return False
    if claims.get("email_verified") in (False, "false"):  # some providers send a string
        return False
    return email.strip().casefold() in {r.casefold() for r in reviewers}


def default_reviewers_path() -> Path:
    """The sign-off page's reviewers file (dashboard.data.reviewers_path, which needs Streamlit
    to import): $RSP_REVIEWERS, else ./reviewers.allowed."""
    return Path(os.environ.get("RSP_REVIEWERS", "reviewers.allowed"))


def reviewer_ids(path: Path) -> frozenset[str]:
    """The reviewer ids of a sign-off reviewers file ('ID ROLES PUBLIC_KEY' lines)."""
    from registry.signoff import parse_reviewers

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthFileError(f"The reviewers file {path} does not exist. Fix: point [access] "
                            "reviewers in the auth file (or $RSP_REVIEWERS) at the sign-off "
                            "reviewers file, or create it with `rsp signoff keygen ID --reviewers "
                            f"{path}`.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AuthFileError(f"Cannot read the reviewers file {path} ({exc}). Fix: make it a "
                            "readable text file of 'ID ROLES PUBLIC_KEY' lines.") from None
    return frozenset(parse_reviewers(text, source=str(path)))


def load_auth_file(path: Path, port: int) -> SignIn:
    """Read and check the auth file `rsp dashboard --auth` names, for a dashboard on `port`.
    Every problem is an AuthFileError naming the key or file and the fix."""
    try:
        raw = path.read_bytes()
        readable_by_others = bool(path.stat().st_mode & 0o077)
    except OSError as exc:
        raise AuthFileError(f"Cannot read the auth file {path} ({exc.strerror or exc}). Fix: "
                            "pass --auth (or $RSP_DASHBOARD_AUTH) the TOML file with the [oidc] "
                            "and [access] settings.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AuthFileError(f"The auth file {path} is not valid TOML ({exc}). Fix: correct it; "
                            "the README's Team deployment has a complete example.") from None

    def problem(message: str) -> AuthFileError:
        return AuthFileError(f"auth file {path}: {message}")

    _no_unknown(data, {"oidc", "access"}, "", problem)
    oidc = _table(data, "oidc", problem, required=True)
    access = _table(data, "access", problem, required=False)
    _no_unknown(oidc, set(OIDC_KEYS) | OPTIONAL_OIDC_KEYS, "[oidc] ", problem)
    _no_unknown(access, ACCESS_KEYS, "[access] ", problem)
    for key, what in OIDC_KEYS.items():
        if key not in oidc:
            raise problem(f"[oidc] {key} is missing. Fix: add {key} = \"...\": {what}.")
    values = {key: _text(oidc, key, "[oidc] ", problem) for key in OIDC_KEYS}

    metadata_url = values["server_metadata_url"]
    if not _secure_or_loopback(metadata_url):
        raise problem(f"[oidc] server_metadata_url {metadata_url!r} is not an https URL. Fix: "
                      "use the provider's https discovery URL (plain http only on loopback).")
    redirect = values["redirect_uri"].replace("{port}", str(port))
    _check_redirect(redirect, port, problem)
    if len(values["cookie_secret"]) < MIN_COOKIE_SECRET:
        raise problem(f"[oidc] cookie_secret is shorter than {MIN_COOKIE_SECRET} characters. "
                      f"Fix: use {OIDC_KEYS['cookie_secret']}.")
    scope = _text(oidc, "scope", "[oidc] ", problem) if "scope" in oidc else None
    if scope is not None and "openid" not in scope.split():
        raise problem(f"[oidc] scope {scope!r} lacks 'openid'. Fix: e.g. scope = \"openid email "
                      "profile\", plus any scope your provider needs to send the claim "
                      "allow_claim names.")

    if "reviewers" in access:
        reviewers = Path(_text(access, "reviewers", "[access] ", problem)).expanduser()
        if not reviewers.is_absolute():  # like an ssh config: next to the file that names it
            reviewers = path.parent / reviewers
    else:
        reviewers = default_reviewers_path()
    reviewers = reviewers.resolve()
    allow_claim = _allow_claim(access, problem) if "allow_claim" in access else None
    if not reviewer_ids(reviewers) and allow_claim is None:
        raise problem(f"the reviewers file {reviewers} lists nobody and there is no [access] "
                      "allow_claim, so nobody could see results. Fix: add reviewers with `rsp "
                      "signoff keygen`, or set allow_claim = { name = \"groups\", value = "
                      "\"rsp-reviewers\" }.")
    return SignIn(metadata_url, values["client_id"], values["client_secret"], redirect,
                  values["cookie_secret"], scope, AccessRule(reviewers, allow_claim),
                  readable_by_others)


def streamlit_secrets(sign_in: SignIn) -> str:
    """The secrets.toml Streamlit's `st.login()` reads: the [auth] section of its default
    provider. TOML basic strings accept JSON's string escapes, so values are written with
    json.dumps and read back to be sure."""
    auth: dict[str, object] = {
        "redirect_uri": sign_in.redirect_uri, "cookie_secret": sign_in.cookie_secret,
        "client_id": sign_in.client_id, "client_secret": sign_in.client_secret,
        "server_metadata_url": sign_in.server_metadata_url}
    lines = ["[auth]", *(f"{key} = {json.dumps(value)}" for key, value in auth.items())]
    if sign_in.scope is not None:
        lines += ["", "[auth.client_kwargs]", f"scope = {json.dumps(sign_in.scope)}"]
        auth["client_kwargs"] = {"scope": sign_in.scope}
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != {"auth": auth}:
        raise AssertionError("the secrets file would not read back as written")
    return text


def write_streamlit_secrets(sign_in: SignIn) -> Path:
    """Write `streamlit_secrets` to a new private file (mode 0600 in a fresh 0700 folder) and
    return its path, for `streamlit run --secrets.files PATH`. The file stays while the server
    runs: Streamlit watches it and would drop the secrets if it went."""
    folder = Path(tempfile.mkdtemp(prefix="rsp-dashboard-"))  # created 0700
    target = folder / "secrets.toml"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), 0o600)  # whatever the umask
        f.write(streamlit_secrets(sign_in))
    return target


def rule_from_environment() -> AccessRule | None:
    """The access rule `rsp dashboard --auth` set, or None when it serves without sign-in."""
    text = os.environ.get(GATE_ENV)
    return None if text is None else AccessRule.from_env(text)


def gate() -> None:
    """Before any page runs: when sign-in is configured, stop the script unless the user is
    signed in and may see results. A signed-out user sees the product name and a sign-in
    button; a signed-in user who may not see results, who they are and a sign-out button.
    Claims are shown with st.text: they come from the provider, not from us."""
    rule = rule_from_environment()
    if rule is None:
        return  # served on loopback without sign-in
    import streamlit as st

    claims = st.user.to_dict()
    if claims.get("is_logged_in") is not True:
        st.title(PRODUCT)
        if st.button("Sign in", type="primary"):
            st.login()
        st.stop()
    try:  # read on every run: a reviewer removed from the file is refused from the next click
        reviewers = reviewer_ids(rule.reviewers)
    except RspError as exc:
        log.error("dashboard sign-in: %s", exc)
        reviewers = frozenset()
        st.error("The reviewers file of this dashboard cannot be read; ask whoever runs it.")
    who = str(claims.get("email") or claims.get("sub") or "an account without an email")
    if not may_view(claims, reviewers, rule.allow_claim):
        st.title(PRODUCT)
        st.text(f"Signed in as {who}, who is not a reviewer of this registry.")
        if st.button("Sign out"):
            st.logout()
        st.stop()
    st.sidebar.text(f"Signed in as {who}")
    if st.sidebar.button("Sign out"):
        st.logout()


def _table(data: Mapping[str, object], key: str, problem: Problem, required: bool) -> dict:
    if key not in data:
        if required:
            raise problem(f"the [{key}] section is missing. Fix: add it with "
                          f"{', '.join(OIDC_KEYS)}.")
        return {}
    value = data[key]
    if not isinstance(value, dict):
        raise problem(f"{key} must be a [{key}] section. Fix: write it as [{key}] followed by "
                      "its keys.")
    return value


def _no_unknown(table: Mapping[str, object], known: set[str], where: str, problem: Problem) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise problem(f"unknown key {where}{unknown[0]}. Fix: remove it or correct its spelling; "
                      f"the keys are {', '.join(sorted(known))}.")


def _text(table: Mapping[str, object], key: str, where: str, problem: Problem) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise problem(f"{where}{key} must be a non-empty string. Fix: write {key} = \"...\".")
    return value.strip()


def _allow_claim(access: Mapping[str, object], problem: Problem) -> AllowClaim:
    claim = access["allow_claim"]
    shape = ("Fix: write allow_claim = { name = \"groups\", value = \"rsp-reviewers\" } (a claim "
             "the provider puts in the ID token, and the value, or list member, that lets in).")
    if not isinstance(claim, dict) or set(claim) != {"name", "value"}:
        raise problem(f"[access] allow_claim must have exactly a name and a value. {shape}")
    name, value = claim["name"], claim["value"]
    if not (isinstance(name, str) and name.strip() and isinstance(value, str) and value.strip()):
        raise problem(f"[access] allow_claim's name and value must be non-empty strings. {shape}")
    if name.strip() in STREAMLIT_USER_KEYS:
        raise problem(f"[access] allow_claim names {name.strip()!r}, which Streamlit sets "
                      f"itself, not the provider. {shape}")
    return AllowClaim(name.strip(), value.strip())


def _loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _secure_or_loopback(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.hostname) and (parts.scheme == "https" or
                                     (parts.scheme == "http" and _loopback(parts.hostname)))


def _check_redirect(redirect: str, port: int, problem: Problem) -> None:
    parts = urlsplit(redirect)
    fix = f"Fix: use {OIDC_KEYS['redirect_uri']}, e.g. https://rsp.lab.example{CALLBACK_PATH}."
    if not _secure_or_loopback(redirect):
        raise problem(f"[oidc] redirect_uri {redirect!r} is not an https URL (plain http only on "
                      f"loopback). {fix}")
    if parts.path != CALLBACK_PATH or parts.query or parts.fragment:
        raise problem(f"[oidc] redirect_uri {redirect!r} does not end in {CALLBACK_PATH}, where "
                      f"the dashboard receives the sign-in. {fix}")
    try:
        redirect_port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise problem(f"[oidc] redirect_uri {redirect!r} has a bad port. {fix}") from None
    if _loopback(parts.hostname) and redirect_port != port:
        raise problem(f"[oidc] redirect_uri {redirect!r} returns to port {redirect_port}, but the "
                      f"dashboard serves on {port}. Fix: serve with --port {redirect_port}, or "
                      "write the port as {port} in redirect_uri.")
