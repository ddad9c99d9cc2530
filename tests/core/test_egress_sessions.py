"""core.egress.sessions: a requests session (what allauth's providers use) goes through the
guard: answers come back whole, internal addresses and redirects to them reach nobody."""

from __future__ import annotations

import random

import pytest
import requests

from core.egress.sessions import egress_session
from tests.egress_fakes import Answer, Listener, self_signed, tls_context


def _loopback_address() -> str:
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


def test_a_post_over_tls_to_an_allowed_vendor_name(tmp_path, settings, hosts_file):
    # given: a TLS listener for the vendor's name on a loopback address allowed for this test
    address = _loopback_address()
    cert, key = self_signed("sso.example.com", tmp_path)
    hosts_file.table["sso.example.com"] = [address]
    settings.EGRESS_ALLOW_NETWORKS = [f"{address}/32"]
    settings.EGRESS_CA_BUNDLE = str(cert)
    with Listener(tls=tls_context(cert, key), address=address, port=443) as idp:
        idp.answer = Answer(
            body=b'{"access_token": "AT"}', headers={"Content-Type": "application/json"}
        )

        # when
        resp = egress_session().post(
            "https://sso.example.com/token", data={"code": "C1", "grant_type": "authorization_code"}
        )

    # then: the answer as requests callers expect it, and the form arrived as sent
    assert resp.status_code == 200
    assert resp.json() == {"access_token": "AT"}
    assert resp.reason == "OK"
    [seen] = idp.seen
    assert (seen.method, seen.path) == ("POST", "/token")
    assert seen.headers["Host"] == "sso.example.com"
    assert seen.body == b"code=C1&grant_type=authorization_code"


def test_an_internal_address_is_a_connection_error_and_nothing_arrives(hosts_file):
    hosts_file.table["idp.example.org"] = ["127.0.0.1"]
    with Listener() as srv:
        with pytest.raises(requests.ConnectionError, match="refused"):
            egress_session().get(srv.url("/userinfo", host="idp.example.org"))
        with pytest.raises(requests.ConnectionError):
            egress_session().get(srv.url("/userinfo"))
    assert srv.seen == []


def test_a_redirect_to_an_internal_address_is_not_followed(tmp_path, settings, hosts_file):
    # given: an allowed vendor that redirects to the metadata address
    address = _loopback_address()
    cert, key = self_signed("sso.example.com", tmp_path)
    hosts_file.table["sso.example.com"] = [address]
    settings.EGRESS_ALLOW_NETWORKS = [f"{address}/32"]
    settings.EGRESS_CA_BUNDLE = str(cert)
    with Listener(tls=tls_context(cert, key), address=address, port=443) as idp:
        idp.answer = Answer(status=302, headers={"Location": "http://169.254.169.254/latest/"})

        # when / then: requests follows redirects itself; the next hop comes back to the guard
        with pytest.raises(requests.ConnectionError, match=r"169\.254\.169\.254"):
            egress_session().get("https://sso.example.com/jwks")
    assert len(idp.seen) == 1
