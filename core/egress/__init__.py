"""The one way the application makes outbound HTTP requests (webhooks, single sign-on, site checks).

`check_url` refuses what must not be requested; `request` checks and sends, pinned to the
checked address. See client.py (how), addresses.py (what is refused), errors.py.
"""

from .client import Response, Target, check_url, request
from .errors import (
    ConnectFailedError,
    EgressError,
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

__all__ = [
    "ConnectFailedError",
    "EgressError",
    "RedirectRefusedError",
    "RefusedAddressError",
    "RefusedHostError",
    "RefusedURLError",
    "Response",
    "ResponseFailedError",
    "ResponseTooLargeError",
    "Target",
    "TimeoutAfterSendError",
    "TimeoutBeforeSendError",
    "UnresolvableHostError",
    "check_url",
    "request",
]
