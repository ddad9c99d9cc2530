"""Check a URL, then send one request pinned to the address that was checked.

The host is resolved once; the connection goes to that address (TLS still verifies the
certificate for the host name, which is also sent as SNI and in `Host`), so a second DNS
answer (rebinding) can never redirect it. Redirects are followed only when asked, and every
hop is checked again. urllib3 itself never retries.
"""

from __future__ import annotations

import ipaddress
import json as jsonlib
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from . import resolver
from .addresses import (
    IPAddress,
    IPNetwork,
    allowed_by_network,
    name_refusal_reason,
    parse_ip_literal,
    refusal_reason,
)
from .errors import (
    ConnectFailedError,
    RedirectRefusedError,
    RefusedAddressError,
    RefusedHostError,
    RefusedURLError,
    ResponseFailedError,
    ResponseTooLargeError,
    TimeoutAfterSendError,
    TimeoutBeforeSendError,
    UnresolvableHostError,
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`address`) and what to ask for (`host`, `path`)."""

    url: str
    scheme: str
    host: str  # the name (IDNA, lower case), or the canonical form of a literal address
    port: int
    path: str  # path and query, at least "/"
    address: str  # the checked address the connection goes to

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""
    url: str = ""

    def json(self) -> Any:
        return jsonlib.loads(self.body.decode("utf-8"))


def allowed_networks() -> list[IPNetwork]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.EGRESS_ALLOW_NETWORKS]


def _refuse_address(shown: str, addr: IPAddress, networks: list[IPNetwork]) -> None:
    if allowed_by_network(addr, networks):
        return
    reason = refusal_reason(addr)
    if reason:
        if shown != str(addr):
            msg = _("“%(host)s” is %(address)s, %(reason)s: requests to it are refused.")
        else:
            msg = _("%(address)s is %(reason)s: requests to it are refused.")
        raise RefusedAddressError(msg % {"host": shown, "address": addr, "reason": reason})


def _normalized_name(host: str) -> str:
    name = host.rstrip(".").lower()
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise RefusedURLError(_("“%(host)s” is not a valid host name.") % {"host": host}) from None
    if not name or not all(c.isalnum() or c in "-._" for c in name):
        raise RefusedURLError(_("“%(host)s” is not a valid host name.") % {"host": host})
    return name


def _parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host as written, port, path with query) of an http(s) URL without user info."""
    if any(c.isspace() or ord(c) < 32 or c == "\\" for c in url):
        raise RefusedURLError(_("The URL contains spaces, control characters or backslashes."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedURLError(_("This URL cannot be read.")) from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise RefusedURLError(_("Only http and https URLs can be requested."))
    if "@" in parts.netloc:
        raise RefusedURLError(_("A URL with a user name or password before the host is refused."))
    if not parts.hostname:
        raise RefusedURLError(_("The URL has no host."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port or _DEFAULT_PORTS[scheme], path


def check_url(
    url: str, *, allow_hosts: frozenset[str] | None = None, lookup: bool = True
) -> Target:
    """Refuse a URL the application must not request; else where to connect.

    http(s) only, no user info; a host in `allow_hosts` when given; the host (a literal
    address, or every address its name resolves to) public, or inside
    `settings.EGRESS_ALLOW_NETWORKS`. `lookup=False` checks literals and names only (no DNS;
    the returned address is then empty for a name).
    """
    scheme, written, port, path = _parse(url)
    networks = allowed_networks()
    literal = parse_ip_literal(written)
    if literal is not None:
        host = str(literal)
        if allow_hosts is not None and host not in allow_hosts:
            raise RefusedHostError(_("This kind of URL may only reach its own service’s host."))
        _refuse_address(written, literal, networks)
        return Target(url, scheme, host, port, path, host)
    host = _normalized_name(written)
    if allow_hosts is not None and host not in allow_hosts:
        raise RefusedHostError(
            _("“%(host)s” is not allowed here; use %(hosts)s.")
            % {"host": host, "hosts": ", ".join(sorted(allow_hosts))}
        )
    reason = name_refusal_reason(host)
    if reason:
        raise RefusedHostError(
            _("“%(host)s” is %(reason)s: requests to it are refused.")
            % {"host": host, "reason": reason}
        )
    if not lookup:
        return Target(url, scheme, host, port, path, "")
    try:
        found = resolver.resolve(host, port)
    except (OSError, UnicodeError):
        found = []
    if not found:
        raise UnresolvableHostError(
            _("“%(host)s” does not resolve to an address.") % {"host": host}
        )
    addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in found]
    for addr in addresses:  # every answer: a name with one private address is refused
        _refuse_address(host, addr, networks)
    return Target(url, scheme, host, port, path, str(addresses[0]))


def _pool(target: Target, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    common: dict[str, Any] = {
        "port": target.port,
        "timeout": timeout,
        "retries": False,
        "maxsize": 1,
    }
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            cert_reqs="CERT_REQUIRED",
            ca_certs=settings.EGRESS_CA_BUNDLE or certifi.where(),
            server_hostname=target.host,
            assert_hostname=target.host,
            **common,
        )
    return urllib3.HTTPConnectionPool(target.address, **common)


def _read_capped(resp: urllib3.BaseHTTPResponse, *, cap: int, deadline: float) -> bytes:
    length = resp.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > cap:
        raise ResponseTooLargeError(_("The answer is larger than %(n)d bytes.") % {"n": cap})
    data = bytearray()
    for chunk in resp.stream(64 * 1024, decode_content=False):
        data += chunk
        if len(data) > cap:
            raise ResponseTooLargeError(_("The answer is larger than %(n)d bytes.") % {"n": cap})
        if time.monotonic() > deadline:
            raise TimeoutAfterSendError(_("The answer did not arrive in time."))
    return bytes(data)


def _send_once(
    target: Target,
    method: str,
    body: bytes | None,
    headers: dict[str, str],
    timeout: urllib3.Timeout,
    cap: int,
    read_seconds: float,
) -> Response:
    all_headers = {
        "Host": target.host_header,
        "User-Agent": settings.EGRESS_USER_AGENT,
        "Accept-Encoding": "identity",
        **headers,
    }
    started = time.monotonic()
    deadline = started + 2 * (read_seconds or 0.0)
    with _pool(target, timeout) as pool:
        try:
            resp = pool.urlopen(
                method,
                target.path,
                body=body,
                headers=all_headers,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                data = _read_capped(resp, cap=cap, deadline=deadline)
            finally:
                resp.release_conn()
        except NewConnectionError as exc:
            raise ConnectFailedError(_("Could not connect: %(e)s") % {"e": exc}) from exc
        except ConnectTimeoutError as exc:
            raise TimeoutBeforeSendError(_("Connecting took too long.")) from exc
        except SSLError as exc:
            raise ConnectFailedError(_("The secure connection failed: %(e)s") % {"e": exc}) from exc
        except (TimeoutError, ReadTimeoutError) as exc:
            raise TimeoutAfterSendError(_("The answer did not arrive in time.")) from exc
        except (ProtocolError, HTTPError, OSError) as exc:
            raise ResponseFailedError(_("The connection broke: %(e)s") % {"e": exc}) from exc
    return Response(
        status=resp.status,
        headers={k.lower(): v for k, v in resp.headers.items()},
        body=data,
        url=target.url,
    )


def request(
    method: str,
    url: str,
    *,
    json: Any = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | tuple[float, float] | None = None,
    max_bytes: int | None = None,
    allow_hosts: frozenset[str] | None = None,
    max_redirects: int = 0,
    return_redirects: bool = False,
) -> Response:
    """Send one request through the guard and return the whole (capped) answer.

    `timeout`: the read timeout, or (connect, read); defaults from settings. Raises an
    EgressError subclass; its `may_have_arrived` says whether to treat a retry as a repeat.
    `return_redirects`: a redirect is the answer (for a caller that follows it itself, through
    this function again) instead of an error.
    """
    if isinstance(timeout, tuple):
        connect, read = timeout
    else:
        connect, read = settings.EGRESS_CONNECT_TIMEOUT, timeout or settings.EGRESS_READ_TIMEOUT
    limits = urllib3.Timeout(connect=connect, read=read)
    cap = max_bytes or settings.EGRESS_MAX_RESPONSE_BYTES
    headers = dict(headers or {})
    if json is not None:
        body = jsonlib.dumps(json, ensure_ascii=False).encode("utf-8")
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
    hops = 0
    while True:
        target = check_url(url, allow_hosts=allow_hosts)
        resp = _send_once(target, method.upper(), body, headers, limits, cap, read)
        location = resp.headers.get("location")
        if resp.status not in _REDIRECTS or not location or return_redirects:
            return resp
        if hops >= max_redirects:
            raise RedirectRefusedError(
                _("The answer is a redirect (HTTP %(status)d), which is not followed.")
                % {"status": resp.status}
            )
        hops += 1
        url = urljoin(target.url, location)
        if resp.status == 303 or (resp.status in (301, 302) and method.upper() == "POST"):
            method, body = "GET", None
            headers.pop("Content-Type", None)
