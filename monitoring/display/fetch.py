"""Fetch a site's home page through core.egress: https first, then http; redirects followed
one hop at a time (each hop checked by the guard again), a loop or too many of them is a
finding; a page over the size cap is not read; a per-host pause between requests.

No database access here: a batch fetches in threads and stores the results in its own.
"""

from __future__ import annotations

import math
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache
from urllib3.exceptions import SSLError

from core import egress

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass
class Fetched:
    """The outcome of fetching a home page: the page, or why there is none."""

    url: str  # the first URL tried
    final_url: str = ""
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    redirects: list[str] = field(default_factory=list)
    error_kind: str = ""  # a finding code of icp.display_texts, "" when the page was read
    error_detail: str = ""
    tls_error: str = ""  # https failed on TLS and http answered: kept as a finding too

    @property
    def ok(self) -> bool:
        return not self.error_kind


def _wait_for_host(host: str) -> None:
    """At most one request per DISPLAY_CHECK_HOST_INTERVAL to one host, across workers."""
    interval = float(settings.DISPLAY_CHECK_HOST_INTERVAL)
    if interval <= 0:
        return
    key = f"monitoring:display:host:{host}"
    deadline = time.monotonic() + 30 * interval
    # Whole seconds: some cache backends drop the fraction (a shorter pause is rounded up).
    while not cache.add(key, 1, timeout=max(1, math.ceil(interval))):
        if time.monotonic() > deadline:
            return  # a stuck key never blocks a check for good
        time.sleep(min(0.25, interval))


def _kind_of(exc: egress.EgressError) -> str:
    if isinstance(exc, egress.UnresolvableHostError):
        return "dns_failure"
    if isinstance(exc, egress.RefusedAddressError | egress.RefusedHostError):
        return "refused_address"
    if isinstance(exc, egress.ResponseTooLargeError):
        return "too_large"
    if isinstance(exc, egress.TimeoutBeforeSendError | egress.TimeoutAfterSendError):
        return "timeout"
    if isinstance(exc, egress.ConnectFailedError):
        cause = exc.__cause__
        if isinstance(cause, SSLError | ssl.SSLError):
            return "tls_failure"
        return "unreachable"
    return "unreachable"


def _fetch_one(url: str) -> Fetched:
    result = Fetched(url=url)
    seen = {url}
    headers = {
        "User-Agent": settings.DISPLAY_CHECK_USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        "Accept-Language": "zh-CN,zh;q=0.9",
    }
    current = url
    while True:
        _wait_for_host(urlsplit(current).hostname or "")
        try:
            resp = egress.request(
                "GET",
                current,
                headers=headers,
                timeout=(
                    settings.DISPLAY_CHECK_CONNECT_TIMEOUT,
                    settings.DISPLAY_CHECK_READ_TIMEOUT,
                ),
                max_bytes=settings.DISPLAY_CHECK_MAX_BYTES,
                return_redirects=True,
            )
        except egress.EgressError as exc:
            result.final_url = current
            result.error_kind = _kind_of(exc)
            result.error_detail = exc.message[:500]
            return result
        location = resp.headers.get("location", "")
        if resp.status in _REDIRECTS and location:
            nxt = urljoin(current, location)
            result.redirects.append(nxt)
            if nxt in seen:
                result.final_url, result.status = current, resp.status
                result.error_kind = "redirect_loop"
                return result
            if len(result.redirects) > settings.DISPLAY_CHECK_MAX_REDIRECTS:
                result.final_url, result.status = current, resp.status
                result.error_kind = "too_many_redirects"
                return result
            seen.add(nxt)
            current = nxt
            continue
        result.final_url = current
        result.status = resp.status
        result.body = resp.body
        result.content_type = resp.headers.get("content-type", "")
        if resp.status != 200:
            result.error_kind = "http_status"
        return result


# Failures after which the next URL (http after https) is tried: the server did not answer
# on this one. A DNS failure, an error status or a loop would be the same again.
_TRY_NEXT = frozenset({"unreachable", "tls_failure", "timeout"})


def fetch_home(host: str) -> Fetched:
    """The home page of `host` (ASCII form): each of DISPLAY_CHECK_URLS in turn until one
    answers. When none does, the most telling failure (a closed https port says less than
    what http then did)."""
    attempts: list[Fetched] = []
    for template in settings.DISPLAY_CHECK_URLS:
        got = _fetch_one(template.format(host=host))
        if got.ok:
            tls = next((a for a in attempts if a.error_kind == "tls_failure"), None)
            if tls is not None:
                got.tls_error = tls.error_detail
            return got
        attempts.append(got)
        if got.error_kind not in _TRY_NEXT:
            break
    telling = [a for a in attempts if a.error_kind != "unreachable"]
    return telling[0] if telling else attempts[-1]
