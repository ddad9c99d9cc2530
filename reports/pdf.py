"""HTML → PDF with WeasyPrint, fetching nothing but `data:` URLs and the app's static files."""

from __future__ import annotations

import logging
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

# WeasyPrint logs every layout step at INFO; the root logger is at INFO in production.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# Relative URLs in report templates resolve against this origin, which exists only here:
# the fetcher maps it onto static files and never opens a socket.
BASE_URL = "https://static.icpfiling.invalid/"


class RefusedURL(ValueError):  # noqa: N818 - reads as the outcome
    """The report asked for a resource outside `data:` and the app's static files."""


class LocalOnlyFetcher(URLFetcher):
    """Allow `data:` URLs and STATIC_URL paths under BASE_URL; refuse everything else.

    Refused: http(s) anywhere else, file:// (any path), ftp, and static paths that try to
    climb out of the static directories (`../`). WeasyPrint catches the error, logs it and
    renders without the resource.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)  # urllib's DataHandler: no I/O
        static_prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(static_prefix):
            raise RefusedURL(f"refused to fetch {url[:80]!r}: only data: and static files")
        parts = urlsplit(url)
        relative = unquote(parts.path).removeprefix("/" + settings.STATIC_URL.strip("/") + "/")
        if not relative or ".." in relative.split("/") or relative.startswith("/"):
            raise RefusedURL(f"refused static path {relative[:80]!r}")
        try:
            path = finders.find(relative)
        except SuspiciousFileOperation:
            path = None
        if not path:
            raise RefusedURL(f"no static file {relative[:80]!r}")
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as fh:
            body = fh.read()
        return URLFetcherResponse(url, body, headers={"Content-Type": mime})


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string (from a template under templates/pdf/) to PDF bytes."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalOnlyFetcher())
    return document.write_pdf()
