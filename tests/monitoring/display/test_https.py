"""https first: a valid certificate is used; a failing one is a finding of its own and the
page is still judged over http."""

from __future__ import annotations

import pytest

from monitoring.display import services
from monitoring.models import DisplayCheck
from tests.egress_fakes import self_signed, tls_context

from .factories import live_domain
from .site_fakes import GD_PSB, GD_SITE, Site, SiteServer, icp, page, psb

pytestmark = pytest.mark.django_db

SECURE = "secure.display-test.cn"
BADCERT = "badcert.display-test.cn"


@pytest.fixture
def tls_sites(tmp_path, settings, hosts_file):
    cert, key = self_signed(SECURE, tmp_path)
    body = page(icp() + psb())
    sites = {(SECURE, "/"): Site(body), (BADCERT, "/"): Site(body)}
    with SiteServer(sites, tls=tls_context(cert, key)) as https, SiteServer(sites) as http:
        settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
        settings.EGRESS_CA_BUNDLE = str(cert)
        settings.DISPLAY_CHECK_URLS = [
            f"https://{{host}}:{https.port}/",
            f"http://{{host}}:{http.port}/",
        ]
        settings.DISPLAY_CHECK_HOST_INTERVAL = 0
        hosts_file.table[SECURE] = ["127.0.0.1"]
        hosts_file.table[BADCERT] = ["127.0.0.1"]
        yield https, http


def _run(domain) -> DisplayCheck:
    check = DisplayCheck.objects.create(domain=domain, operator_id=domain.operator_id)
    services.display_checks_run([check.pk])
    check.refresh_from_db()
    return check


def test_https_with_a_valid_certificate_is_used(tls_sites):
    https, http = tls_sites
    check = _run(live_domain(SECURE, GD_SITE, GD_PSB))
    assert check.final_url.startswith("https://")
    assert check.findings == []
    assert https.hits == {SECURE: 1}
    assert http.hits == {}


def test_certificate_for_another_name_is_a_tls_finding_and_http_is_judged(tls_sites):
    _https, http = tls_sites
    check = _run(live_domain(BADCERT, GD_SITE, GD_PSB))
    assert [(f["code"], f["severity"]) for f in check.findings] == [("tls_failure", "warning")]
    assert check.final_url.startswith("http://")
    assert http.hits == {BADCERT: 1}
