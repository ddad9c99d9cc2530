"""Local fakes for outbound HTTP: a listener on 127.0.0.1 that counts what reaches it (plain
or TLS with a self-signed certificate for a vendor's name), and a resolver like a hosts file."""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow receiver)


class Listener(ThreadingHTTPServer):
    """Answers every request with `answer` (or `answers`, one per request), recording it."""

    daemon_threads = True

    def __init__(
        self, tls: ssl.SSLContext | None = None, address: str = "127.0.0.1", port: int = 0
    ):
        super().__init__((address, port), _Handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.host = address
        self.seen: list[Seen] = []
        self.answer = Answer()
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str = "/", host: str = "") -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def next_answer(self) -> Answer:
        with self.lock:
            return self.answers.pop(0) if self.answers else self.answer

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: Listener

    def _any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.seen.append(Seen(self.command, self.path, dict(self.headers), body))
        answer = self.server.next_answer()
        if answer.delay:
            time.sleep(answer.delay)
        try:
            self.send_response(answer.status)
            for k, v in answer.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
        except OSError:
            pass  # the client gave up waiting

    def do_GET(self) -> None:
        self._any()

    def do_POST(self) -> None:
        self._any()

    def log_message(self, *args) -> None:
        pass


def self_signed(host: str, directory: Path) -> tuple[Path, Path]:
    """A certificate for `host` (and its key), valid for a day: (cert.pem, key.pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{host}.pem", directory / f"{host}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


# Public addresses a name "resolves" to in tests; nothing is ever sent to them.
PUBLIC_HOSTS = {
    "example.com": ["93.184.215.14"],
    "hooks.example.net": ["93.184.215.15"],
    "qyapi.weixin.qq.com": ["101.91.22.57"],
    "oapi.dingtalk.com": ["203.119.169.49"],
    "open.feishu.cn": ["101.126.34.11"],
    "open.larksuite.com": ["161.117.70.11"],
}


class HostsFile:
    """A resolver that answers from a table (and literals as themselves), counting lookups."""

    def __init__(self, table: dict[str, list[str]] | None = None) -> None:
        self.table = dict(PUBLIC_HOSTS if table is None else table)
        self.lookups: list[str] = []
        self.then: Callable[[str], list[str]] | None = None  # answers after the first lookup

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if self.then is not None and self.lookups.count(host) > 1:
            return self.then(host)
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if host not in self.table:
            raise OSError(f"unknown host {host}")
        return self.table[host]
