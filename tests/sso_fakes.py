"""Local fakes of sign-in providers: a TLS server on a vendor's name with a route table
(`VendorServer`, started by `vendor_server`), and on it a fake OpenID Connect provider
(`FakeOIDC`: discovery, authorize, token, userinfo, jwks; id_tokens signed RS256 with a key made
for the test). Nothing leaves loopback: the name is mapped by the `hosts_file` fixture to a
random 127.x.y.z address on port 443, which the egress guard is told to allow."""

from __future__ import annotations

import base64
import contextlib
import json
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .egress_fakes import Answer, HostsFile, Listener, Seen, _Handler, self_signed, tls_context

Route = Answer | Callable[[Seen], Answer]


def json_answer(data: Any, status: int = 200) -> Answer:
    """A JSON answer."""
    return Answer(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )


def query_of(seen: Seen) -> dict[str, str]:
    """The query string of a request, one value per name."""
    return {k: v[0] for k, v in parse_qs(urlsplit(seen.path).query).items()}


def form_of(seen: Seen) -> dict[str, str]:
    """The form-encoded body of a request, one value per name."""
    return {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}


class VendorServer(Listener):
    """A listener that answers by route: `routes[(method, path)]` (path without the query) is an
    Answer or a function of the request giving one; anything else is a 404. `seen` counts all."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.RequestHandlerClass = _RoutedHandler
        self.name = name
        self.routes: dict[tuple[str, str], Route] = {}
        self.answer = Answer(status=404, body=b'{"error": "not_found"}')

    def route(self, method: str, path: str, answer: Route) -> None:
        self.routes[(method.upper(), path)] = answer

    def base_url(self) -> str:
        return f"https://{self.name}"

    def paths(self) -> list[str]:
        """The paths (without query) requested so far, in order."""
        return [urlsplit(s.path).path for s in self.seen]

    def answer_for(self, seen: Seen) -> Answer:
        route = self.routes.get((seen.method, urlsplit(seen.path).path))
        if route is None:
            return self.answer
        return route(seen) if callable(route) else route


def _routed_any(handler) -> None:  # replaces Listener's one-answer-for-all
    server: VendorServer = handler.server
    body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
    seen = Seen(handler.command, handler.path, dict(handler.headers), body)
    with server.lock:
        server.seen.append(seen)
    try:
        answer = server.answer_for(seen)
    except Exception as exc:  # a broken route shows in the test, not as a hung request
        answer = Answer(status=500, body=repr(exc).encode())
    try:
        handler.send_response(answer.status)
        for k, v in answer.headers.items():
            handler.send_header(k, v)
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        handler.wfile.write(answer.body)
    except OSError:
        pass


class _RoutedHandler(_Handler):
    def _any(self) -> None:
        _routed_any(self)


def _loopback_address() -> str:
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


@contextlib.contextmanager
def vendor_server(
    name: str, tmp_path: Path, hosts_file: HostsFile, settings: Any
) -> Iterator[VendorServer]:
    """A VendorServer for `name` on https://<name>:443 (a random loopback address), reachable
    through the egress guard for the test. Several may run at once (the CA bundle grows)."""
    address = _loopback_address()
    cert, key = self_signed(name, tmp_path)
    hosts_file.table[name] = [address]
    settings.EGRESS_ALLOW_NETWORKS = [*settings.EGRESS_ALLOW_NETWORKS, f"{address}/32"]
    bundle = tmp_path / "egress-ca-bundle.pem"
    with bundle.open("ab") as out:
        out.write(cert.read_bytes())
    settings.EGRESS_CA_BUNDLE = str(bundle)
    with VendorServer(name, tls=tls_context(cert, key), address=address, port=443) as server:
        yield server


# --- OpenID Connect ---------------------------------------------------------------------------


@dataclass
class Identity:
    """Who the fake provider says signs in."""

    sub: str
    email: str = ""
    name: str = ""
    email_verified: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def claims(self) -> dict[str, Any]:
        data: dict[str, Any] = {"sub": self.sub, **self.extra}
        if self.email:
            data |= {"email": self.email, "email_verified": self.email_verified}
        if self.name:
            data["name"] = self.name
        return data


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FakeOIDC:
    """An OpenID Connect provider on a VendorServer. `identity` is who signs in next; /authorize
    redirects straight back with a code (no login page), /token trades a code once for an
    access token and an RS256 id_token, /userinfo answers for that access token."""

    def __init__(self, server: VendorServer, client_id: str = "icpfiling") -> None:
        self.server = server
        self.client_id = client_id
        self.issuer = server.base_url()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex[:8]
        self.identity = Identity(sub="unknown")
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, Identity] = {}
        server.route("GET", "/.well-known/openid-configuration", json_answer(self.discovery()))
        server.route("GET", "/authorize", self._authorize)
        server.route("POST", "/token", self._token)
        server.route("GET", "/userinfo", self._userinfo)
        server.route("GET", "/jwks", json_answer(self.jwks()))

    def discovery(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": _b64(numbers.n),
                    "e": _b64(numbers.e),
                }
            ]
        }

    def issue_code(self, nonce: str = "") -> str:
        """A one-time code for the current identity (what /authorize would hand back)."""
        code = uuid.uuid4().hex
        self.codes[code] = {"identity": self.identity, "nonce": nonce}
        return code

    def callback_query(self, authorize_url: str) -> dict[str, str]:
        """Follow allauth's redirect to /authorize by hand: the code and state for the callback."""
        params = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        assert params["client_id"] == self.client_id
        assert params["response_type"] == "code"
        return {"code": self.issue_code(params.get("nonce", "")), "state": params["state"]}

    def id_token(self, identity: Identity, nonce: str = "") -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            **identity.claims(),
        }
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def _authorize(self, seen: Seen) -> Answer:
        params = query_of(seen)
        code = self.issue_code(params.get("nonce", ""))
        back = f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}"
        return Answer(status=302, body=b"", headers={"Location": back})

    def _token(self, seen: Seen) -> Answer:
        form = form_of(seen)
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None:
            return json_answer({"error": "invalid_grant"}, status=400)
        access = uuid.uuid4().hex
        self.tokens[access] = grant["identity"]
        return json_answer(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": self.id_token(grant["identity"], grant["nonce"]),
            }
        )

    def _userinfo(self, seen: Seen) -> Answer:
        auth = seen.headers.get("Authorization", "")
        identity = self.tokens.get(auth.removeprefix("Bearer "))
        if identity is None:
            return json_answer({"error": "invalid_token"}, status=401)
        return json_answer(identity.claims())
