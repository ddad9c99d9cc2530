"""A screenshot of a fetched page through Chromium (DISPLAY_CHECK_SCREENSHOTS).

Chromium renders the HTML we fetched, with the network off: every host maps to nothing and
every address goes to a dead proxy, loopback included, except the one-shot server on a
loopback port of this process that hands it the page; scripts are off. It never fetches
anything from the outside itself, so the egress guard stays the only way out.

The page is served over http, not opened as a file: a page from an http origin cannot load or
navigate to ``file:`` URLs, so a hostile page (``<meta http-equiv=refresh content="0;url=
file:///proc/self/environ">``, an ``<iframe src="file:///…">``) cannot show the worker's
files in its screenshot. Chromium also runs with an environment of its own (no secrets).
The site's images and styles are missing: the screenshot shows the page's text and layout.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

_TIMEOUT = 30


def _page_server(body: bytes, content_type: str) -> ThreadingHTTPServer:
    """A server on a free loopback port answering every GET with the page (and nothing else)."""
    ctype = content_type if content_type.startswith("text/html") else "text/html"

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return ThreadingHTTPServer(("127.0.0.1", 0), Page)


def screenshot_png(body: bytes, content_type: str = "") -> bytes | None:
    """PNG bytes of the page, or None (no Chromium, a crash, a timeout: logged)."""
    chromium = settings.DISPLAY_CHECK_CHROMIUM
    if not chromium or not Path(chromium).exists():
        return None
    with tempfile.TemporaryDirectory(prefix="display-shot-") as tmp:
        out = Path(tmp) / "page.png"
        server = _page_server(body, content_type)
        port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        args = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={tmp}/profile",
            # No name resolves; the loopback literal must, for the page's own server (any
            # other port of it still goes to the dead proxy below).
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--proxy-server=127.0.0.1:9",
            # Chromium sends loopback past any proxy unless told otherwise: only the page's
            # own server is reached directly.
            f"--proxy-bypass-list=<-loopback>;127.0.0.1:{port}",
            "--blink-settings=javascriptEnabled=false",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--window-size=1280,3000",
            f"--screenshot={out}",
            f"http://127.0.0.1:{port}/",
        ]
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8"}
        try:
            subprocess.run(args, capture_output=True, timeout=_TIMEOUT, check=False, env=env)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired) as exc:
            logger.warning("display screenshot failed: %s", exc)
            return None
        finally:
            server.shutdown()
            server.server_close()
        return out.read_bytes() if out.exists() else None
