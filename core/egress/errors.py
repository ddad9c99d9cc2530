"""What can go wrong with an outbound request, and whether it may have reached the receiver."""

from __future__ import annotations


class EgressError(Exception):
    """An outbound request was refused or failed; `message` is translated and shown.

    `may_have_arrived` tells the caller whether the receiver may have got the request: a
    refusal or a failed connection never sent anything, a read timeout may have.
    """

    may_have_arrived = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RefusedURLError(EgressError):
    """Not an http(s) URL, a URL with user info, or one that cannot be parsed."""


class RefusedHostError(EgressError):
    """The host name is refused by name (localhost, *.internal, a metadata name, not allowed)."""


class UnresolvableHostError(RefusedHostError):
    """The host name does not resolve."""


class RefusedAddressError(EgressError):
    """The host is, or resolves to, an address that is not public."""


class ConnectFailedError(EgressError):
    """The connection could not be made (refused, TLS failure): nothing was sent."""


class TimeoutBeforeSendError(ConnectFailedError):
    """Connecting took longer than the connect timeout: nothing was sent."""


class TimeoutAfterSendError(EgressError):
    """The request was sent and no (complete) answer came in time: it may have arrived."""

    may_have_arrived = True


class ResponseFailedError(EgressError):
    """The request was sent and the answer is unusable."""

    may_have_arrived = True


class ResponseTooLargeError(ResponseFailedError):
    """The answer is longer than the cap; it was not read to the end."""


class RedirectRefusedError(ResponseFailedError):
    """The answer is a redirect, and following it is not allowed (or too many hops)."""
