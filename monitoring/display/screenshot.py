"""A screenshot of a fetched page through Chromium (DISPLAY_CHECK_SCREENSHOTS).

Chromium renders the HTML we fetched from a temporary file, with the network off (every host
maps to nothing, every address goes to a dead proxy, loopback included, scripts are off): it
never fetches anything itself, so the egress guard stays the only way out. The site's images
and styles are therefore missing: the screenshot shows the page's text and layout as served.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

_TIMEOUT = 30


def screenshot_png(body: bytes, content_type: str = "") -> bytes | None:
    """PNG bytes of the page, or None (no Chromium, a crash, a timeout: logged)."""
    chromium = settings.DISPLAY_CHECK_CHROMIUM
    if not chromium or not Path(chromium).exists():
        return None
    with tempfile.TemporaryDirectory(prefix="display-shot-") as tmp:
        page = Path(tmp) / "page.html"
        out = Path(tmp) / "page.png"
        page.write_bytes(body)
        args = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={tmp}/profile",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            # Chromium sends loopback past any proxy unless told otherwise: not here.
            "--proxy-bypass-list=<-loopback>",
            "--blink-settings=javascriptEnabled=false",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--window-size=1280,3000",
            f"--screenshot={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(args, capture_output=True, timeout=_TIMEOUT, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired) as exc:
            logger.warning("display screenshot failed: %s", exc)
            return None
        return out.read_bytes() if out.exists() else None
