"""A manager's journey on the pages: check credentials, sync now, see what the connector did."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from connectors.models import SyncRun, SyncStatus, SyncTrigger
from connectors.tasks import sync_task
from connectors.types import VendorFiling
from filings.models import FilingApplication
from icp.vendor_states import wechat_target
from tests.factories import MiniProgramFactory

from .conftest import secrets_in

pytestmark = pytest.mark.django_db


def test_check_then_sync_now_fills_the_page_and_the_timeline(
    client_for, manager, operator, scripted_account, scripted, django_capture_on_commit_callbacks
):
    mp = MiniProgramFactory(operator=operator, appid="wx00000000000000c1")
    scripted.script = {
        mp.appid: VendorFiling(
            kind="miniprogram",
            external_id=mp.appid,
            label="旅程小程序",
            target=wechat_target(4, 1),
            vendor_status="status=4 sms_verify_status=1",
            raw={"status": 4, "sms_verify_status": 1},
        ),
        "wx00000000000000c2": VendorFiling(
            kind="miniprogram",
            external_id="wx00000000000000c2",
            label="台账里没有",
            target=wechat_target(2),
            vendor_status="status=2",
        ),
    }
    c = client_for(manager)
    detail = reverse("connectors:detail", args=[scripted_account.pk])
    c.post(reverse("connectors:check", args=[scripted_account.pk]))
    with (
        mock.patch("connectors.services.sync_task") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        task.delay.side_effect = lambda **kw: sync_task(**kw)
        c.post(reverse("connectors:sync", args=[scripted_account.pk]))
    runs = list(SyncRun.objects.filter(account=scripted_account).order_by("started_at", "pk"))
    assert [(r.trigger, r.status) for r in runs] == [
        (SyncTrigger.CHECK, SyncStatus.SUCCEEDED),
        (SyncTrigger.MANUAL, SyncStatus.SUCCEEDED),
    ]
    assert (runs[1].objects_seen, runs[1].findings) == (2, 1)
    filing = FilingApplication.objects.get(miniprogram=mp)
    assert set(filing.status_changes.values_list("actor_label", flat=True)) == {
        "connector:scripted"
    }
    html = c.get(detail).content.decode()
    assert 'data-health="ok"' in html
    assert 'data-trigger="manual"' in html
    assert 'data-external-id="wx00000000000000c2"' in html
    assert 'data-code="unlinked"' in html
    assert f"#{filing.pk}" in html
    assert secrets_in(html) == []
    page = c.get(reverse("dashboard:miniprogram_detail", args=[mp.pk])).content.decode()
    assert "sms_verify_status=1" in page
