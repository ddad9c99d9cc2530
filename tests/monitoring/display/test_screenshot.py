"""The optional screenshot: Chromium renders the page we fetched, and fetches nothing itself."""

from __future__ import annotations

import pytest

from monitoring.display import services
from monitoring.models import DisplayCheck

from .conftest import VARIANTS, host_of
from .factories import live_domain
from .site_fakes import Site, icp, page, psb

pytestmark = pytest.mark.django_db


def test_screenshot_is_kept_and_chromium_reaches_nothing(display_env, settings, tmp_path):
    settings.DISPLAY_CHECK_SCREENSHOTS = True
    settings.MEDIA_ROOT = str(tmp_path)
    host = host_of("correct")
    port = display_env.port
    # the page asks for an image and a script on the server by name and by loopback address
    display_env.sites[(host, "/")] = Site(
        page(
            icp() + psb(),
            extra=f'<img src="http://{host}:{port}/pixel.png">'
            f'<img src="http://127.0.0.1:{port}/pixel.png">'
            f'<script src="http://127.0.0.1:{port}/x.js"></script>',
        )
    )
    try:
        domain = live_domain(host, *VARIANTS["correct"][1:3])
        before = dict(display_env.hits)
        check = DisplayCheck.objects.create(domain=domain, operator_id=domain.operator_id)
        services.display_checks_run([check.pk])
        check.refresh_from_db()
    finally:
        display_env.sites[(host, "/")] = VARIANTS["correct"][0]["/"]
    assert check.findings == []
    assert check.screenshot.name.endswith(".png")
    with check.screenshot.open("rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    # only the checker's own request reached the server
    assert display_env.hits.get(host, 0) == before.get(host, 0) + 1
    assert display_env.hits.get("127.0.0.1", 0) == before.get("127.0.0.1", 0)


def test_a_page_cannot_show_the_workers_files(settings, tmp_path):
    """A hostile page asks for a local file three ways; the screenshot of a page that could
    show it differs from the page alone only if a file: URL was loaded."""
    from monitoring.display.screenshot import screenshot_png

    secret = tmp_path / "secret.html"
    secret.write_text('<body style="background:#f00;margin:0"><div style="height:3000px"></div>')
    url = secret.as_uri()
    hostile = (
        f'<html><head><meta http-equiv="refresh" content="0;url={url}"></head>'
        f'<body style="background:#fff;margin:0"><iframe src="{url}" width="1280" height="3000"'
        f' style="border:0"></iframe><img src="{url}"></body></html>'
    ).encode()
    plain = b'<html><body style="background:#fff;margin:0"></body></html>'
    shot = screenshot_png(hostile, "text/html")
    blank = screenshot_png(plain, "text/html")
    assert shot is not None
    assert blank is not None
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert _has_red(shot) is False
    assert _has_red(blank) is False


def _has_red(png: bytes) -> bool:
    """Whether the screenshot holds pure red pixels (the secret page's colour)."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.resize((64, 64))
    return any(colour == (255, 0, 0) for _count, colour in small.getcolors(64 * 64) or ())
