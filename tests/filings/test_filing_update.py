"""Editing an application's details: bookkeeping any time, kind and channel only as a draft."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.exceptions import PermissionDeniedError
from filings.models import FilingApplication, FilingChannel, FilingStatus
from filings.services import filing_update
from tests.factories import FilingFactory, MiniProgramFactory


@pytest.fixture
def filing(operator):
    return FilingFactory(miniprogram=MiniProgramFactory(operator=operator))


def test_draft_can_change_channel_and_bookkeeping(filing, manager):
    updated = filing_update(
        user=manager,
        filing=filing,
        channel=FilingChannel.TENCENT_CLOUD,
        reference="TC-2024-001",
        planned_for=datetime.date(2025, 1, 1),
    )
    filing.refresh_from_db()
    assert (filing.channel, filing.reference, filing.planned_for) == (
        FilingChannel.TENCENT_CLOUD,
        "TC-2024-001",
        datetime.date(2025, 1, 1),
    )
    assert updated.status == FilingStatus.DRAFT


def test_submitted_application_keeps_its_channel_but_takes_notes(filing, manager):
    filing.status = FilingStatus.PROVIDER_REVIEW
    filing.save()
    with pytest.raises(ValidationError) as exc:
        filing_update(user=manager, filing=filing, channel=FilingChannel.ALIPAY, notes="x")
    assert list(exc.value.message_dict) == ["channel"]
    filing.refresh_from_db()
    assert (filing.channel, filing.notes) == (FilingChannel.WECHAT, "")  # nothing half-applied
    filing_update(user=manager, filing=filing, notes="客服已回电", channel=FilingChannel.WECHAT)
    filing.refresh_from_db()
    assert filing.notes == "客服已回电"


def test_status_cannot_be_edited_through_update(filing, manager):
    filing_update(user=manager, filing=filing, status=FilingStatus.APPROVED)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_viewer_cannot_edit(filing, viewer):
    with pytest.raises(PermissionDeniedError):
        filing_update(user=viewer, filing=filing, notes="x")
    filing.refresh_from_db()
    assert filing.notes == ""


def test_api_patch(filing, api, manager, other_manager):
    url = reverse("filing-detail", args=[filing.pk])
    ok = api(manager).patch(url, {"reference": "A-1", "planned_for": "2025-02-01"}, format="json")
    assert ok.status_code == 200
    assert (ok.json()["reference"], ok.json()["planned_for"]) == ("A-1", "2025-02-01")
    assert api(other_manager).patch(url, {"reference": "B"}, format="json").status_code == 404
    filing.refresh_from_db()
    assert filing.reference == "A-1"
    filing.status = FilingStatus.AUTHORITY_REVIEW
    filing.save()
    before = FilingApplication.objects.filter(pk=filing.pk).values().get()
    refused = api(manager).patch(url, {"channel": "alipay"}, format="json")
    assert refused.status_code == 400
    assert "channel" in refused.json()
    assert FilingApplication.objects.filter(pk=filing.pk).values().get() == before


def test_dashboard_edit_page(filing, client, manager, viewer, other_manager):
    url = reverse("dashboard:filing_edit", args=[filing.pk])
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    client.force_login(viewer)
    before = FilingApplication.objects.filter(pk=filing.pk).values().get()
    assert client.post(url, {"notes": "x"}).status_code == 403
    assert FilingApplication.objects.filter(pk=filing.pk).values().get() == before
    client.force_login(manager)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kind": "new_filing", "channel": "douyin", "reference": "DY-9", "notes": "ok"}
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert (filing.channel, filing.reference, filing.notes) == ("douyin", "DY-9", "ok")
