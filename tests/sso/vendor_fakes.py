"""Fakes of the Chinese single sign-on vendors' server APIs (WeCom, DingTalk, Feishu): a TLS
listener for the vendor's own host name on a random 127.x.y.z:443, answering by path from a
route table and counting every request, plus the steps of a sign-in through allauth."""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.egress_fakes import Answer, HostsFile, Listener, Seen, _Handler, self_signed, tls_context

Route = Callable[[Seen], Answer]


def json_answer(data: object, status: int = 200) -> Answer:
    body = json.dumps(data, ensure_ascii=False).encode()
    return Answer(status=status, body=body, headers={"Content-Type": "application/json"})


class _RoutedHandler(_Handler):
    server: VendorFake

    def _any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        seen = Seen(self.command, self.path, dict(self.headers), body)
        with self.server.lock:
            self.server.seen.append(seen)
        route = self.server.routes.get(f"{self.command} {urlsplit(self.path).path}")
        answer = route(seen) if route else json_answer({"error": "no such route"}, 404)
        self.send_response(answer.status)
        for k, v in answer.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)


class VendorFake(Listener):
    """Answers "METHOD /path" from `routes` (404 otherwise); `calls(path)` counts by path."""

    def __init__(self, tls, address: str, routes: dict[str, Route]) -> None:
        super().__init__(tls=tls, address=address, port=443)
        self.RequestHandlerClass = _RoutedHandler
        self.routes = routes
        self.state: Any = None  # what a test's routes know (codes, tokens handed out…)

    def calls(self, path: str) -> list[Seen]:
        return [s for s in self.seen if urlsplit(s.path).path == path]


def query(seen: Seen) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(seen.path).query).items()}


@contextlib.contextmanager
def serve_vendor(
    host: str, tmp_path: Path, hosts_file: HostsFile, settings, routes: dict[str, Route]
) -> Iterator[VendorFake]:
    """A fake of `host` over TLS: the name resolves to a random loopback address that the
    egress guard may reach, with the fake's self-signed certificate as the only trusted one."""
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    cert, key = self_signed(host, tmp_path)
    hosts_file.table[host] = [address]
    settings.EGRESS_ALLOW_NETWORKS = [f"{address}/32"]
    settings.EGRESS_CA_BUNDLE = str(cert)
    with VendorFake(tls_context(cert, key), address, routes) as fake:
        yield fake


# --- the sign-in, as a browser would go through it ---------------------------------------------


def start_login(client, provider_id: str) -> tuple[str, dict[str, str]]:
    """POST our login URL (allauth asks for a POST); the vendor's authorize URL and its query."""
    resp = client.post(f"/accounts/{provider_id}/login/")
    assert resp.status_code == 302, resp.status_code
    url = resp["Location"]
    return url, {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def callback(client, provider_id: str, **params: str):
    """The vendor sends the browser back to our callback with these parameters."""
    return client.get(f"/accounts/{provider_id}/login/callback/", params)


def session_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")
