"""The checker against local fake sites: each footer variant gives exactly its findings, and
the correct ones none (no false finding)."""

from __future__ import annotations

import pytest

from monitoring.display import services
from monitoring.models import CheckStatus, DisplayCheck

from .conftest import VARIANTS, host_of
from .factories import live_domain

pytestmark = pytest.mark.django_db


def _check(domain) -> DisplayCheck:
    check = DisplayCheck.objects.create(domain=domain, operator_id=domain.operator_id)
    assert services.display_checks_run([check.pk]) == 1
    check.refresh_from_db()
    return check


@pytest.mark.parametrize("name", list(VARIANTS), ids=[f"{n}_case" for n in VARIANTS])
def test_each_variant_gives_its_findings(display_env, name):
    # given
    _answers, icp_number, psb_number, expected = VARIANTS[name]
    domain = live_domain(host_of(name), icp_number, psb_number)
    # when
    check = _check(domain)
    # then
    assert check.status == CheckStatus.DONE
    assert {f["code"] for f in check.findings} == expected, check.findings
    assert check.finished_at is not None
    assert check.icp_number == icp_number


def test_correct_page_keeps_its_evidence(display_env):
    domain = live_domain(host_of("correct"), VARIANTS["correct"][1], VARIANTS["correct"][2])
    check = _check(domain)
    assert check.findings == []
    assert check.status_code == 200
    assert check.final_url == f"http://{host_of('correct')}:{display_env.port}/"
    assert "粤ICP备2024012345号-1".encode() in check.html_bytes
    assert check.html_size == len(check.html_bytes)
    assert check.html_gz is not None
    assert len(bytes(check.html_gz)) < check.html_size  # kept compressed
    # the number inside a <script> is not taken as shown
    assert [n["text"] for n in check.numbers] == [
        "粤ICP备2024012345号-1",
        "粤公网安备44010602000001号",
    ]


def test_huge_page_is_not_read_whole(display_env):
    domain = live_domain(host_of("huge"), *VARIANTS["huge"][1:3])
    check = _check(domain)
    assert [f["code"] for f in check.findings] == ["too_large"]
    assert check.findings[0]["values"]["limit"] == str(2 * 1024 * 1024)
    assert check.html_gz is None  # nothing of the 20 MB was kept


def test_redirect_is_followed_and_recorded(display_env):
    domain = live_domain(host_of("redirect-ok"), *VARIANTS["redirect-ok"][1:3])
    check = _check(domain)
    base = f"http://{host_of('redirect-ok')}:{display_env.port}"
    assert check.redirects == [f"{base}/index.html"]
    assert check.final_url == f"{base}/index.html"
    assert check.findings == []


def test_unknown_name_is_a_dns_failure(display_env):
    domain = live_domain("nowhere.display-test.cn", VARIANTS["correct"][1])
    check = _check(domain)
    assert [f["code"] for f in check.findings] == ["dns_failure"]
    assert check.error_kind == "dns_failure"


def test_honest_user_agent_is_sent(display_env, settings, monkeypatch):
    settings.DISPLAY_CHECK_USER_AGENT = "icpfiling-display-check/test (+https://example.com/why)"
    seen = {}
    from .site_fakes import _Handler

    original = _Handler.do_GET

    def spy(self):
        seen["ua"] = self.headers.get("User-Agent")
        original(self)

    monkeypatch.setattr(_Handler, "do_GET", spy)
    _check(live_domain(host_of("correct"), *VARIANTS["correct"][1:3]))
    assert seen["ua"] == "icpfiling-display-check/test (+https://example.com/why)"
