"""core.egress against listeners on 127.0.0.1: what is refused reaches nobody (counted)."""

from __future__ import annotations

import pytest

from core import egress
from tests.egress_fakes import Answer, HostsFile, Listener, self_signed, tls_context

REFUSED_FORMS = [
    pytest.param("127.0.0.1", id="loopback_case"),
    pytest.param("localhost", id="localhost_case"),
    pytest.param("[::1]", id="ipv6_loopback_case"),
    pytest.param("169.254.169.254", id="metadata_case"),
    pytest.param("10.0.0.1", id="private_case"),
    pytest.param("2130706433", id="decimal_case"),
    pytest.param("0x7f000001", id="hex_case"),
    pytest.param("0177.0.0.1", id="octal_case"),
    pytest.param("[::ffff:127.0.0.1]", id="ipv4_mapped_case"),
    pytest.param("metadata.google.internal", id="gcp_metadata_name_case"),
    pytest.param("100.100.100.200", id="alibaba_metadata_case"),
    pytest.param("rebound.example.org", id="name_resolving_to_loopback_case"),
    pytest.param("[64:ff9b::7f00:1]", id="nat64_case"),
    pytest.param("[2002:7f00:1::]", id="6to4_case"),
    pytest.param("metadata.tencentyun.com", id="tencent_metadata_name_case"),
    pytest.param("100.64.0.1", id="shared_case"),
    pytest.param("192.0.2.10", id="documentation_case"),
]


@pytest.fixture
def listener():
    with Listener() as srv:
        yield srv


@pytest.mark.parametrize("host", REFUSED_FORMS)
def test_every_internal_address_form_is_refused_and_nothing_arrives(host, listener, hosts_file):
    # given: a name that resolves to loopback, and a listener on loopback
    hosts_file.table["rebound.example.org"] = ["127.0.0.1"]
    url = f"http://{host}:{listener.port}/hook"

    # when / then
    with pytest.raises((egress.RefusedAddressError, egress.RefusedHostError)) as exc:
        egress.request("POST", url, json={"x": 1})
    assert exc.value.may_have_arrived is False
    assert "refused" in exc.value.message
    assert listener.seen == []


def test_the_error_names_the_literal_form_and_the_address_it_means():
    with pytest.raises(egress.RefusedAddressError) as exc:
        egress.check_url("http://0177.0.0.1/")
    assert exc.value.message.startswith("“0177.0.0.1” is 127.0.0.1, a loopback address")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("ftp://example.com/", id="scheme_case"),
        pytest.param("http://user:pw@example.com/", id="userinfo_case"),
        pytest.param("http://example.com@127.0.0.1/", id="userinfo_trick_case"),
        pytest.param("http://exa mple.com/", id="space_case"),
        pytest.param("http:\\\\127.0.0.1\\", id="backslash_case"),
    ],
)
def test_only_plain_http_urls(url):
    with pytest.raises(egress.RefusedURLError):
        egress.check_url(url)


def test_an_unresolvable_name_is_refused_clearly():
    with pytest.raises(egress.UnresolvableHostError) as exc:
        egress.check_url("https://nowhere.example.org/")
    assert exc.value.message == "“nowhere.example.org” does not resolve to an address."


def test_one_private_answer_among_public_ones_refuses_the_name(hosts_file):
    hosts_file.table["mixed.example.org"] = ["93.184.215.14", "10.1.2.3"]
    with pytest.raises(egress.RefusedAddressError):
        egress.check_url("https://mixed.example.org/")


def test_allow_hosts_limits_the_names(settings):
    with pytest.raises(egress.RefusedHostError):
        egress.check_url("https://example.com/", allow_hosts=frozenset({"open.feishu.cn"}))
    target = egress.check_url("https://open.feishu.cn/x", allow_hosts=frozenset({"open.feishu.cn"}))
    assert (target.host, target.address, target.path) == ("open.feishu.cn", "101.126.34.11", "/x")


