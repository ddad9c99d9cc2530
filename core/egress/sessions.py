"""A `requests.Session` whose every request goes through the egress guard.

For libraries that make their own HTTP calls with requests (the single sign-on providers of
django-allauth): mounted on both schemes, the adapter hands each request to `client.request`,
so the same address checks, pinning, timeouts and size cap apply, and nothing reaches an
internal address. Proxies from the environment are ignored (`trust_env = False`).
"""

from __future__ import annotations

from http import HTTPStatus

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from . import client
from .errors import EgressError, TimeoutAfterSendError, TimeoutBeforeSendError


class EgressAdapter(BaseAdapter):
    """requests transport adapter over `core.egress.client.request` (no redirects: requests
    follows them itself, and each hop comes back through here to be checked again)."""

    def send(
        self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None
    ) -> requests.Response:
        body = request.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        headers["Accept-Encoding"] = "identity"  # the guard hands back the bytes as sent
        try:
            answer = client.request(
                request.method or "GET",
                request.url,
                body=body,
                headers=headers,
                timeout=timeout,
                return_redirects=True,
            )
        except (TimeoutBeforeSendError, TimeoutAfterSendError) as exc:
            raise requests.Timeout(str(exc), request=request) from exc
        except EgressError as exc:
            raise requests.ConnectionError(str(exc), request=request) from exc
        return _response(request, answer)

    def close(self) -> None:
        """Nothing to close: the guard opens one connection per request."""


def _response(request: requests.PreparedRequest, answer: client.Response) -> requests.Response:
    response = requests.Response()
    response.status_code = answer.status
    response.headers = CaseInsensitiveDict(answer.headers)
    response._content = answer.body
    response.url = answer.url or (request.url or "")
    response.request = request
    response.encoding = get_encoding_from_headers(response.headers)
    try:
        response.reason = HTTPStatus(answer.status).phrase
    except ValueError:
        response.reason = ""
    return response


def egress_session() -> requests.Session:
    """A requests session that sends only through the egress guard."""
    session = requests.Session()
    session.trust_env = False
    adapter = EgressAdapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
