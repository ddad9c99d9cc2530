"""Every call a connector makes goes out here: through the egress guard, to its kind's hosts.

The guard (core.egress) refuses internal addresses; `allow_hosts` refuses any host but the
vendor's (its base URL's host, a setting, so tests point it at a local fake). Errors of the
transport become TransportError; the vendor's own error codes are each kind's to read.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from core import egress

from .errors import TransportError


def host_of(base_url: str) -> str:
    return (urlsplit(base_url).hostname or "").lower()


def call(
    method: str,
    url: str,
    *,
    hosts: frozenset[str],
    json_body: Any = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
) -> tuple[int, Any]:
    """Send one request and return (HTTP status, decoded JSON answer)."""
    try:
        answer = egress.request(
            method,
            url,
            json=json_body,
            body=body,
            headers=headers,
            allow_hosts=hosts,
            timeout=timeout,
        )
    except egress.EgressError as exc:
        raise TransportError(str(exc)) from exc
    if answer.status >= 500:
        raise TransportError(_("The vendor answered HTTP %(status)d.") % {"status": answer.status})
    try:
        data = json.loads(answer.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        raise TransportError(
            _("The vendor's answer (HTTP %(status)d) is not JSON.") % {"status": answer.status}
        ) from None
    return answer.status, data
