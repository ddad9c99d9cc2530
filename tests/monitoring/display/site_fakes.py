"""Local fake websites for the display checker: one server on 127.0.0.1 answering by Host
name, each name a footer variant seen on real pages (domain.md §13)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BJ_SITE = "京ICP备2024054321号-1"
BJ_ENTITY = "京ICP备2024054321号"
BJ_PSB = "京公网安备11010802020088号"
GD_SITE = "粤ICP备2024012345号-1"
GD_ENTITY = "粤ICP备2024012345号"
GD_PSB = "粤公网安备44010602000001号"
MIIT = "https://beian.miit.gov.cn/"
BADGE = '<img src="/static/gongan.png" alt="公安备案">'


def psb(number: str = GD_PSB, *, code: str | None = None, href: str = "", badge: bool = True):
    digits = "".join(c for c in number if c.isdigit())
    href = href or f"https://beian.mps.gov.cn/#/query/webSearch?code={code or digits}"
    return f'<a href="{href}" target="_blank">{BADGE if badge else ""}{number}</a>'


def icp(number: str = GD_SITE, href: str = MIIT, inner: str = "") -> str:
    return f'<a href="{href}" target="_blank" rel="noopener">{inner}{number}</a>'


def page(footer: str, *, extra: str = "") -> bytes:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>首页</title>"
        "<script>var n='粤ICP备2099999999号-9';</script></head><body>"
        f"<main><h1>欢迎</h1><p>产品介绍 {extra}</p></main>"
        f"<footer><p>© 2026 测试网络科技有限公司</p><p>{footer}</p></footer></body></html>"
    ).encode()


@dataclass
class Site:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Sent without Content-Length, in chunks of this size, `repeat` times (a huge page).
    stream_chunk: bytes = b""
    repeat: int = 0
    content_type: str = "text/html; charset=utf-8"


def redirect(to: str) -> Site:
    return Site(status=302, headers={"Location": to})


class SiteServer(ThreadingHTTPServer):
    """Answers by (Host name, path); counts requests per Host."""

    daemon_threads = True

    def __init__(self, sites: dict[tuple[str, str], Site], tls=None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.sites = sites
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        with self.server.lock:
            self.server.hits[host] = self.server.hits.get(host, 0) + 1
        site = self.server.sites.get((host, self.path)) or self.server.sites.get((host, "*"))
        if site is None:
            site = Site(status=404, body=b"not here")
        if site.delay:
            time.sleep(site.delay)
        try:
            self.send_response(site.status)
            for k, v in site.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", site.content_type)
            if not site.stream_chunk:
                self.send_header("Content-Length", str(len(site.body)))
            self.end_headers()
            if site.stream_chunk:
                for _ in range(site.repeat):
                    self.wfile.write(site.stream_chunk)
            else:
                self.wfile.write(site.body)
        except OSError:
            pass  # the checker stopped reading

    def log_message(self, *args) -> None:
        pass


def closed_port() -> int:
    """A loopback port nothing listens on (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