def test_an_allowed_network_reaches_the_listener_but_never_metadata(listener, settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32", "169.254.0.0/16"]
    resp = egress.request("POST", listener.url("/in"), json={"a": "é"})
    assert resp.status == 200
    assert [(s.method, s.path, s.json()) for s in listener.seen] == [("POST", "/in", {"a": "é"})]
    assert listener.seen[0].headers["User-Agent"] == settings.EGRESS_USER_AGENT
    with pytest.raises(egress.RefusedAddressError):
        egress.check_url("http://169.254.169.254/")


def test_dns_rebinding_the_connection_goes_to_the_address_checked(listener, settings, hosts_file):
    # given: the first answer is the (allowed) listener, any later one would be the metadata
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    hosts_file.table["hooks.example.org"] = ["127.0.0.1"]
    hosts_file.then = lambda host: ["169.254.169.254"]

    # when
    resp = egress.request("POST", listener.url("/r", host="hooks.example.org"), json={})

    # then: one lookup; the listener got it, with the name in Host
    assert resp.status == 200
    assert hosts_file.lookups == ["hooks.example.org"]
    assert listener.seen[0].headers["Host"] == f"hooks.example.org:{listener.port}"


def test_redirects_are_not_followed_by_default(listener, settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    listener.answer = Answer(status=302, headers={"Location": "/elsewhere"})
    with pytest.raises(egress.RedirectRefusedError) as exc:
        egress.request("POST", listener.url("/start"), json={})
    assert exc.value.may_have_arrived is True
    assert [s.path for s in listener.seen] == ["/start"]


def test_a_redirect_to_an_internal_address_is_refused(listener, settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    listener.answers = [Answer(status=307, headers={"Location": "http://169.254.169.254/x"})]
    with pytest.raises(egress.RefusedAddressError):
        egress.request("POST", listener.url("/start"), json={}, max_redirects=3)
    assert [s.path for s in listener.seen] == ["/start"]


def test_a_redirect_to_an_allowed_place_is_followed_and_checked_again(listener, settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    listener.answers = [Answer(status=303, headers={"Location": "/next"}), Answer(body=b"ok")]
    resp = egress.request("POST", listener.url("/start"), json={}, max_redirects=1)
    assert (resp.status, resp.body) == (200, b"ok")
    assert [(s.method, s.path) for s in listener.seen] == [("POST", "/start"), ("GET", "/next")]


def test_an_answer_larger_than_the_cap_is_refused(listener, settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    listener.answer = Answer(body=b"x" * 5000)
    with pytest.raises(egress.ResponseTooLargeError):
        egress.request("GET", listener.url("/big"), max_bytes=4096)
    assert egress.request("GET", listener.url("/big"), max_bytes=5000).body == b"x" * 5000


def test_a_slow_answer_is_a_timeout_after_sending(listener, settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    listener.answer = Answer(delay=1.0)
    with pytest.raises(egress.TimeoutAfterSendError) as exc:
        egress.request("POST", listener.url("/slow"), json={}, timeout=0.2)
    assert exc.value.may_have_arrived is True
    assert len(listener.seen) == 1


def test_a_closed_port_fails_before_sending(settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    with pytest.raises(egress.ConnectFailedError) as exc:
        egress.request("POST", "http://127.0.0.1:9/", json={})
    assert exc.value.may_have_arrived is False


def test_tls_is_verified_for_the_name_while_connecting_to_the_pinned_address(
    tmp_path, settings, hosts_file
):
    # given: a TLS listener with a certificate for the vendor's name, resolved to loopback
    cert, key = self_signed("qyapi.weixin.qq.com", tmp_path)
    hosts_file.table["qyapi.weixin.qq.com"] = ["127.0.0.1"]
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    with Listener(tls=tls_context(cert, key)) as srv:
        url = srv.url("/cgi-bin/webhook/send?key=k", host="qyapi.weixin.qq.com")
        # untrusted certificate: refused before anything is sent
        with pytest.raises(egress.ConnectFailedError):
            egress.request("POST", url, json={})
        assert srv.seen == []

        # when: the certificate is the trusted bundle
        settings.EGRESS_CA_BUNDLE = str(cert)
        resp = egress.request("POST", url, json={"msgtype": "text"})

    # then
    assert resp.status == 200
    assert [(s.path, s.json()) for s in srv.seen] == [
        ("/cgi-bin/webhook/send?key=k", {"msgtype": "text"})
    ]


def test_the_resolver_is_one_function_tests_replace(hosts_file):
    assert isinstance(hosts_file, HostsFile)
    egress.check_url("https://example.com/")
    assert hosts_file.lookups == ["example.com"]


def test_a_trusted_certificate_for_another_name_is_refused(tmp_path, settings, hosts_file):
    # given: the listener's certificate is trusted but names another host
    cert, key = self_signed("other.example.net", tmp_path)
    hosts_file.table["qyapi.weixin.qq.com"] = ["127.0.0.1"]
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    settings.EGRESS_CA_BUNDLE = str(cert)
    with Listener(tls=tls_context(cert, key)) as srv:
        # when / then: pinning the address does not skip the name check
        with pytest.raises(egress.ConnectFailedError):
            egress.request("POST", srv.url("/", host="qyapi.weixin.qq.com"), json={})
        assert srv.seen == []
