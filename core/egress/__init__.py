"""The one way the application makes outbound HTTP requests (webhooks, later site checks).

`check_url` refuses what must not be requested; `request` checks and sends, pinned to the
checked address. See client.py (how), addresses.py (what is refused), errors.py.
"""

from .client import Response, Target, check_url, request
from .errors import (
    ConnectFailed,
    EgressError,
    RedirectRefused,
    RefusedAddress,
    RefusedHost,
    RefusedURL,
    ResponseFailed,
    ResponseTooLarge,
    TimeoutAfterSend,
    TimeoutBeforeSend,
    UnresolvableHost,
)

__all__ = [
    "ConnectFailed",
    "EgressError",
    "RedirectRefused",
    "RefusedAddress",
    "RefusedHost",
    "RefusedURL",
    "Response",
    "ResponseFailed",
    "ResponseTooLarge",
    "Target",
    "TimeoutAfterSend",
    "TimeoutBeforeSend",
    "UnresolvableHost",
    "check_url",
    "request",
]
