"""A small, real OpenID Connect provider on loopback, for the dashboard's sign-in tests.

The authorization-code flow as a lab's provider serves it: discovery, a login form at
/authorize (the test types a username; there are no passwords), /token (client secret checked,
code single-use and bound to its client, redirect URI and PKCE challenge) issuing an RS256 ID
token with iss, aud, sub, email, nonce, exp, iat and groups, and the signing key at /jwks.
The JOSE work (the RSA key, its JWK, the signed JWT) is joserfc, Authlib's JOSE library (its
own `authlib.jose` is deprecated in its favour); the PKCE check is Authlib's.
"""

from __future__ import annotations

import base64
import hmac
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey

TOKEN_LIFETIME_S = 300
CODE_LIFETIME_S = 60


@dataclass
class Grant:
    """What an authorization code stands for, until /token redeems it once."""

    user: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    expires: float


@dataclass
class OIDCProvider:
    """One registered client (`client_id`, `client_secret`, `redirect_uri`) and the users who
    can sign in, by username, with the claims each one's ID token carries."""

    client_id: str
    client_secret: str
    redirect_uri: str
    users: dict[str, dict[str, object]]
    signed_in: list[str] = field(default_factory=list)  # users whose tokens were issued
    _grants: dict[str, Grant] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4),
                                                         "use": "sig", "alg": "RS256"},
                                       private=True)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.metadata_url = f"{self.issuer}/.well-known/openid-configuration"

    def __enter__(self) -> OIDCProvider:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def metadata(self) -> dict[str, object]:
        """The discovery document (OpenID Connect Discovery 1.0)."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "groups"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "groups"],
        }

    def authorize(self, params: dict[str, str]) -> str | None:
        """The error in an authorization request, or None. An unknown client or redirect URI
        is answered here, never redirected to."""
        if params.get("client_id") != self.client_id:
            return "unknown client_id"
        if params.get("redirect_uri") != self.redirect_uri:
            return "redirect_uri is not registered for this client"
        if params.get("response_type") != "code":
            return "only response_type=code is supported"
        if "openid" not in params.get("scope", "").split():
            return "scope must include openid"
        if params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            return "only the S256 code challenge method is supported"
        return None

    def grant(self, user: str, params: dict[str, str]) -> str:
        """A new single-use code for `user`, bound to this request."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = Grant(user, params["redirect_uri"], params.get("nonce"),
                                       params.get("code_challenge"),
                                       time.time() + CODE_LIFETIME_S)
        return code

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        """Redeem a code (RFC 6749 4.1.3): the status and JSON body to answer."""
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        if client_id != self.client_id or not hmac.compare_digest(
                (client_secret or "").encode(), self.client_secret.encode()):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # single use
        if (grant is None or grant.expires < time.time()
                or grant.redirect_uri != form.get("redirect_uri")):
            return 400, {"error": "invalid_grant"}
        if grant.code_challenge is not None and not hmac.compare_digest(
                create_s256_code_challenge(form.get("code_verifier", "")), grant.code_challenge):
            return 400, {"error": "invalid_grant", "error_description": "PKCE check failed"}
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "sub": grant.user, "iat": now,
                  "exp": now + TOKEN_LIFETIME_S, "auth_time": now, **self.users[grant.user]}
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        self.signed_in.append(grant.user)
        return 200, {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer",
                     "expires_in": TOKEN_LIFETIME_S, "id_token": id_token}


LOGIN_FORM = """<!doctype html>
<html><head><title>Lab sign-in</title></head><body>
<h1>Lab sign-in</h1><p>{error}</p>
<form method="post" action="/authorize">{hidden}
<label>Username <input name="username" autofocus></label>
<button type="submit">Continue</button>
</form></body></html>"""


def _handler_for(provider: OIDCProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: pytest shows the test's own output

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif url.path == "/jwks":
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                self._authorize(params, user=None)
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path == "/authorize":
                self._authorize(form, user=form.get("username", ""))
            elif self.path == "/token":
                self._json(*provider.token(form, self.headers.get("Authorization")))
            else:
                self._json(404, {"error": "not_found"})

        def _authorize(self, params: dict[str, str], user: str | None) -> None:
            error = provider.authorize(params)
            if error is not None:
                self._html(400, f"<h1>Bad request</h1><p>{html.escape(error)}</p>")
            elif user in provider.users:
                query = {"code": provider.grant(user, params)}
                if "state" in params:
                    query["state"] = params["state"]
                self.send_response(302)
                self.send_header("Location", f"{params['redirect_uri']}?{urlencode(query)}")
                self.end_headers()
            else:  # the form, again with the request's parameters, after an unknown user
                hidden = "".join(
                    f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                    for k, v in params.items() if k != "username")
                note = "" if user is None else f"No such user: {html.escape(user)}"
                self._html(200, LOGIN_FORM.format(error=note, hidden=hidden))

        def _json(self, status: int, body: dict) -> None:
            self._send(status, "application/json", json.dumps(body).encode())

        def _html(self, status: int, body: str) -> None:
            self._send(status, "text/html; charset=utf-8", body.encode())

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler
