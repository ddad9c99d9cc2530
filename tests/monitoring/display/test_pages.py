"""The domain page's display section, Check now, evidence downloads, the monitoring page,
its CSV and settings: each for its own organization, 404 for another's, 403 for a role that
may not."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from compliance import tracking
from compliance.models import ComplianceItem
from monitoring.display import services
from monitoring.models import DisplayCheck, MonitoringSettings
from tests.compliance.helpers import approve

from .conftest import host_of
from .factories import DisplayCheckFactory, live_domain
from .site_fakes import Site, page

pytestmark = pytest.mark.django_db


def _domain_page(client, domain):
    return client.get(reverse("dashboard:domain_detail", args=[domain.pk]))


def test_a_service_approved_today_gets_its_snippet_and_is_compliant_after_a_correct_check(
    display_env, hosts_file, client_for, editor, operator
):
    # given: a site approved today, live today
    host = host_of("approved")
    hosts_file.table[host] = ["127.0.0.1"]
    domain = live_domain(host, "", operator=operator, live_since=timezone.localdate())
    approve(domain=domain, on=timezone.now())
    domain.refresh_from_db()
    # when: its page offers the snippet, which the site pastes into its footer
    response = _domain_page(client_for(editor), domain)
    assert response.status_code == 200
    body = response.content.decode()
    found = re.search(r'data-testid="display-snippet">(.*?)</code>', body, re.S)
    assert found is not None
    snippet = html.unescape(found[1])
    assert 'href="https://beian.miit.gov.cn/" target="_blank" rel="noopener"' in snippet
    assert domain.icp_number in snippet
    display_env.sites[(host, "/")] = Site(page(snippet))
    check = DisplayCheck.objects.create(domain=domain, operator_id=domain.operator_id)
    services.display_checks_run([check.pk])
    # then
    check.refresh_from_db()
    assert check.findings == []
    tracking.flush()
    item = ComplianceItem.objects.get(rule="site_display", subject_id=domain.pk, closed_at=None)
    assert item.status == "compliant"
    assert (
        'data-testid="display-no-findings"'
        in _domain_page(client_for(editor), domain).content.decode()
    )


def test_findings_and_their_fixes_show_on_the_domain_page(client_for, viewer, operator):
    domain = live_domain("f.example.cn", "粤ICP备2024012345号-1", operator=operator)
    DisplayCheckFactory(
        domain=domain,
        findings=[
            {
                "code": "psb_link_no_code",
                "severity": "error",
                "values": {"href": "https://beian.mps.gov.cn/"},
            }
        ],
    )
    body = _domain_page(client_for(viewer), domain).content.decode()
    assert 'data-finding="psb_link_no_code"' in body
    assert "Add code= and the number" in body or "code=" in body
    assert 'data-testid="display-check-now"' not in body  # a viewer cannot check


def test_check_now_for_an_editor_queues_once(client_for, editor, operator):
    domain = live_domain("n.example.cn", "粤ICP备2024012345号-1", operator=operator)
    url = reverse("monitoring:display_check_now", args=[domain.pk])
    first = client_for(editor).post(url)
    second = client_for(editor).post(url)
    assert first.status_code == second.status_code == 302
    assert first["Location"].endswith("#display")
    assert DisplayCheck.objects.filter(domain=domain, status="queued").count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("viewer", 403), ("other_manager", 404)],
    ids=["viewer_case", "other_org_case"],
)
def test_check_now_refused(client_for, request, operator, who, status):
    domain = live_domain("r.example.cn", "粤ICP备2024012345号-1", operator=operator)
    user = request.getfixturevalue(who)
    response = client_for(user).post(reverse("monitoring:display_check_now", args=[domain.pk]))
    assert response.status_code == status
    assert not DisplayCheck.objects.filter(domain=domain).exists()


def test_check_now_while_the_checker_is_off_queues_nothing(client_for, api, editor, operator):
    from monitoring.models import MonitoringSettings

    MonitoringSettings.objects.create(organization=operator.organization, display_enabled=False)
    domain = live_domain("off.example.cn", "粤ICP备2024012345号-1", operator=operator)
    page = client_for(editor).post(
        reverse("monitoring:display_check_now", args=[domain.pk]), follow=True
    )
    assert "The display checker is off for this organization" in page.content.decode()
    response = api(editor).post(f"/api/v1/monitoring/domains/{domain.pk}/check/")
    assert response.status_code == 409
    assert not DisplayCheck.objects.filter(domain=domain).exists()


def test_check_now_needs_post(client_for, editor, operator):
    domain = live_domain("g.example.cn", "粤ICP备2024012345号-1", operator=operator)
    response = client_for(editor).get(reverse("monitoring:display_check_now", args=[domain.pk]))
    assert response.status_code == 405
    assert not DisplayCheck.objects.filter(domain=domain).exists()


def test_page_download_is_an_audited_attachment(client_for, viewer, other_manager, operator):
    import zlib

    domain = live_domain("h.example.cn", "粤ICP备2024012345号-1", operator=operator)
    raw = "<html><script>alert(1)</script>粤ICP备2024012345号-1</html>".encode()
    check = DisplayCheckFactory(domain=domain, html_gz=zlib.compress(raw), html_size=len(raw))
    url = reverse("monitoring:display_html", args=[check.pk])
    outsider, reader = client_for(other_manager), client_for(viewer)
    downloads = AuditEntry.objects.filter(access="document_downloaded")
    denied = outsider.get(url)
    assert denied.status_code == 404
    assert downloads.count() == 0
    response = reader.get(url)
    assert response.status_code == 200
    assert response.content == raw
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert downloads.count() == 1


def test_monitoring_page_and_csv_show_only_the_organizations_sites(
    client_for, viewer, operator, other_operator
):
    mine = live_domain("mine.example.cn", "粤ICP备2024012345号-1", operator=operator)
    theirs = live_domain("theirs.example.cn", "粤ICP备2024054321号-1", operator=other_operator)
    DisplayCheckFactory(
        domain=mine,
        findings=[{"code": "no_number", "severity": "error", "values": {"expected": "x"}}],
    )
    DisplayCheckFactory(domain=theirs)
    body = client_for(viewer).get(reverse("monitoring:index")).content.decode()
    assert "mine.example.cn" in body
    assert "theirs.example.cn" not in body
    assert 'data-finding="no_number"' in body
    csv = b"".join(client_for(viewer).get(reverse("monitoring:display_csv")).streaming_content)
    text = csv.decode("utf-8-sig")
    assert "mine.example.cn" in text
    assert "theirs.example.cn" not in text
    assert "No filing number on the home page" in text


def test_monitoring_page_refuses_another_organization_filter(client_for, viewer, other_org):
    response = client_for(viewer).get(reverse("monitoring:index") + f"?organization={other_org.pk}")
    assert response.status_code == 404


def test_settings_for_managers_only(client_for, manager, editor, other_manager, org):
    url = reverse("monitoring:settings", args=[org.pk])
    assert client_for(editor).post(url, {"display_cadence_days": 1}).status_code == 403
    assert client_for(other_manager).post(url, {"display_cadence_days": 1}).status_code == 404
    assert not MonitoringSettings.objects.filter(organization=org).exists()
    response = client_for(manager).post(url, {"display_cadence_days": 3, "display_enabled": "on"})
    assert response.status_code == 302
    assert MonitoringSettings.objects.get(organization=org).display_cadence_days == 3
