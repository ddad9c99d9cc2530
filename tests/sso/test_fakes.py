"""The fake OIDC provider answers through the egress guard, and only on loopback."""

from __future__ import annotations

import jwt

from core.egress.sessions import egress_session
from tests.sso_fakes import FakeOIDC, Identity, vendor_server


def test_the_fake_oidc_provider_is_reached_through_the_egress_guard(tmp_path, hosts_file, settings):
    with vendor_server("idp.example.com", tmp_path, hosts_file, settings) as idp:
        fake = FakeOIDC(idp)
        fake.identity = Identity(sub="u-1", email="a@example.com")
        session = egress_session()
        config = session.get("https://idp.example.com/.well-known/openid-configuration").json()
        code = fake.issue_code(nonce="n1")
        token = session.post(config["token_endpoint"], data={"code": code}).json()
        again = session.post(config["token_endpoint"], data={"code": code})
        info = session.get(
            config["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {token['access_token']}"},
        ).json()
        keys = session.get(config["jwks_uri"]).json()

    assert info == {"sub": "u-1", "email": "a@example.com", "email_verified": True}
    assert again.status_code == 400  # a code is good once
    key = jwt.PyJWK(keys["keys"][0]).key
    claims = jwt.decode(token["id_token"], key, algorithms=["RS256"], audience="icpfiling")
    assert (claims["sub"], claims["nonce"], claims["iss"]) == (
        "u-1",
        "n1",
        "https://idp.example.com",
    )
    assert idp.paths() == [
        "/.well-known/openid-configuration",
        "/token",
        "/token",
        "/userinfo",
        "/jwks",
    ]
    assert hosts_file.lookups.count("idp.example.com") == 5
