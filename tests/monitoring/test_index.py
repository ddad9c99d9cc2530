"""The monitoring page gathers the three parts: display checks, provider notices and
verifications, each scoped to the user's organizations; the main navigation links to it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import DomainFactory, OperatorFactory
from tests.monitoring.notices.factories import ProviderNoticeFactory

pytestmark = pytest.mark.django_db
URL = "/monitoring/"


def test_the_page_holds_every_part_and_only_our_notices(client_for, manager, operator, other_org):
    ours = DomainFactory(operator=operator, icp_number="粤ICP备2024286477号-1")
    theirs = DomainFactory(
        operator=OperatorFactory(organization=other_org, name_zh="别家科技有限公司"),
        icp_number="京ICP备2024000001号-1",
    )
    now = timezone.now()
    ProviderNoticeFactory(
        domain=ours, received_at=now, deadline_at=now + datetime.timedelta(hours=20)
    )
    for hours in (5, 30):  # another organization's two notices, one of them sooner
        ProviderNoticeFactory(
            domain=theirs, received_at=now, deadline_at=now + datetime.timedelta(hours=hours)
        )
    r = client_for(manager).get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    for part in ("notices-summary", "verify-summary", "display-csv"):
        assert f'data-testid="{part}"' in html
    assert 'data-testid="nav-monitoring"' in html
    summary = html.split('data-testid="notices-summary"')[1].split("</section>")[0]
    assert "1 open notice" in summary
    deadline = timezone.localtime(now + datetime.timedelta(hours=20)).strftime("%Y-%m-%d %H:%M")
    assert f"Next deadline: {deadline}" in summary
    assert "别家科技有限公司" not in html


def test_anonymous_is_sent_to_sign_in(client):
    r = client.get(URL)
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]
